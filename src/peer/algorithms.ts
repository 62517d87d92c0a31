// The one mapping between Alibaba's algorithm names (IkeEncAlg, IkeAuthAlg, IkePfs, IpsecPfs, …) and
// strongSwan's: the proposal keywords of swanctl.conf (`aes128-sha1-modp1024`) and the algorithm names
// charon reports over VICI (`AES_CBC` + key size 128, `HMAC_SHA1_96`, `MODP_1024`). The generator,
// the swanctl.conf reader and the two-sided diff all go through here.

/** Alibaba encryption name → swanctl keyword and charon's VICI name/key size. */
const ENCRYPTION: Record<string, { keyword: string; vici: string; keysize: string | null }> = {
  aes: { keyword: 'aes128', vici: 'AES_CBC', keysize: '128' },
  aes192: { keyword: 'aes192', vici: 'AES_CBC', keysize: '192' },
  aes256: { keyword: 'aes256', vici: 'AES_CBC', keysize: '256' },
  des: { keyword: 'des', vici: 'DES_CBC', keysize: null },
  '3des': { keyword: '3des', vici: '3DES_CBC', keysize: null },
};

/** Alibaba integrity name → swanctl keyword, VICI integrity and PRF names (RFC 4868 truncations). */
const INTEGRITY: Record<string, { keyword: string; vici: string; prf: string }> = {
  md5: { keyword: 'md5', vici: 'HMAC_MD5_96', prf: 'PRF_HMAC_MD5' },
  sha1: { keyword: 'sha1', vici: 'HMAC_SHA1_96', prf: 'PRF_HMAC_SHA1' },
  sha256: { keyword: 'sha256', vici: 'HMAC_SHA2_256_128', prf: 'PRF_HMAC_SHA2_256' },
  sha384: { keyword: 'sha384', vici: 'HMAC_SHA2_384_192', prf: 'PRF_HMAC_SHA2_384' },
  sha512: { keyword: 'sha512', vici: 'HMAC_SHA2_512_256', prf: 'PRF_HMAC_SHA2_512' },
};

/** Alibaba DH group name → swanctl keyword and VICI name. */
const DH: Record<string, { keyword: string; vici: string }> = {
  group1: { keyword: 'modp768', vici: 'MODP_768' },
  group2: { keyword: 'modp1024', vici: 'MODP_1024' },
  group5: { keyword: 'modp1536', vici: 'MODP_1536' },
  group14: { keyword: 'modp2048', vici: 'MODP_2048' },
  group24: { keyword: 'modp2048s256', vici: 'MODP_2048_256' },
};

/** swanctl keyword aliases strongSwan accepts for the same algorithm (proposal_keywords_static.txt). */
const ENC_ALIASES: Record<string, string> = { aes: 'aes', aes128: 'aes', aes192: 'aes192', aes256: 'aes256' };
const INTEG_ALIASES: Record<string, string> = {
  sha: 'sha1',
  sha1: 'sha1',
  md5: 'md5',
  sha256: 'sha256',
  sha2_256: 'sha256',
  sha384: 'sha384',
  sha2_384: 'sha384',
  sha512: 'sha512',
  sha2_512: 'sha512',
};

export class UnsupportedAlgorithmError extends Error {
  override name = 'UnsupportedAlgorithmError';
}

const lower = (s: string) => s.trim().toLowerCase();

function enc(name: string, where: string) {
  const e = ENCRYPTION[lower(name)];
  if (!e)
    throw new UnsupportedAlgorithmError(
      `${where}: encryption "${name}" has no strongSwan equivalent (strongSwan has no SM4; known: ${Object.keys(ENCRYPTION).join(', ')})`,
    );
  return e;
}

function integ(name: string, where: string) {
  const i = INTEGRITY[lower(name)];
  if (!i)
    throw new UnsupportedAlgorithmError(
      `${where}: integrity "${name}" has no strongSwan equivalent (strongSwan has no SM3; known: ${Object.keys(INTEGRITY).join(', ')})`,
    );
  return i;
}

