// IP addresses and CIDR blocks, in one module for the whole product: the routing, filtering and BGP
// facts, the IKE probe's packets and the config's listen address all ask here.
// - What is an address or a block is ipaddr.js's answer. IPv4 addresses and blocks, which the facts
//   parse for every instance, rule and route, are read by exception-free equivalents of its
//   four-part-decimal checks (test/diagnose/addressing-props.test.ts pins the equivalence):
//   ipaddr.js decides by throwing and catching, about 6 times slower on valid input and 100 times on
//   a rejection (an IPv6 rule, an empty field), which matters at thousands of tunnels. The rest
//   (IPv6, an address's bytes) is ipaddr.js itself.
// - Addresses are held as unsigned 32-bit numbers so containment and overlap are plain comparisons;
//   odd spellings ("10.1", "010.0.0.1") are rejected.
// (The simulator keeps its own few ipaddr.js calls in src/sim/world/cidr.ts: it stands for Alibaba
// and imports nothing of the product it is the test bench of.)
import ipaddr from 'ipaddr.js';

/** A parsed IPv4 CIDR block: `start`/`end` are the first and last address as uint32. */
export interface Cidr {
  /** Canonical text, e.g. "192.168.0.0/16" (host bits cleared). */
  text: string;
  prefix: number;
  start: number;
  end: number;
}

/** Bad address input; the message names the value and where it came from. */
export class AddressError extends Error {
  override name = 'AddressError';
}

const where = (context?: string): string => (context ? ` (${context})` : '');

const toUint = (octets: number[]): number =>
  (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;

/** Dotted-quad text of a uint32 address. */
export const formatIp = (n: number): string =>
  [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** The netmask of a prefix length, as uint32 (0 for /0). */
export const prefixMask = (prefix: number): number =>
  prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
const maskOf = prefixMask;

// Exactly what ipaddr.IPv4.isValidFourPartDecimal accepts (decimal octets without leading zeros, each
// ≤ 255), matched without its try/catch. A property test pins the equivalence.
const IPV4_FOUR_PART = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function ipv4OrNull(s: string): number | null {
  const m = IPV4_FOUR_PART.exec(s);
  if (!m) return null;
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return octets.some((o) => o > 255) ? null : toUint(octets);
}

const ipMessage = (text: string, context?: string): string =>
  `"${text}" is not an IPv4 address in dotted-quad form${where(context)}`;

/** parseIpv4 as a value: bad input gives the same message parseIpv4 would throw. */
export function readIpv4Text(
  text: string,
  context?: string,
): { ip: number; problem: null } | { ip: null; problem: string } {
  const ip = ipv4OrNull(text.trim());
  return ip === null ? { ip: null, problem: ipMessage(text, context) } : { ip, problem: null };
}

/** Parses a dotted-quad IPv4 address; throws AddressError naming the value otherwise. */
export function parseIpv4(text: string, context?: string): number {
  const ip = ipv4OrNull(text.trim());
  if (ip === null) throw new AddressError(ipMessage(text, context));
  return ip;
}

// Exactly what ipaddr.IPv4.isValidCIDRFourPartDecimal accepts (decimal octets without leading zeros,
// each ≤ 255; a decimal prefix ≤ 32, leading zeros allowed), matched without its try/catch: rejecting
// bad input must not cost an exception on the hot path. A property test pins the equivalence.
const CIDR_FOUR_PART = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)\/(\d+)$/;

/** The parsed block, or null when `s` (already trimmed) is not a four-part IPv4 CIDR. */
function cidrOrNull(s: string): Cidr | null {
  const m = CIDR_FOUR_PART.exec(s);
  if (!m) return null;
  const prefix = Number.parseInt(m[5]!, 10);
  if (!(prefix >= 0 && prefix <= 32)) return null;
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (octets.some((o) => o > 255)) return null;
  const mask = maskOf(prefix);
  const start = (toUint(octets) & mask) >>> 0;
  const end = (start | (~mask >>> 0)) >>> 0;
  return { text: `${formatIp(start)}/${prefix}`, prefix, start, end };
}

const cidrMessage = (text: string, context?: string): string => {
  const hint = text.trim().includes(':') ? ': IPv6 is not supported here' : '';
  return `"${text}" is not an IPv4 CIDR block like 192.168.0.0/16${hint}${where(context)}`;
};

/** A parsed CIDR, or the problem naming the value and where it came from (no exception). */
export type CidrResult = { cidr: Cidr; problem: null } | { cidr: null; problem: string };

/** parseCidr as a value: bad input gives the same message parseCidr would throw. */
export function readCidrText(text: string, context?: string): CidrResult {
  const cidr = cidrOrNull(text.trim());
  return cidr ? { cidr, problem: null } : { cidr: null, problem: cidrMessage(text, context) };
}

/**
 * Parses "a.b.c.d/n". Host bits are cleared (Alibaba stores normalised blocks; `cidrProblems`
 * reports a block written with host bits set). Throws AddressError naming the value otherwise.
 */
export function parseCidr(text: string, context?: string): Cidr {
  const cidr = cidrOrNull(text.trim());
  if (!cidr) throw new AddressError(cidrMessage(text, context));
  return cidr;
}

/** parseCidr that returns null instead of throwing (for data we only skip when malformed). */
export function tryParseCidr(text: string): Cidr | null {
  return cidrOrNull(text.trim());
}

const parsed = new Map<string, Cidr | null>();
const PARSED_MAX = 10_000;

/**
 * tryParseCidr with a bounded memo: filter evaluation asks about the same few rule CIDRs for every
 * instance, piece and probe, and parsing dominates otherwise. Callers must not mutate the result.
 */
export function cachedCidr(text: string): Cidr | null {
  let c = parsed.get(text);
  if (c === undefined) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    c = tryParseCidr(text);
    parsed.set(text, c);
  }
  return c;
}

