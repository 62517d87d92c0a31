// A Doctor wired to a test simulator through the real cloud layer and SDK clients, with the
// simulator's manual clock as the daemon's clock, so tests move time instead of waiting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type AppConfig, configSchema } from '../../src/config/index.js';
import { createDoctor, type DoctorParts } from '../../src/daemon/runtime.js';
import { loadScenario } from '../../src/sim/index.js';
import type { World } from '../../src/sim/world/types.js';
import { freePort, type Serving, startServe } from '../drills/process.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

export interface Harness {
  sim: TestSimulator;
  parts: DoctorParts;
  config: AppConfig;
  dir: string;
  /** A new Doctor on the same store file (a restart). */
  restart(): DoctorParts;
  close(): Promise<void>;
}

export function configFor(sim: TestSimulator, dir: string, extra: Record<string, unknown> = {}): AppConfig {
  const accounts = sim.world.accounts.map((account) => {
    const key = sim.keys.find((k) => k.account === account.name)!;
    return {
      name: account.name,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      ...(key.securityToken && { securityToken: key.securityToken }),
      regions: account.regions.map((r) => r.id),
      endpoint: sim.url,
    };
  });
  return configSchema.parse({
    storage: { path: join(dir, 'alivpn.db') },
    api: { readTimeoutMs: 2000, retries: { max: 4, baseDelayMs: 1, maxDelayMs: 5 } },
    ...extra,
    accounts,
  });
}

export async function startHarness(
  scenario: string | World,
  extra: Record<string, unknown> = {},
): Promise<Harness> {
  const sim = await startTestSimulator({ scenario });
  const dir = mkdtempSync(join(tmpdir(), 'alivpn-doctor-test-'));
  const config = configFor(sim, dir, extra);
  const logger = pino({ level: 'silent' });
  const open = () => createDoctor(config, { logger, now: () => sim.now() });
  let parts = open();
  return {
    sim,
    get parts() {
      return parts;
    },
    config,
    dir,
    restart() {
      parts.close();
      parts = open();
      return parts;
    },
    async close() {
      parts.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A shipped scenario as the scenario tests observe it: collected once, then, when it scripts a
 * failure (or a configuration change), one status and topology cycle 30 s after the first one.
 */
export async function observeScenario(name: string): Promise<{ h: Harness; world: World }> {
  const world = loadScenario(name);
  const h = await startHarness(world);
  try {
    await h.parts.doctor.collectOnce();
    const first = world.timeline.find((e) => e.action.kind === 'fail' || e.action.kind === 'configure');
    if (first) {
      h.sim.advance(first.at + 30);
      await h.parts.doctor.runStatus();
      await h.parts.doctor.runTopology();
    }
  } catch (err) {
    await h.close();
    throw err;
  }
  return { h, world };
}

/**
 * A config file for a spawned `serve` against the test simulator (both regions of its first key),
 * the way a user writes one; returns its path.
 */
export function writeServeConfig(
  sim: TestSimulator,
  dir: string,
  port: number,
  statusSchedule: string,
): string {
  const key = sim.keys[0]!;
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `server: { listen: "127.0.0.1:${port}" }`,
      `poll: { status: "${statusSchedule}" }`,
      `storage: { path: ${join(dir, 'alivpn.db')} }`,
      'accounts:',
      `  - { name: prod, accessKeyId: ${key.accessKeyId}, accessKeySecret: ${key.accessKeySecret}, regions: [cn-hangzhou, ap-northeast-1], endpoint: "${sim.url}" }`,
      '',
    ].join('\n'),
  );
  return config;
}

export interface SpawnedServe {
  sim: TestSimulator;
  /** Holds the config and the store. */
  dir: string;
  config: string;
  serving: Serving;
  /** SIGKILL (whatever the test did to it), then the simulator and the directory go. */
  close(): Promise<void>;
}

/** `serve` as a process against a fresh healthy simulator on real time, once /readyz says ready. */
export async function spawnServe(statusSchedule: string): Promise<SpawnedServe> {
  const sim = await startTestSimulator({ scenario: 'healthy', clock: 'real' });
  const dir = mkdtempSync(join(tmpdir(), 'alivpn-serve-'));
  const close = async (serving?: Serving) => {
    serving?.child.kill('SIGKILL');
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const config = writeServeConfig(sim, dir, port, statusSchedule);
    const serving = await startServe(config, port);
    return { sim, dir, config, serving, close: () => close(serving) };
  } catch (err) {
    await close();
    throw err;
  }
}
