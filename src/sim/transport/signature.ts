// Signature computations exactly as the SDK performs them (@alicloud/openapi-core utils:
// getAuthorization for ACS3-HMAC-SHA256, getRPCSignature for the legacy HMAC-SHA1), so the server
// can recompute them from what it received.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** RFC 3986 percent-encoding as Alibaba canonicalises it. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface Acs3Authorization {
  algorithm: string;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`; undefined if malformed. */
export function parseAcs3Authorization(value: string): Acs3Authorization | undefined {
  const m = /^(\S+)\s+(.*)$/.exec(value.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of (m[2] ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || signedHeaders === undefined || !signature) return undefined;
  return {
    algorithm: m[1] ?? '',
    accessKeyId,
    signedHeaders: signedHeaders.split(';').filter((h) => h !== ''),
    signature,
  };
}

export interface Acs3Input {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  signedHeaders: string[];
  /** Hex SHA-256 of the body as the server received it. */
  payloadHash: string;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  if (Array.isArray(v))
    return v
      .map((x) => x.trim())
      .sort()
      .join(',');
  return (v ?? '').trim();
}

/** The canonical request and string to sign of ACS3-HMAC-SHA256. */
export function acs3StringToSign(input: Acs3Input): { canonicalRequest: string; stringToSign: string } {
  const canonicalUri = (input.path || '/').replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const canonicalQuery = Object.keys(input.query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(input.query[k] ?? '')}`)
    .join('&');
  const names = input.signedHeaders.map((h) => h.toLowerCase()).sort();
  const canonicalHeaders = names.map((h) => `${h}:${headerValue(input.headers, h)}\n`).join('');
  const canonicalRequest = [
    input.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    names.join(';'),
    input.payloadHash,
  ].join('\n');
  return { canonicalRequest, stringToSign: `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}` };
}

export function acs3Signature(secret: string, stringToSign: string): string {
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

/** The legacy RPC string to sign: `METHOD&%2F&<encoded sorted params>`. */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
  return `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

export function rpcSignature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/** Constant-time string comparison. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