/** Everything wrong with a CIDR string (empty list = a valid, normalised IPv4 block). */
export function cidrProblems(text: string, context?: string): string[] {
  const read = readCidrText(text, context);
  if (!read.cidr) return [read.problem];
  const c = read.cidr;
  const given = text.trim().split('/')[0] ?? '';
  if (ipv4OrNull(given) !== c.start) {
    return [`"${text}" has host bits set: the block is ${c.text}${where(context)}`];
  }
  return [];
}

export const cidrContains = (outer: Cidr, inner: Cidr): boolean =>
  outer.start <= inner.start && inner.end <= outer.end;

export const cidrContainsIp = (c: Cidr, ip: number): boolean => c.start <= ip && ip <= c.end;

export const cidrsOverlap = (a: Cidr, b: Cidr): boolean => a.start <= b.end && b.start <= a.end;

/** `inner` is inside `outer` and strictly smaller. */
export const isMoreSpecific = (inner: Cidr, outer: Cidr): boolean =>
  cidrContains(outer, inner) && inner.prefix > outer.prefix;

/**
 * Longest-prefix match of a whole block: among `items` whose CIDR contains `target`, the most
 * specific one (null when none does). Items whose CIDR is null (unparsable, IPv6) are ignored.
 */
export function longestPrefixMatch<T>(
  target: Cidr,
  items: readonly T[],
  cidrOf: (item: T) => Cidr | null,
): T | null {
  let best: T | null = null;
  let bestPrefix = -1;
  for (const item of items) {
    const c = cidrOf(item);
    if (c && cidrContains(c, target) && c.prefix > bestPrefix) {
      best = item;
      bestPrefix = c.prefix;
    }
  }
  return best;
}

/** An inclusive range of IPv4 addresses (uint32). */
export interface IpRange {
  start: number;
  end: number;
}

/** "a.b.c.d/n" when the range is exactly one block, else "a.b.c.d-e.f.g.h". */
export function formatRange(r: IpRange): string {
  const size = r.end - r.start + 1;
  const prefix = 32 - Math.log2(size);
  if (Number.isInteger(prefix) && (r.start & ~maskOf(prefix)) >>> 0 === 0)
    return `${formatIp(r.start)}/${prefix}`;
  return `${formatIp(r.start)}-${formatIp(r.end)}`;
}

/**
 * `whole` cut into the pieces on which membership in each of `blocks` is constant: a decision that
 * depends only on "which blocks contain the address" (a route lookup, an ACL or security-group
 * match) has one answer per piece, so evaluating it at each piece's start covers every address.
 */
export function piecesOf(whole: Cidr, blocks: readonly Cidr[]): IpRange[] {
  const cuts = new Set<number>([whole.start]);
  for (const b of blocks) {
    if (!cidrsOverlap(b, whole)) continue;
    if (b.start > whole.start) cuts.add(b.start);
    if (b.end < whole.end) cuts.add(b.end + 1);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  return starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1]! - 1 : whole.end }));
}

/** Adjacent ranges merged (input sorted by start). */
export function mergeRanges(ranges: readonly IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** An IPv6 address (ipaddr.js), e.g. a listen address in brackets. */
export const isIpv6Address = (text: string): boolean => ipaddr.IPv6.isValid(text);

/** A dotted-quad IPv4 address. */
export const isIpv4Address = (text: string): boolean => ipv4OrNull(text) !== null;

/** The 4 or 16 bytes of an IPv4 or IPv6 address (network order); throws AddressError naming it. */
export function addressBytes(text: string): Buffer {
  try {
    return Buffer.from(ipaddr.parse(text).toByteArray());
  } catch {
    throw new AddressError(`"${text}" is not an IP address`);
  }
}
