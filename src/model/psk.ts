// How a pre-shared key is shown: never itself, only the first 12 hex digits of the SHA-256 of its
// bytes. The cloud side (Alibaba's PSK, fingerprinted as it is normalised) and the on-prem side (a
// swanctl.conf secret) use this one function, so equal keys have equal fingerprints.
import { createHash } from 'node:crypto';

/** Fingerprint of a PSK's bytes (12 hex characters). */
export const pskFingerprintOfBytes = (psk: Buffer | string): string =>
  createHash('sha256').update(psk).digest('hex').slice(0, 12);

/** Fingerprint of a PSK given as text (UTF-8); null when there is none. */
export function pskFingerprint(psk: string | null | undefined): string | null {
  if (psk === null || psk === undefined || psk === '') return null;
  return pskFingerprintOfBytes(Buffer.from(psk, 'utf8'));
}
