// Turns the raw HTTP request into flat wire parameters (`TunnelIds.1`, `Tag.1.Key`) and tells the
// two request styles apart: V3 (x-acs-action/x-acs-version headers, Authorization header) and the
// legacy RPC style (Action/Version/Signature… in the query).
import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { SimApiError } from '../protocol.js';

/** One request as received, before authentication. */
export interface RawCall {
  method: string;
  /** Path exactly as sent (the canonical URI of the signature). */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Parameters carried in a form or JSON body, flattened. */
  bodyParams: Record<string, string>;
}

export type RequestStyle = 'v3' | 'rpc';

/** Parameters that belong to the legacy signature envelope, not to the operation. */
const RPC_ENVELOPE = new Set([
  'Action',
  'Version',
  'Format',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureType',
  'AccessKeyId',
  'Signature',
  'SecurityToken',
  'BearerToken',
]);

function lastValue(v: string | string[] | undefined): string {
  if (Array.isArray(v)) return v[v.length - 1] ?? '';
  return v ?? '';
}

/** Query string → flat map; a repeated key keeps its last value. */
export function parseQuery(raw: string): Record<string, string> {
  const parsed = parseQueryString(raw);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) out[k] = lastValue(v);
  return out;
}

/** Flattens nested JSON the way the SDK flattens request models (`A.1.B`). */
function flattenJson(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      flattenJson(item, `${prefix}.${i + 1}`, out);
    });
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flattenJson(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = String(value);
  }
}

/** Body → flat parameters: form bodies and JSON bodies; other content types carry none. */
export function parseBody(contentType: string | undefined, body: Buffer): Record<string, string> {
  if (body.length === 0) return {};
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return parseQuery(body.toString('utf8'));
  if (type === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new SimApiError(400, 'InvalidParameter', 'The request body is not valid JSON.');
    }
    const out: Record<string, string> = {};
    flattenJson(json, '', out);
    return out;
  }
  return {};
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * The legacy style when a legacy signature is present (the SDK's V1 path also sends the x-acs-action
 * header) or the action is only a query parameter; V3 otherwise.
 */
export function requestStyle(call: RawCall): RequestStyle {
  if ('Signature' in call.query || 'SignatureMethod' in call.query) return 'rpc';
  if (header(call.headers, 'x-acs-action') !== undefined) return 'v3';
  return 'Action' in call.query ? 'rpc' : 'v3';
}

export interface ApiTarget {
  style: RequestStyle;
  action: string | undefined;
  version: string | undefined;
}

export function apiTarget(call: RawCall): ApiTarget {
  const style = requestStyle(call);
  if (style === 'v3') {
    return {
      style,
      action: header(call.headers, 'x-acs-action'),
      version: header(call.headers, 'x-acs-version'),
    };
  }
  const all = { ...call.bodyParams, ...call.query };
  return {
    style,
    action: all['Action'] ?? header(call.headers, 'x-acs-action'),
    version: all['Version'] ?? header(call.headers, 'x-acs-version'),
  };
}

/** The operation's parameters: query and body merged, without the legacy signature envelope. */
export function operationParams(call: RawCall, style: RequestStyle): Record<string, string> {
  const merged: Record<string, string> = { ...call.query, ...call.bodyParams };
  if (style === 'rpc') for (const k of RPC_ENVELOPE) delete merged[k];
  return merged;
}
