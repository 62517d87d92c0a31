// Deterministic, Alibaba-shaped ids and addresses: the same scenario always yields the same world,
// so tests and recorded incidents can name resources.
import { createHash } from 'node:crypto';

/** Alibaba prefixes ids with a short region code (bp1 = cn-hangzhou, 6we = ap-northeast-1, …). */
const REGION_CODES: Record<string, string> = {
  'cn-hangzhou': 'bp1',
  'cn-shanghai': 'uf6',
  'cn-beijing': '2ze',
  'cn-shenzhen': 'wz9',
  'cn-qingdao': 'm5e',
  'cn-hongkong': 'j6c',
  'ap-northeast-1': '6we',
  'ap-southeast-1': 't4n',
  'us-west-1': 'rj9',
  'eu-central-1': 'gw8',
};

export function hashHex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** A number in [0, mod) derived from a seed. */
export function hashInt(seed: string, mod: number): number {
  return Number.parseInt(hashHex(seed).slice(0, 12), 16) % mod;
}

export function regionCode(region: string): string {
  if (region === '') return '';
  return REGION_CODES[region] ?? `${region.replace(/[^a-z0-9]/g, '').slice(-2)}x`;
}

/** e.g. makeId('vpc', 'cn-hangzhou', 'prod/vpc/0') → vpc-bp1k3…(20 chars after the prefix). */
export function makeId(prefix: string, region: string, seed: string): string {
  const body = BigInt(`0x${hashHex(`${prefix}|${region}|${seed}`).slice(0, 24)}`)
    .toString(36)
    .padStart(17, '0')
    .slice(0, 17);
  return `${prefix}-${regionCode(region)}${body}`;
}

/** Public IPv4 prefixes of Alibaba Cloud by region, for plausible gateway addresses. */
const PUBLIC_PREFIX: Record<string, string> = {
  'cn-hangzhou': '47.96',
  'cn-shanghai': '47.100',
  'cn-beijing': '39.105',
  'ap-northeast-1': '47.74',
  'ap-southeast-1': '47.88',
};

export function publicIp(region: string, seed: string): string {
  const prefix = PUBLIC_PREFIX[region] ?? `47.${240 + hashInt(region, 15)}`;
  const n = hashInt(`${region}|${seed}`, 254 * 250);
  return `${prefix}.${1 + Math.floor(n / 254)}.${1 + (n % 254)}`;
}

/** Zones by region; unknown regions get `<region>-a` and `<region>-b`. */
const ZONES: Record<string, string[]> = {
  'cn-hangzhou': ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j'],
  'cn-shanghai': ['cn-shanghai-e', 'cn-shanghai-f'],
  'cn-beijing': ['cn-beijing-g', 'cn-beijing-h'],
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1b'],
  'ap-southeast-1': ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
};

export function defaultZones(region: string): string[] {
  return ZONES[region] ?? [`${region}-a`, `${region}-b`];
}

/** Seconds from "90s", "4m", "1h30m" or a number. */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || value === '') throw new Error(`not a duration: ${value}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}
