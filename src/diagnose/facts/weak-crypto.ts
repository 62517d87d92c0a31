// Weak algorithms in a tunnel's configuration: md5, des, 3des and DH groups 1 and 2.
import type { Tunnel } from '../../model/snapshot.js';

const WEAK_ALGS = new Set(['md5', 'des', '3des']);
const WEAK_GROUPS = new Set(['group1', 'group2']);

/** Human-readable list like "IKE authentication md5", empty when nothing is weak. */
export function weakCrypto(t: Tunnel): string[] {
  const out: string[] = [];
  const check = (what: string, value: string, weak: Set<string>) => {
    if (weak.has(value.trim().toLowerCase())) out.push(`${what} ${value}`);
  };
  check('IKE encryption', t.ike.encAlg, WEAK_ALGS);
  check('IKE authentication', t.ike.authAlg, WEAK_ALGS);
  check('IKE DH group', t.ike.dhGroup, WEAK_GROUPS);
  check('IPsec encryption', t.ipsec.encAlg, WEAK_ALGS);
  check('IPsec authentication', t.ipsec.authAlg, WEAK_ALGS);
  check('IPsec PFS', t.ipsec.pfs, WEAK_GROUPS);
  return out;
}
