// Weak algorithms in a tunnel's configuration: md5, des, 3des and DH groups 1 and 2.
import type { Tunnel } from '../../model/snapshot.js';
import { jaList } from './localized.js';

const WEAK_ALGS = new Set(['md5', 'des', '3des']);
const WEAK_GROUPS = new Set(['group1', 'group2']);

/** Human-readable list like "IKE authentication md5", empty when nothing is weak. */
export function weakCrypto(t: Tunnel): string[] {
  const out: string[] = [];
  const ja: string[] = [];
  const check = (what: string, whatJa: string, value: string, weak: Set<string>) => {
    if (!weak.has(value.trim().toLowerCase())) return;
    out.push(`${what} ${value}`);
    ja.push(`${whatJa} ${value}`);
  };
  check('IKE encryption', 'IKE 暗号化アルゴリズム', t.ike.encAlg, WEAK_ALGS);
  check('IKE authentication', 'IKE 認証アルゴリズム', t.ike.authAlg, WEAK_ALGS);
  check('IKE DH group', 'IKE DH グループ', t.ike.dhGroup, WEAK_GROUPS);
  check('IPsec encryption', 'IPsec 暗号化アルゴリズム', t.ipsec.encAlg, WEAK_ALGS);
  check('IPsec authentication', 'IPsec 認証アルゴリズム', t.ipsec.authAlg, WEAK_ALGS);
  check('IPsec PFS', 'IPsec PFS グループ', t.ipsec.pfs, WEAK_GROUPS);
  return jaList(out, ja);
}
