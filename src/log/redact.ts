// Secret scrubbing for log records: every key that names a secret (at any depth) is replaced, and
// known secret values are blanked out wherever they appear inside strings (e.g. echoed in an error).

export const REDACTED = '[REDACTED]';

const SECRET_KEY = /secret|psk|presharedkey|password|passwd|authorization|cookie|x-acs-security-token/i;
const TOKEN_KEY = /token$/i;
const NOT_SECRET = /^(nexttoken|tokensavailable)$/i;
const CREDENTIAL_KEY = /^credentials?$/i;
const MAX_DEPTH = 12;

export function isSecretKey(key: string): boolean {
  if (NOT_SECRET.test(key)) return false;
  return SECRET_KEY.test(key) || TOKEN_KEY.test(key) || CREDENTIAL_KEY.test(key);
}

export class Scrubber {
  private readonly secrets: string[];

  /** `secrets`: literal values (AccessKey secrets, STS and auth tokens) to blank inside any string. */
  constructor(secrets: Iterable<string> = []) {
    // Short values would blank innocent text; real secrets are long.
    this.secrets = [...new Set([...secrets].filter((s) => typeof s === 'string' && s.length >= 6))].sort(
      (a, b) => b.length - a.length,
    );
  }

  scrubString(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  /** A scrubbed copy of any value; Errors become plain objects (name, message, code, stack, own fields). */
  scrub(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
    if (typeof value === 'string') return this.scrubString(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Truncated]';
    if (value instanceof Date) return value;
    // `seen` holds the ancestors only: a cycle is cut, an object referenced twice is logged twice.
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => this.scrub(v, depth + 1, seen));
      const source = value instanceof Error ? errorFields(value) : (value as Record<string, unknown>);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(source)) {
        if (typeof v === 'function') continue;
        const secret = isSecretKey(key) && v !== undefined && v !== null && v !== '';
        out[key] = secret ? REDACTED : this.scrub(v, depth + 1, seen);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }
}

function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.name, message: err.message };
  for (const [k, v] of Object.entries(err)) out[k] = v;
  if (err.stack) out.stack = err.stack;
  if (err.cause !== undefined) out.cause = err.cause;
  return out;
}
