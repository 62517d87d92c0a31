// A Doctor over the real cloud layer and SDK against a small simulated fleet (two accounts, two
// regions each), with the simulator's manual clock started at wall time: the collectors stamp
// `collectedAt` with Date.now(), so the metrics' staleness limit only means something when the
// daemon's clock and wall time agree at the start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import type { InMemoryApiCallCounter } from '../../src/cloud/index.js';
import type { AppConfig } from '../../src/config/index.js';
import { createDoctor, type DoctorParts } from '../../src/daemon/runtime.js';
import { createLogger, secretsOf } from '../../src/log/logger.js';
import type { Report } from '../../src/report/schema.js';
import { buildServer } from '../../src/server/app.js';
import { generateFleet } from '../../src/sim/fleet.js';
import type { FaultRule } from '../../src/sim/protocol.js';
import type { World } from '../../src/sim/world/types.js';
import { configFor } from '../daemon/helpers.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { type HostileProxy, startHostileProxy } from './hostile-proxy.js';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Samples of one metric parsed from the exposition text. */
export function samples(text: string, name: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable line ${line}`);
    const labels: Record<string, string> = {};
    for (const lm of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]!] = lm[2]!;
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** A small fleet: accounts fleet-1 and fleet-2, regions cn-hangzhou and cn-shanghai, 2 connections each. */
export function smallFleet(extra: { failing?: number } = {}): World {
  return generateFleet({ connections: 8, regions: 2, accounts: 2, perGateway: 2, ...extra });
}

/** Connection `i` of account `a` (0-based) in fleet region `r` (0 = cn-hangzhou, 1 = cn-shanghai). */
export const fleetConnection = (a: number, r: number, i: number) =>
  `vco-fleet${a}${r}c${String(i).padStart(5, '0')}`;

export interface Drill {
  sim: TestSimulator;
  parts: DoctorParts;
  config: AppConfig;
  /** The daemon's HTTP server (inject only), on the simulator's clock. */
  app: FastifyInstance;
  /** The hostile proxy between the daemon and the simulator (`startDrill(…, { proxied: true })`). */
  proxy: HostileProxy | undefined;
  /** Replace the simulator's run-time faults. */
  faults(rules: FaultRule[]): void;
  /** GET /api/v1/report (asserts 200). */
  report(): Promise<Report>;
  /** GET /metrics (asserts 200). */
  scrape(): Promise<string>;
  /**
   * Stop this drill's daemon and start another on the same config, store and clock (a process
   * restart); `close()` closes the restarted one too.
   */
  restart(): DoctorParts;
  close(): Promise<void>;
}

export interface DrillOptions {
  /**
   * Put a hostile proxy between the daemon and the simulator (every account's endpoint points at it):
   * `drill.proxy.set([...])` rewrites chosen answers.
   */
  proxied?: boolean;
  /** Log through the daemon's real logger (debug level) into this stream instead of discarding it. */
  logDestination?: DestinationStream;
}

export async function startDrill(
  world: string | World,
  extra: Record<string, unknown> = {},
  opts: DrillOptions = {},
): Promise<Drill> {
  const sim = await startTestSimulator({ scenario: world, startAt: Date.now() });
  const proxy = opts.proxied ? await startHostileProxy(sim.url) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'alivpn-drill-'));
  const config = configFor(sim, dir, extra);
  if (proxy) for (const a of config.accounts) a.endpoint = proxy.url;
  const logger = opts.logDestination
    ? createLogger({ level: 'debug', secrets: secretsOf(config), destination: opts.logDestination })
    : pino({ level: 'silent' });
  const parts = createDoctor(config, { logger, now: () => sim.now() });
  let restarted: DoctorParts | undefined;
  const app = buildServer(parts.doctor, {
    version: 'drill',
    logger: false,
    now: () => sim.now(),
    metrics: { defaultMetrics: false },
    rateLimit: { max: 100_000 },
  });
  const get = async (url: string) => {
    const res = await app.inject(url);
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };
  return {
    sim,
    parts,
    config,
    app,
    proxy,
    faults: (rules) => sim.sim.server.setFaults(rules),
    report: async () => (await get('/api/v1/report')).json() as Report,
    scrape: async () => (await get('/metrics')).body,
    restart() {
      parts.close();
      restarted?.close();
      restarted = createDoctor(config, { logger, now: () => sim.now() });
      return restarted;
    },
    async close() {
      await app.close();
      parts.close();
      restarted?.close();
      await proxy?.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** API attempts the daemon counted (alivpn_api_requests_total), summed over the filter. */
export function apiCalls(d: Drill, filter: { action?: string; code?: string }): number {
  return (d.parts.doctor.counter as InMemoryApiCallCounter).total(filter);
}

/** The status-tier success gauge of one account × region (undefined when absent). */
export function statusSuccess(text: string, account: string, region: string): number | undefined {
  return samples(text, 'alivpn_collect_success').find(
    (s) => s.labels.account === account && s.labels.region === region && s.labels.tier === 'status',
  )?.value;
}

/** alivpn_tunnel_up samples of one connection. */
export function tunnelUp(text: string, connectionId: string): Sample[] {
  return samples(text, 'alivpn_tunnel_up').filter((s) => s.labels.connection_id === connectionId);
}
