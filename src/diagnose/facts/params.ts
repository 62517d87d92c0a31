// Reads MismatchLocalParam/MismatchRemoteParam values: which parameter differs and which side is stronger.

export type ParamKind =
  | 'dh-group'
  | 'encryption'
  | 'authentication'
  | 'lifetime'
  | 'ike-version'
  | 'ike-mode'
  | '';

const DH = /^(?:dh\s*)?(?:group\s*|modp\s*|g)?(\d{1,2}|1024|1536|2048|3072|4096)$/i;
const ENC = /^(?:aes(?:128|192|256)?|des|3des|sm4|aes[-_ ]?cbc[-_ ]?\d*|aes[-_ ]?gcm[-_ ]?\d*)$/i;
const AUTH = /^(?:md5|sha1?|sha-?(?:256|384|512)|sha2[-_ ]?\d*|sm3|hmac[-_ ]?\w{1,20})$/i;
const LIFETIME = /^\d{2,6}\s*s?$/;

const MODP_TO_GROUP: Record<string, string> = {
  '768': '1',
  '1024': '2',
  '1536': '5',
  '2048': '14',
  '3072': '15',
  '4096': '16',
};

/** Normalise a DH value ("MODP_1024", "group 2", "2") to "groupN"; null when it is not a DH value. */
export function dhGroupName(value: string): string | null {
  const v = value.trim().replace(/^modp[_-]?/i, '');
  const m = DH.exec(v);
  if (!m?.[1]) return null;
  const n = m[1];
  return `group${MODP_TO_GROUP[n] ?? String(Number(n))}`;
}

/** Classify one parameter value. */
export function paramKind(value: string): ParamKind {
  const v = value.trim();
  if (!v) return '';
  if (/^ikev[12]$/i.test(v)) return 'ike-version';
  if (/^(?:main|aggressive)$/i.test(v)) return 'ike-mode';
  if (ENC.test(v)) return 'encryption';
  if (AUTH.test(v)) return 'authentication';
  if (/group|modp|^dh/i.test(v) && dhGroupName(v)) return 'dh-group';
  if (LIFETIME.test(v)) return 'lifetime';
  return '';
}

/** The kind both sides agree on, or '' when the values are of different or unknown kinds. */
export function mismatchKind(local: string, remote: string): ParamKind {
  const a = paramKind(local);
  const b = paramKind(remote);
  if (a && (a === b || !b)) return a;
  if (!a && b) return b;
  return '';
}

// Higher is stronger; unknown values rank 0 so they never look stronger than a known one.
const STRENGTH: Record<string, number> = {
  des: 1,
  '3des': 2,
  aes: 3,
  aes128: 3,
  aes192: 4,
  aes256: 5,
  sm4: 3,
  md5: 1,
  sha: 2,
  sha1: 2,
  sm3: 3,
  sha256: 4,
  sha384: 5,
  sha512: 6,
  group1: 1,
  group2: 2,
  group5: 3,
  group14: 4,
  group15: 5,
  group16: 6,
};

function strength(value: string): number {
  const v = value.trim().toLowerCase().replace(/[-_ ]/g, '');
  return STRENGTH[dhGroupName(v) ?? v] ?? 0;
}

/** true when the peer's value is the stronger one, so raising Alibaba's side is the better fix. */
export function remoteIsStronger(local: string, remote: string): boolean {
  const r = strength(remote);
  return r > 0 && r > strength(local);
}
