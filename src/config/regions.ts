// Public Alibaba Cloud region ids (international and mainland China sites, plus the finance and
// government clouds the SDKs know). Used to catch typos in the config before the first API call.
export const KNOWN_REGION_IDS: readonly string[] = [
  // Mainland China
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-hangzhou',
  'cn-shanghai',
  'cn-nanjing',
  'cn-fuzhou',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-wuhan-lr',
  'cn-hongkong',
  // Finance and government clouds
  'cn-hangzhou-finance',
  'cn-shanghai-finance-1',
  'cn-shenzhen-finance-1',
  'cn-beijing-finance-1',
  'cn-heyuan-acdr-1',
  'cn-north-2-gov-1',
  // Asia Pacific
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-south-1',
  // Europe, Americas, Middle East
  'eu-central-1',
  'eu-west-1',
  'us-east-1',
  'us-west-1',
  'na-south-1',
  'me-east-1',
  'me-central-1',
];

const KNOWN = new Set(KNOWN_REGION_IDS);

export function isKnownRegion(id: string): boolean {
  return KNOWN.has(id);
}

/** The shape of an Alibaba Cloud region id: cn-hangzhou, ap-northeast-1, eu-central-1, us-west-1 … */
const REGION_ID_SHAPE = /^(cn|ap|eu|us|me|na|sa|af|rus)-[a-z]+(-[a-z]+)*(-\d+)?$/;
const COMPASS = /^(north|south|east|west|central|northeast|northwest|southeast|southwest)$/;

/**
 * What the config makes of a region id: `known`; `new` for a well-formed id this release does not
 * list yet (a further number of a known area such as ap-southeast-8 or eu-central-2, a compass area
 * such as sa-east-1, or a name nothing known resembles), watched with a warning; `typo` for a near
 * miss of a known id (cn-hangzou, with the suggestion); `invalid` for anything else.
 */
export function regionVerdict(id: string): { kind: 'known' | 'new' | 'typo' | 'invalid'; hint?: string } {
  if (KNOWN.has(id)) return { kind: 'known' };
  const wellFormed = REGION_ID_SHAPE.test(id);
  if (wellFormed) {
    const area = id.replace(/-\d+$/, '');
    const words = area.split('-').slice(1);
    const knownArea = KNOWN_REGION_IDS.some((k) => k.replace(/-\d+$/, '') === area);
    if ((knownArea && area !== id) || words.every((w) => COMPASS.test(w))) return { kind: 'new' };
  }
  const hint = suggestRegion(id);
  if (hint) return { kind: 'typo', hint };
  return wellFormed ? { kind: 'new' } : { kind: 'invalid' };
}

/** The closest known region id within a small edit distance, for "did you mean …?". */
export function suggestRegion(id: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const needle = id.trim().toLowerCase();
  for (const candidate of KNOWN_REGION_IDS) {
    const d = editDistance(needle, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(needle.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  // Bounded input (region ids are short), so the plain O(n·m) table is fine.
  if (a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}
