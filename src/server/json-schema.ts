// JSON Schemas (draft-07, what fastify's ajv, fast-json-stringify and @fastify/swagger read) made
// from the zod schemas that own each response shape. fast-json-stringify writes only what a
// response schema declares, so generating it from the owner is what keeps a new field from being
// dropped silently.
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** Shared schemas, each with its key as `$id` (register them with `app.addSchema`). */
export function sharedSchemas<const S extends Record<string, z.ZodType>>(
  shared: S,
): { [K in keyof S]: JsonSchema } {
  const all = convert(shared);
  return Object.fromEntries(Object.keys(shared).map((id) => [id, tidy(all[id])])) as {
    [K in keyof S]: JsonSchema;
  };
}

/**
 * One response schema: the shared schemas it contains are `$ref`s to their `$id`, everything else is
 * inline. A zod type with no JSON equivalent (a transform, a Date, a bigint) throws here, at startup
 * and in the tests, instead of reaching a client as `{}`.
 */
export function responseSchema(schema: z.ZodType, shared: Record<string, z.ZodType> = {}): JsonSchema {
  const root = '#root';
  const { $id: _, ...out } = convert({ ...shared, [root]: schema })[root] ?? {};
  return tidy(out);
}

function convert(schemas: Record<string, z.ZodType>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  return z.toJSONSchema(registry, {
    target: 'draft-07',
    io: 'output',
    unrepresentable: 'throw',
    uri: (id) => id,
  }).schemas as Record<string, JsonSchema>;
}

/**
 * What zod writes that helps no reader here: `$schema`; `anyOf: [X, null]` where fast-json-stringify
 * serialises `type: [X, "null"]` without running a validator per value; the long regular expression
 * beside `format: date-time`; the safe-integer bounds of `z.int()`; `propertyNames: string`.
 */
function tidy(node: unknown): JsonSchema {
  if (Array.isArray(node)) return node.map(tidy) as unknown as JsonSchema;
  if (node === null || typeof node !== 'object') return node as JsonSchema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema') continue;
    out[k] = typeof v === 'object' && v !== null ? tidy(v) : v;
  }
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (anyOf?.length === 2 && anyOf[1]?.type === 'null' && Object.keys(anyOf[1]).length === 1) {
    const [only] = anyOf as [JsonSchema];
    if (typeof only.type === 'string' && !('anyOf' in only) && !('const' in only)) {
      delete out.anyOf;
      Object.assign(out, only, { type: [only.type, 'null'] });
      if (Array.isArray(only.enum)) out.enum = [...only.enum, null];
    }
  }
  if (out.format === 'date-time') delete out.pattern;
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  const names = out.propertyNames as JsonSchema | undefined;
  if (names && Object.keys(names).length === 1 && names.type === 'string') delete out.propertyNames;
  return out;
}
