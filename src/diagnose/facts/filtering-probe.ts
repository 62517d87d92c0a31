// The synthetic traffic the filtering facts test, and how a verdict over one source address is
// lifted to a verdict over a whole on-prem CIDR.
import {
  type Cidr,
  cachedCidr,
  cidrContainsIp,
  formatRange,
  type IpRange,
  mergeRanges,
  piecesOf,
} from '../../model/addressing.js';

/**
 * Probes, from on-prem towards each instance: ICMP echo (the FAQ's "ping fails" check) and TCP 22
 * and 443 (SSH and HTTPS, the usual first service checks). `port` is the destination port.
 */
export interface Probe {
  id: 'icmp' | 'tcp/22' | 'tcp/443';
  protocol: 'icmp' | 'tcp';
  port: number | null;
}

export const PROBES: readonly Probe[] = [
  { id: 'icmp', protocol: 'icmp', port: null },
  { id: 'tcp/22', protocol: 'tcp', port: 22 },
  { id: 'tcp/443', protocol: 'tcp', port: 443 },
];

const PROTOCOL_NUMBERS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '47': 'gre' };

/** Rule protocol (`all`, `icmp`, `TCP`, IANA number…) matches the probe's protocol. */
export function protocolMatches(ruleProtocol: string, probe: Probe): boolean {
  const p = ruleProtocol.trim().toLowerCase();
  const name = PROTOCOL_NUMBERS[p] ?? p;
  return name === 'all' || name === '-1' || name === probe.protocol;
}

/** "start/end" contains `port`; `-1/-1` (or empty) means every port. Malformed ranges match nothing. */
export function portRangeContains(range: string, port: number): boolean {
  const r = range.trim();
  if (r === '' || r === '-1/-1') return true;
  const m = /^(\d+)\/(\d+)$/.exec(r);
  if (!m) return false;
  return Number(m[1]) <= port && port <= Number(m[2]);
}

/** A rule's port range applies to the probe (ICMP has no ports). */
export const portMatches = (range: string, probe: Probe): boolean =>
  probe.port === null || portRangeContains(range, probe.port);

/** Source/destination CIDR text of a rule contains the address; empty or unparsable CIDRs match nothing. */
export function cidrTextContains(text: string, ip: number): boolean {
  const c = cachedCidr(text);
  return c !== null && cidrContainsIp(c, ip);
}

/** What one filter decided for one address. */
export interface AddressVerdict {
  allowed: boolean;
  /** The deciding rule, or the default that applied, in words. */
  by: string;
  /** The same in Japanese (absent: as `by`). */
  byJa?: string;
}

/** A filter's verdict over a whole on-prem CIDR. */
export interface CidrVerdict {
  /** Every address of the CIDR is blocked. */
  whole: boolean;
  /** The blocked parts (empty = all allowed). */
  blocked: string[];
  /** Distinct reasons of the blocked parts. */
  by: string[];
  /** The same reasons in Japanese, in the same order. */
  byJa: string[];
}

/** Evidence lists stay readable: a CIDR cut by hundreds of rules would otherwise list them all. */
export const LIST_CAP = 6;
const capped = (xs: string[], ja = false): string[] =>
  xs.length <= LIST_CAP
    ? xs
    : [
        ...xs.slice(0, LIST_CAP - 1),
        ja ? `… ほか ${xs.length - LIST_CAP + 1} 件` : `… and ${xs.length - LIST_CAP + 1} more`,
      ];

/**
 * Lifts `decide` from addresses to the CIDR: the answer is constant between the boundaries of the
 * rule CIDRs, so one address per piece decides the piece (`source` names the piece for messages).
 */
export function verdictOverCidr(
  cidr: Cidr,
  ruleCidrs: readonly string[],
  decide: (ip: number, source: string) => AddressVerdict,
): CidrVerdict {
  const blocks = ruleCidrs.map(cachedCidr).filter((c): c is Cidr => c !== null);
  return verdictOverBlocks(cidr, blocks, decide);
}

/** verdictOverCidr with the rule CIDRs already parsed (unparsable ones left out). */
export function verdictOverBlocks(
  cidr: Cidr,
  blocks: readonly Cidr[],
  decide: (ip: number, source: string) => AddressVerdict,
): CidrVerdict {
  const blockedParts: IpRange[] = [];
  const by = new Map<string, string>();
  for (const piece of piecesOf(cidr, blocks)) {
    const v = decide(piece.start, formatRange(piece));
    if (v.allowed) continue;
    blockedParts.push(piece);
    if (!by.has(v.by)) by.set(v.by, v.byJa ?? v.by);
  }
  const merged = mergeRanges(blockedParts);
  const whole = merged.length === 1 && merged[0]?.start === cidr.start && merged[0]?.end === cidr.end;
  return {
    whole,
    blocked: capped(merged.map(formatRange)),
    by: capped([...by.keys()]),
    byJa: capped([...by.values()], true),
  };
}
