// Parameter handling shared by every operation handler: required parameters, the caller's
// account × region scope, flattened lists (`TunnelIds.1`), tags (`Tag.1.Key`) and paging,
// each failing the way Alibaba's API gateway does.
import { SimApiError, type SimRequest } from '../protocol.js';
import type { RegionScope, WorldState } from './types.js';

/** A required parameter, or `Missing<Name>` (HTTP 400) as the API gateway answers. */
export function requireParam(req: SimRequest, name: string): string {
  const value = req.params[name];
  if (value === undefined || value === '') {
    throw new SimApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
  }
  return value;
}

/**
 * The account × region the request may see. A region the account has no resources in is a valid,
 * empty region; a malformed region id is `InvalidRegionId`.
 */
export function requireScope(world: WorldState, req: SimRequest): RegionScope {
  const regionId = req.regionId ?? req.params['RegionId'];
  if (!regionId) throw new SimApiError(400, 'MissingRegionId', 'RegionId is mandatory for this action.');
  if (!/^[a-z]{2}(-[a-z0-9]+)+$/.test(regionId)) {
    throw new SimApiError(400, 'InvalidRegionId', 'The specified region does not exist.');
  }
  const scope = world.scope(req.account, regionId);
  if (scope) return scope;
  const account = world.world.accounts.find((a) => a.name === req.account);
  if (!account)
    throw new SimApiError(403, 'Forbidden', 'User not authorized to operate on the specified resource.');
  return {
    account,
    region: {
      id: regionId,
      zones: [],
      vpcs: [],
      vswitches: [],
      routeTables: [],
      networkAcls: [],
      securityGroups: [],
      instances: [],
      vpnGateways: [],
      customerGateways: [],
      connections: [],
      vpnRoutes: [],
    },
  };
}

/** A flattened list parameter: `Name.1`, `Name.2`, … in index order. */
export function listParam(req: SimRequest, name: string): string[] {
  const entries: [number, string][] = [];
  const re = new RegExp(`^${name.replace(/\./g, '\\.')}\\.(\\d+)$`);
  for (const [key, value] of Object.entries(req.params)) {
    const m = re.exec(key);
    if (m) entries.push([Number(m[1]), value]);
  }
  return entries.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Tag.N.Key` / `Tag.N.Value` pairs. */
export function tagParams(req: SimRequest, name = 'Tag'): { key: string; value: string | undefined }[] {
  const out: { key: string; value: string | undefined }[] = [];
  for (let n = 1; n <= 20; n++) {
    const key = req.params[`${name}.${n}.Key`];
    if (key === undefined) continue;
    out.push({ key, value: req.params[`${name}.${n}.Value`] });
  }
  return out;
}

/** true when `tags` has every requested key (and value, when one is given). */
export function matchesTags(
  tags: Record<string, string>,
  wanted: { key: string; value: string | undefined }[],
): boolean {
  return wanted.every((w) => w.key in tags && (w.value === undefined || tags[w.key] === w.value));
}

/** An optional integer parameter within bounds, else `InvalidParameter`. */
export function intParam(req: SimRequest, name: string, min: number, max: number): number | undefined {
  const raw = req.params[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SimApiError(400, `InvalidParameter`, `The specified ${name} is invalid.`);
  }
  return n;
}

export interface Page<T> {
  items: T[];
  pageNumber: number;
  pageSize: number;
  totalCount: number;
}

/** PageNumber/PageSize paging (PageSize 1–`maxSize`, default `defaultSize`). */
export function paginate<T>(req: SimRequest, all: T[], defaultSize = 10, maxSize = 50): Page<T> {
  const pageNumber = intParam(req, 'PageNumber', 1, 1_000_000) ?? 1;
  const pageSize = intParam(req, 'PageSize', 1, maxSize) ?? defaultSize;
  const start = (pageNumber - 1) * pageSize;
  return { items: all.slice(start, start + pageSize), pageNumber, pageSize, totalCount: all.length };
}

/** Alibaba's `{ Tag: [{Key, Value}] }` wrapper content. */
export function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
