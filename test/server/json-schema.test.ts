// What the API's generated response schemas promise beyond "every field is there"
// (report-fields.test.ts): a shape with no JSON form fails at startup, not as `{}` on the wire;
// null stays allowed where the zod schema allows it; the shared schema is referenced, not copied.
import { Ajv } from 'ajv';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseSchema, sharedSchemas } from '../../src/server/json-schema.js';
import * as S from '../../src/server/schemas.js';

describe('response schemas generated from zod', () => {
  it('refuses a type with no JSON form (a Date, a transform) instead of serialising it as {}', () => {
    expect(() => responseSchema(z.object({ at: z.date() }))).toThrow(/Date/);
    expect(() => responseSchema(z.object({ n: z.string().transform((v) => v.length) }))).toThrow();
  });

  it('keeps null allowed beside an enum and a date-time, and serialises it', () => {
    const schema = responseSchema(
      z.object({ layer: z.enum(['ike', 'ipsec']).nullable(), at: z.iso.datetime().nullable() }),
    );
    const validate = new Ajv({ strict: false }).compile(schema);
    for (const body of [
      { layer: null, at: null },
      { layer: 'ike', at: '2026-01-01T00:00:00.000Z' },
    ]) {
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      expect(JSON.parse(fastJson(schema as unknown as Parameters<typeof fastJson>[0])(body))).toEqual(body);
    }
    expect(validate({ layer: 'bgp', at: null })).toBe(false);
  });

  it('refers to the shared connection schema by $id from the report', () => {
    expect(S.connection.$id).toBe('ReportConnection');
    expect(JSON.stringify(S.report)).toContain('"items":{"$ref":"ReportConnection"}');
    expect(JSON.stringify(S.report)).not.toContain('"tunnels"');
    const { A } = sharedSchemas({ A: z.object({ x: z.string() }) });
    expect(A).toEqual({
      $id: 'A',
      type: 'object',
      properties: { x: { type: 'string' } },
      required: ['x'],
      additionalProperties: false,
    });
  });
});
