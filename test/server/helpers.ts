// Builds a server on the fixture view and validates responses against the API's own schemas.
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import * as S from '../../src/server/schemas.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView } from '../fixtures/view.js';

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

export function server(opts: Partial<ServerOptions> = {}, view = new FixtureView()) {
  const app = buildServer(view, {
    version: '9.9.9',
    now: () => NOW,
    metrics: { defaultMetrics: false },
    ...opts,
  });
  open.push(app);
  return { app, view };
}

const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS: under NodeNext its default import is the module object.
type AddFormats = (ajv: Ajv) => Ajv;
const formats = formatsModule as unknown as AddFormats & { default?: AddFormats };
const addFormats: AddFormats = formats.default ?? formats;
addFormats(ajv);
ajv.addSchema(S.connection);

/** Throws with ajv's messages when `body` does not match `schema`. */
export function assertSchema(schema: object, body: unknown): void {
  const validate = ajv.compile(schema);
  if (!validate(body))
    throw new Error(`response does not match its schema: ${ajv.errorsText(validate.errors)}`);
}

export const schemas = S;
