// Response shapes: an HTTP 200 whose body is not what Alibaba documents (`{}`, `null`, a non-list,
// rows without their id, tunnels without a Status) is a failed call, never an empty or a down fleet.
// The SDK has already mapped the wire JSON onto its model (camelCase keys, unknown keys dropped, some
// type mismatches thrown as plain Errors): the schemas check that model, and errors name the field
// as it is on the wire (PascalCase).
import { z } from 'zod';
import type { Product } from './types.js';

/** The answer does not have the documented shape; counted and reported as `BadResponse`. */
export class BadResponseError extends Error {
  constructor(
    readonly product: Product,
    readonly action: string,
    /** Wire path of the first offending field, e.g. `VpnConnections.VpnConnection[0].VpnConnectionId`. */
    readonly field: string,
    problem: string,
  ) {
    super(`the answer is not the documented shape: ${field}: ${problem}`);
    this.name = 'BadResponseError';
  }
}

/** `vpnConnections.vpnConnection[0]` → `VpnConnections.VpnConnection[0]`: the SDK only lower-cases the first letter. */
export function wirePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const s = String(p);
      out += `${out === '' ? '' : '.'}${s.charAt(0).toUpperCase()}${s.slice(1)}`;
    }
  }
  return out === '' ? 'body' : out;
}

/**
 * Plain predicates that accept only what a schema accepts, for the schemas checked on every status
 * page: zod builds a full copy of each loose object it validates, which at 4,000 tunnels was a third
 * of a status cycle's CPU. A body the predicate does not accept goes through zod, which names the
 * offending field, so the errors are zod's either way.
 */
const accepts = new WeakMap<z.ZodType, (body: unknown) => boolean>();

/** Check `body` (the SDK response's `.body`) against `schema`; throws BadResponseError naming the field. */
export function checkShape(schema: z.ZodType, body: unknown, product: Product, action: string): void {
  if (body === undefined || body === null)
    throw new BadResponseError(product, action, 'body', 'missing (the answer was empty or null)');
  if (accepts.get(schema)?.(body)) return;
  const result = schema.safeParse(body);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  throw new BadResponseError(product, action, wirePath(issue.path), issue.message);
}

/**
 * The SDK's own model mapping throws plain Errors on a type it cannot map ("type of vpnConnection is
 * mismatch, expect array, but object", "can not cast to Map"): those are bad answers too.
 */
export function sdkShapeProblem(message: string): string | undefined {
  const m = /^type of (\w+) is mismatch, expect (\w+), but (\w+)$/.exec(message);
  if (m) return `the answer is not the documented shape: ${wirePath([m[1]!])}: expected ${m[2]}, got ${m[3]}`;
  if (message === 'can not cast to Map')
    return 'the answer is not the documented shape: body is not an object';
  return undefined;
}

const id = z.string({ error: 'missing' }).min(1, 'empty');
const status = z.string({ error: 'missing' }).min(1, 'empty');
const total = z.number({ error: 'missing or not a number' });

const tunnel = z.looseObject({ tunnelId: id, status });

const connection = z
  .looseObject({
    vpnConnectionId: id,
    status: z.string().optional(),
    tunnelOptionsSpecification: z.looseObject({ tunnelOptions: z.array(tunnel).optional() }).optional(),
  })
  .superRefine((c, ctx) => {
    // Dual-tunnel connections carry each tunnel's Status; a single-tunnel one is its own tunnel.
    const dual = (c.tunnelOptionsSpecification?.tunnelOptions ?? []).length > 0;
    if (!dual && !c.status) ctx.addIssue({ code: 'custom', path: ['status'], message: 'missing or empty' });
  });

/** DescribeVpnConnections: the status tier reads every tunnel's state from it. */
export const vpnConnectionsPage = z.looseObject({
  totalCount: total,
  vpnConnections: z.looseObject(
    { vpnConnection: z.array(connection, { error: 'missing or not a list' }) },
    {
      error: 'missing or not an object',
    },
  ),
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;

/** Exactly what `connection` above accepts (or less). */
function acceptsConnection(c: unknown): boolean {
  if (!isObject(c) || !nonEmpty(c.vpnConnectionId)) return false;
  if (c.status !== undefined && typeof c.status !== 'string') return false;
  const spec = c.tunnelOptionsSpecification;
  let dual = false;
  if (spec !== undefined) {
    if (!isObject(spec)) return false;
    const tunnels = spec.tunnelOptions;
    if (tunnels !== undefined) {
      if (!Array.isArray(tunnels)) return false;
      for (const t of tunnels) if (!isObject(t) || !nonEmpty(t.tunnelId) || !nonEmpty(t.status)) return false;
      dual = tunnels.length > 0;
    }
  }
  return dual || Boolean(c.status);
}

accepts.set(vpnConnectionsPage, (body) => {
  if (!isObject(body) || typeof body.totalCount !== 'number' || !Number.isFinite(body.totalCount))
    return false;
  const list = body.vpnConnections;
  if (!isObject(list) || !Array.isArray(list.vpnConnection)) return false;
  return list.vpnConnection.every(acceptsConnection);
});
