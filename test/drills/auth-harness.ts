// A daemon with a token, on the real cloud layer against the simulator, listening on loopback, so
// the auth drills can write requests byte for byte (http-raw.ts) and count the cloud calls they cause.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createDoctor, type DoctorParts } from '../../src/daemon/runtime.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { configFor } from '../daemon/helpers.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { smallFleet } from './helpers.js';

export const TOKEN = 'drill-token-7f3c9a1e5b';

export interface AuthDrill {
  sim: TestSimulator;
  parts: DoctorParts;
  app: FastifyInstance;
  port: number;
  /** Every route the app registered (method, URL pattern), HEAD included. */
  routes: { method: string; url: string }[];
  /** Requests the simulator (the cloud) received. */
  cloudCalls(): number;
  close(): Promise<void>;
}

export async function startAuthDrill(rateLimit: ServerOptions['rateLimit'] = {}): Promise<AuthDrill> {
  const sim = await startTestSimulator({ scenario: smallFleet(), startAt: Date.now() });
  const dir = mkdtempSync(join(tmpdir(), 'alivpn-auth-'));
  const parts = createDoctor(configFor(sim, dir), {
    logger: pino({ level: 'silent' }),
    now: () => sim.now(),
  });
  const app = buildServer(parts.doctor, {
    version: 'drill',
    authToken: TOKEN,
    logger: false,
    metrics: { defaultMetrics: false },
    rateLimit,
  });
  const routes: AuthDrill['routes'] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  await parts.doctor.collectOnce();
  sim.sim.server.resetCalls();
  return {
    sim,
    parts,
    app,
    port: (app.server.address() as { port: number }).port,
    routes,
    cloudCalls: () => sim.sim.server.calls().length,
    async close() {
      await app.close();
      parts.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
