// Probes and the Prometheus endpoint; never guarded by the token (kubelet and Prometheus use them).
// The probes are not rate-limited either: a flood of other traffic must not make a kubelet see 429.
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { secrets } from '../../log/redact.js';
import type { DoctorMetrics } from '../../metrics/registry.js';
import type { DoctorView } from '../../view/doctor-view.js';
import { responseSchema } from '../json-schema.js';

/** What /healthz and /readyz answer: `ok`, `ready`, or why the daemon is not ready. */
export const probeResponseSchema = z.object({ status: z.string() });
const probeResponse = responseSchema(probeResponseSchema);

export interface OpsOptions {
  view: DoctorView;
  metrics: DoctorMetrics;
}

export const opsRoutes: FastifyPluginAsync<OpsOptions> = async (app, { view, metrics }) => {
  app.get(
    '/healthz',
    {
      schema: { summary: 'The process is alive', tags: ['ops'], response: { 200: probeResponse } },
      config: { rateLimit: false },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary:
          'Ready after the first complete status cycle, while the state store takes writes (503 otherwise, saying why)',
        tags: ['ops'],
        response: { 200: probeResponse, 503: probeResponse },
      },
      config: { rateLimit: false },
    },
    async (_req, reply) =>
      view.ready()
        ? { status: 'ready' }
        : reply.code(503).send({ status: view.notReadyReason?.() ?? 'waiting for the first status cycle' }),
  );
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (the last collected state)', tags: ['ops'] } },
    // Bytes, scrubbed family by family and written chunk by chunk: the whole exposition as one
    // string cost ~50 MB a scrape (metrics/exposition.ts).
    async (_req, reply) => {
      const chunks = await metrics.renderBytes((text) => secrets.scrubString(text));
      const length = chunks.reduce((n, c) => n + c.length, 0);
      return reply
        .type(metrics.contentType)
        .header('content-length', length)
        .send(Readable.from(chunks, { objectMode: false }));
    },
  );
};
