// The report JSON names its units: every number of the report schema (and so of the API's generated
// response schemas and OpenAPI document) says its unit in its description, and the traffic fields
// say bits, not bytes (`Bps` alone reads as bytes to many).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { reportSchema } from '../../src/report/schema.js';

type Node = Record<string, unknown>;

/** Every numeric property of the JSON Schema, with its path and description. */
function numbers(node: unknown, path: string, out: { path: string; description?: string }[]): void {
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  const types = ([] as unknown[]).concat(n.type ?? []);
  const variants = ((n.anyOf ?? n.oneOf ?? []) as Node[]).flatMap((v) =>
    ([] as unknown[]).concat(v.type ?? []),
  );
  // A literal (schemaVersion) is an identifier, not a quantity.
  if (!('const' in n) && [...types, ...variants].some((t) => t === 'number' || t === 'integer'))
    out.push({ path, ...(typeof n.description === 'string' && { description: n.description }) });
  for (const [k, v] of Object.entries((n.properties ?? {}) as Node)) numbers(v, `${path}.${k}`, out);
  if (n.items) numbers(n.items, `${path}[]`, out);
  for (const v of (n.anyOf ?? n.oneOf ?? []) as Node[])
    if (!([] as unknown[]).concat(v.type ?? []).some((t) => t === 'number' || t === 'integer'))
      numbers(v, path, out);
}

const UNIT = /\b(bits? per second|bytes|seconds?|milliseconds|ms|percent|ratio|count|number of)\b/i;

describe('report JSON units', () => {
  const schema = z.toJSONSchema(reportSchema, { io: 'output', target: 'draft-07' });
  const found: { path: string; description?: string }[] = [];
  numbers(schema, 'report', found);

  it('describes the traffic fields in bits per second, not bytes', () => {
    const byPath = Object.fromEntries(found.map((f) => [f.path, f.description]));
    for (const field of ['receiveBps', 'transmitBps'])
      expect(byPath[`report.connections[].${field}`]).toMatch(/bits per second \(not bytes\)/);
  });

  it('gives every number of the schema a description that names its unit', () => {
    expect(found.length).toBeGreaterThan(0);
    const unnamed = found.filter((f) => !UNIT.test(f.description ?? '')).map((f) => f.path);
    expect(unnamed, 'numbers without a unit in their description').toEqual([]);
  });
});
