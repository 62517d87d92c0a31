// The one secret scrubber. Everything that leaves the process goes through it: log records (the
// pino logger), the failures of cloud calls (CloudError messages, which become errors[], report
// formats, HTML and API answers), the HTTP server's every answer (an onSend hook), and the store's
// JSON columns. It knows two things:
// - keys that name a secret (at any depth): their values are replaced;
// - secret values (AccessKey secrets, STS tokens, the server's auth token, whatever the credential
//   chain handed the SDK): blanked wherever they appear inside a string, also in the encodings an
//   echo from the cloud carries them in (a SignatureDoesNotMatch quotes the string-to-sign, where
//   the STS token is percent-encoded once or twice; JSON and HTML escape some characters).
// - the user:password@ of any URL (a proxy URL from HTTPS_PROXY or `api.proxy.url`): blanked as a whole.
// AccessKey IDs are not secret and stay readable.

export const REDACTED = '[REDACTED]';

const SECRET_KEY =
  /secret|psk|presharedkey|password|passwd|authorization|cookie|signature|private.?key|x-acs-security-token/i;
const TOKEN_KEY = /token$/i;
const NOT_SECRET = /^(nexttoken|tokensavailable)$/i;
const SAFE_KEY = /fingerprint/i;
const CREDENTIAL_KEY = /^credentials?$/i;
const MAX_DEPTH = 12;
/** scheme://user:password@ (the userinfo ends at the first "@" before any "/", "?" or "#"). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"<>]+@/gi;
/** Short values would blank innocent text; real secrets are long. */
const MIN_SECRET_LENGTH = 6;

export function isSecretKey(key: string): boolean {
  if (NOT_SECRET.test(key) || SAFE_KEY.test(key)) return false;
  return SECRET_KEY.test(key) || TOKEN_KEY.test(key) || CREDENTIAL_KEY.test(key);
}

/** Alibaba's RPC percent-encoding (RFC 3986 plus `!'()*`), as in a string-to-sign. */
function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The forms a secret can take in text that left us or came back to us. */
function spellings(secret: string): string[] {
  const once = percentEncode(secret);
  return [
    secret,
    once,
    percentEncode(once), // the string-to-sign percent-encodes the already encoded query
    once.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2), // form encoding: space as +
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!),
  ];
}

export class Scrubber {
  private readonly known = new Set<string>();
  private patterns: string[] = [];

  /** `secrets`: literal values (AccessKey secrets, STS and auth tokens) to blank inside any string. */
  constructor(secrets: Iterable<string | null | undefined> = []) {
    this.learn(secrets);
  }

  /** Add secret values (e.g. what the credential chain just handed out); idempotent and cheap when known. */
  learn(secrets: Iterable<string | null | undefined>): void {
    let changed = false;
    for (const s of secrets) {
      if (typeof s !== 'string' || s.length < MIN_SECRET_LENGTH || this.known.has(s)) continue;
      this.known.add(s);
      changed = true;
    }
    if (!changed) return;
    const all = new Set<string>();
    for (const s of this.known)
      for (const form of spellings(s)) if (form.length >= MIN_SECRET_LENGTH) all.add(form);
    // Longest first, so a secret inside a longer encoded form is not half-replaced.
    this.patterns = [...all].sort((a, b) => b.length - a.length);
  }

  scrubString(text: string): string {
    let out = text.includes('@') ? text.replace(URL_USERINFO, `$1${REDACTED}@`) : text;
    for (const s of this.patterns) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  /** A scrubbed copy of any value; Errors become plain objects (name, message, code, stack, own fields). */
  scrub(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet(), drop = false): unknown {
    if (typeof value === 'string') return this.scrubString(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Truncated]';
    if (value instanceof Date) return value;
    // `seen` holds the ancestors only: a cycle is cut, an object referenced twice is logged twice.
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => this.scrub(v, depth + 1, seen, drop));
      const source = value instanceof Error ? errorFields(value) : (value as Record<string, unknown>);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(source)) {
        if (typeof v === 'function') continue;
        const secret = isSecretKey(key) && v !== undefined && v !== null && v !== '';
        if (secret && drop) continue;
        out[key] = secret ? REDACTED : this.scrub(v, depth + 1, seen, drop);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }

  /** `scrub` for a value whose type is kept, secret-named keys left out (event details shown to people). */
  clean<T>(value: T): T {
    return this.scrub(value, 0, new WeakSet(), true) as T;
  }
}

/**
 * The process's scrubber: every configured secret and every credential the chain handed the SDK is
 * taught to it (`secrets.learn`), and every sink uses it, so a secret learnt anywhere is blanked
 * everywhere.
 */
export const secrets = new Scrubber();

function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.name, message: err.message };
  for (const [k, v] of Object.entries(err)) out[k] = v;
  if (err.stack) out.stack = err.stack;
  if (err.cause !== undefined) out.cause = err.cause;
  return out;
}
