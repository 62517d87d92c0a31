// MaxResults/NextToken paging (ECS, DescribeRouteEntryList, CloudMonitor). The token is opaque to
// clients but carries the offset and a digest of the filters, so a token replayed against another
// query is rejected as Alibaba rejects a foreign token.
import { createHash } from 'node:crypto';
import { SimApiError, type SimRequest } from '../protocol.js';

export interface TokenPageOptions {
  /** `MaxResults` (ECS), `MaxResult` (DescribeRouteEntryList), `Length` (CMS). */
  sizeParam: string;
  defaultSize: number;
  minSize: number;
  maxSize: number;
  /** Parameters that define the query; a token only continues the same query. */
  scope: string;
}

export interface TokenPage<T> {
  items: T[];
  /** '' when this is the last page. */
  nextToken: string;
  totalCount: number;
}

function digest(scope: string): string {
  return createHash('sha256').update(scope).digest('hex').slice(0, 12);
}

export function invalidToken(): SimApiError {
  return new SimApiError(400, 'InvalidNextToken', 'The specified NextToken is invalid.');
}

function decodeOffset(token: string, scope: string): number {
  const m = /^([0-9a-f]{12})([0-9a-z]+)$/.exec(token);
  if (!m || m[1] !== digest(scope)) throw invalidToken();
  return Number.parseInt(m[2] ?? '', 36);
}

export interface TokenWindow {
  offset: number;
  end: number;
  /** '' when this is the last page. */
  nextToken: string;
}

/** The slice [offset, end) of `total` items this request asks for, and the token of the next one. */
export function tokenWindow(req: SimRequest, total: number, o: TokenPageOptions): TokenWindow {
  const raw = req.params[o.sizeParam];
  let size = o.defaultSize;
  if (raw !== undefined && raw !== '') {
    size = Number(raw);
    if (!Number.isInteger(size) || size < o.minSize || size > o.maxSize) {
      throw new SimApiError(
        400,
        'InvalidParameter',
        `The specified ${o.sizeParam} is invalid (${o.minSize}-${o.maxSize}).`,
      );
    }
  }
  const token = req.params['NextToken'];
  const offset = token ? decodeOffset(token, o.scope) : 0;
  const end = Math.min(total, offset + size);
  return { offset, end, nextToken: end < total ? `${digest(o.scope)}${end.toString(36)}` : '' };
}

export function tokenPage<T>(req: SimRequest, all: T[], o: TokenPageOptions): TokenPage<T> {
  const w = tokenWindow(req, all.length, o);
  return { items: all.slice(w.offset, w.end), nextToken: w.nextToken, totalCount: all.length };
}

/** The request's parameters minus paging ones, as a stable string (the token scope). */
export function queryScope(req: SimRequest, paging: string[]): string {
  const skip = new Set(['NextToken', ...paging]);
  return [
    req.account,
    req.action,
    ...Object.keys(req.params)
      .filter((k) => !skip.has(k))
      .sort()
      .map((k) => `${k}=${req.params[k]}`),
  ].join('\n');
}
