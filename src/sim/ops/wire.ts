// Small wire-format helpers shared by the network, ECS and CloudMonitor handlers: Alibaba's time
// formats, owner ids, empty wrappers, and NotFound errors.
import { SimApiError, type SimRequest } from '../protocol.js';
import { requireScope } from '../world/request.js';
import type { RegionScope } from '../world/types.js';
import type { Handler } from './index.js';

/** VPC style: 2025-01-15T02:00:00Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** ECS style: 2025-01-15T02:00Z (minute precision). */
export function isoMinutes(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
}

/** Route entry GmtModified style: 2025-01-15 02:00:00 (UTC). */
export function spaced(ms: number): string {
  return isoSeconds(ms).replace('T', ' ').replace('Z', '');
}

/** The numeric OwnerId Alibaba returns (the account uid). */
export function ownerId(uid: string): number {
  return Number(uid);
}

/** `{ Tag: [{Key, Value}] }` content for VPC resources. */
export function vpcTags(tags: Record<string, string> = {}): { Tag: { Key: string; Value: string }[] } {
  return { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}

/** 404 `<Code>` as Alibaba answers for an id that does not exist. */
export function notFound(code: string, message: string): SimApiError {
  return new SimApiError(404, code, message);
}

/** A JSON-array string parameter (ECS `InstanceIds`, `SecurityGroupIds`…); 400 when malformed. */
export function jsonListParam(params: Record<string, string>, name: string, max = 100): string[] | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
    throw new SimApiError(400, `Invalid${name}.Malformed`, `The specified parameter ${name} is not valid.`);
  }
  if (parsed.length > max) {
    throw new SimApiError(
      400,
      `Invalid${name}.Malformed`,
      `The specified parameter ${name} has more than ${max} items.`,
    );
  }
  return parsed as string[];
}

/** A handler over the caller's account × region (RegionId required, as these operations need). */
export function scoped(h: (req: SimRequest, scope: RegionScope) => Record<string, unknown>): Handler {
  return (world, req) => h(req, requireScope(world, req));
}
