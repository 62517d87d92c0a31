// Last line of defence: event details come from the tracker's free-form records, so any key that
// looks like a credential is dropped before a response or report is built. Fingerprints are kept.
const SECRET_KEY = /psk|secret|password|passwd|token|credential|access.?key|signature|private.?key/i;
const SAFE_KEY = /fingerprint/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !SAFE_KEY.test(key);
}

/** A deep copy of `value` without secret-looking keys. */
export function redactDetail(value: Record<string, unknown>): Record<string, unknown> {
  return redact(value, 0) as Record<string, unknown>;
}

function redact(value: unknown, depth: number): unknown {
  if (depth > 8) return undefined;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!isSecretKey(k)) out[k] = redact(v, depth + 1);
    return out;
  }
  return value;
}