/** true when Alibaba's PFS/DH value means "no PFS". */
export const pfsDisabled = (pfs: string): boolean => ['', 'disabled', 'none'].includes(lower(pfs));

/** Alibaba group name → swanctl keyword (`group14` → `modp2048`). */
export function dhKeyword(group: string, where: string): string {
  const d = DH[lower(group)];
  if (!d)
    throw new UnsupportedAlgorithmError(
      `${where}: DH group "${group}" has no strongSwan equivalent (known: ${Object.keys(DH).join(', ')})`,
    );
  return d.keyword;
}

/**
 * One strongSwan proposal from Alibaba's names: `aes`, `sha1`, `group2` → `aes128-sha1-modp1024`.
 * `dh` null or "disabled" leaves the group out (an ESP proposal without PFS).
 */
export function strongswanProposal(
  encAlg: string,
  authAlg: string,
  dh: string | null,
  where: string,
): string {
  const parts = [enc(encAlg, where).keyword, integ(authAlg, where).keyword];
  if (dh !== null && !pfsDisabled(dh)) parts.push(dhKeyword(dh, where));
  return parts.join('-');
}

/** What charon reports for an SA (list-sas), in Alibaba's names where one exists. */
export interface NegotiatedAlgorithms {
  enc: string;
  auth: string;
  dh: string;
}

/**
 * Alibaba names for the algorithms charon reports in list-sas (`AES_CBC`/`128` → `aes`,
 * `HMAC_SHA2_256_128` → `sha256`, `MODP_1024` → `group2`, no dh-group on a CHILD_SA → `disabled`).
 * A name without an Alibaba equivalent stays as charon spelled it, so it never equals a cloud value.
 */
export function fromVici(sa: {
  encr?: string;
  keysize?: string;
  integ?: string;
  dh?: string;
}): NegotiatedAlgorithms {
  const encName =
    Object.entries(ENCRYPTION).find(
      ([, e]) => e.vici === sa.encr && (e.keysize === null || e.keysize === (sa.keysize ?? '')),
    )?.[0] ?? [sa.encr, sa.keysize].filter(Boolean).join('-');
  const authName = Object.entries(INTEGRITY).find(([, i]) => i.vici === sa.integ)?.[0] ?? sa.integ ?? '';
  const dhName = sa.dh ? (Object.entries(DH).find(([, d]) => d.vici === sa.dh)?.[0] ?? sa.dh) : 'disabled';
  return { enc: encName, auth: authName, dh: dhName };
}

/** One proposal of a swanctl.conf `proposals`/`esp_proposals` line, in Alibaba's names. */
export interface ParsedProposal {
  text: string;
  enc: string[];
  auth: string[];
  dh: string[];
}

/**
 * Reads a swanctl.conf proposal list (`aes128-sha1-modp1024, aes256-sha256-modp2048`) into Alibaba's
 * names; keywords without an Alibaba equivalent are kept verbatim (they never match a cloud value).
 * `default` is strongSwan's built-in list and is returned as such.
 */
export function parseProposals(list: string): ParsedProposal[] {
  const dhByKeyword = new Map(Object.entries(DH).map(([name, d]) => [d.keyword, name]));
  return list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((text) => {
      const out: ParsedProposal = { text, enc: [], auth: [], dh: [] };
      for (const word of lower(text).split('-')) {
        if (word === 'default') out.enc.push('default');
        else if (ENC_ALIASES[word]) out.enc.push(ENC_ALIASES[word]);
        else if (word === 'des' || word === '3des') out.enc.push(word);
        else if (INTEG_ALIASES[word]) out.auth.push(INTEG_ALIASES[word]);
        else if (dhByKeyword.has(word)) out.dh.push(dhByKeyword.get(word)!);
        else if (/^(modp|ecp|curve|x25519|x448)/.test(word)) out.dh.push(word);
        else if (/^(aes|3des|des|camellia|chacha|serpent|twofish|blowfish|cast)/.test(word))
          out.enc.push(word);
        else if (/^prf/.test(word) || word === 'noesn' || word === 'esn') continue;
        else out.auth.push(word);
      }
      return out;
    });
}
