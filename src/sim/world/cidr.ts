// Small IPv4 CIDR helpers over ipaddr.js.
import ipaddr from 'ipaddr.js';

function parse(cidr: string): [ipaddr.IPv4, number] {
  return ipaddr.IPv4.parseCIDR(cidr);
}

export function isValidCidr(cidr: string): boolean {
  try {
    parse(cidr);
    return true;
  } catch {
    return false;
  }
}

export function isValidIp(ip: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(ip);
}

/** true when `ip` lies in `cidr`. */
export function cidrContainsIp(cidr: string, ip: string): boolean {
  if (!isValidIp(ip)) return false;
  return ipaddr.IPv4.parse(ip).match(parse(cidr));
}

/** true when every address of `inner` lies in `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const [innerIp, innerBits] = parse(inner);
  const [, outerBits] = parse(outer);
  return innerBits >= outerBits && innerIp.match(parse(outer));
}

/** The n-th address of a block (n = 1 is the first host). */
export function hostAt(cidr: string, n: number): string {
  const [base, bits] = parse(cidr);
  const value = base.toByteArray().reduce((acc, b) => acc * 256 + b, 0);
  const network = value - (value % 2 ** (32 - bits));
  const v = network + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(v / 2 ** shift) % 256).join('.');
}

/** Prefix length of a CIDR block. */
export function prefixLength(cidr: string): number {
  return parse(cidr)[1];
}
