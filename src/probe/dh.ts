// A real Diffie-Hellman public value for the probe's KE payload (node:crypto), so a responder that
// checks it (length, range, curve point) treats the probe as an honest first message.
import { createDiffieHellmanGroup, createECDH } from 'node:crypto';

/** IKE DH group numbers the probe can offer and compute a key for. */
export const DH_GROUPS = [1, 2, 5, 14, 19, 20] as const;
export type DhGroup = (typeof DH_GROUPS)[number];

const MODP: Partial<Record<DhGroup, { name: string; bytes: number }>> = {
  1: { name: 'modp1', bytes: 96 },
  2: { name: 'modp2', bytes: 128 },
  5: { name: 'modp5', bytes: 192 },
  14: { name: 'modp14', bytes: 256 },
};
const ECP: Partial<Record<DhGroup, string>> = { 19: 'prime256v1', 20: 'secp384r1' };

export const DH_GROUP_NAMES: Record<DhGroup, string> = {
  1: 'MODP_768',
  2: 'MODP_1024',
  5: 'MODP_1536',
  14: 'MODP_2048',
  19: 'ECP_256',
  20: 'ECP_384',
};

export function isDhGroup(n: number): n is DhGroup {
  return (DH_GROUPS as readonly number[]).includes(n);
}

/** The public value as IKE carries it: MODP left-padded to the prime's length; ECP as x || y. */
export function dhPublicValue(group: DhGroup): Buffer {
  const modp = MODP[group];
  if (modp) {
    const key = createDiffieHellmanGroup(modp.name).generateKeys();
    return key.length >= modp.bytes ? key : Buffer.concat([Buffer.alloc(modp.bytes - key.length), key]);
  }
  const curve = ECP[group];
  if (!curve) throw new Error(`DH group ${group} is not supported`);
  // Uncompressed point 0x04 || x || y; RFC 5903 sends x || y.
  return createECDH(curve).generateKeys().subarray(1);
}

/** Group number of an Alibaba IkePfs/Pfs value ("group14" -> 14), or null. */
export function dhGroupOf(alibaba: string): DhGroup | null {
  const m = /^group(\d+)$/i.exec(alibaba.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  return isDhGroup(n) ? n : null;
}
