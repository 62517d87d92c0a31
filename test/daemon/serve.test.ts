// The daemon on its schedules: detection within a status cycle, graceful stop, and config reload.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../src/cli/commands/demo.js';
import { until } from '../drills/process.js';
import { type SpawnedServe, spawnServe } from './helpers.js';

const HZ_TOKYO = 'vco-bp1hztokyo00000001';

describe('serve: failover detection on the schedule', { timeout: 90_000 }, () => {
  let demo: Demo | undefined;
  afterEach(async () => {
    await demo?.stop();
    demo = undefined;
  });

  it('sees a failover and the failback within one status cycle each', async () => {
    demo = await startDemo({ scenario: 'healthy', port: 0, statusSchedule: '* * * * * *', log: false });
    const { doctor } = demo.daemon;
    await until('the first status cycle', () => doctor.ready());
    const post = (path: string, body: unknown) =>
      fetch(`${demo!.simUrl}/_sim/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    // The cycle count when the first cycle after an incident stores a transition, read in that cycle
    // (polling for the counter afterwards lags a cycle or two behind on a loaded machine).
    let seenInCycle: number | undefined;
    const refreshTopology = doctor.onTransitions;
    doctor.onTransitions = (regions) => {
      seenInCycle ??= doctor.statusCycles;
      refreshTopology?.(regions);
    };
    const before = doctor.statusCycles;
    expect(
      (await post('incidents', { connectionId: HZ_TOKYO, tunnel: 1, cause: 'PskMismatch' })).status,
    ).toBe(200);
    await until('the failover', () => doctor.counters().failovers[HZ_TOKYO] === 1);
    // The cycle already running when the incident happened may miss it; the next one may not.
    expect(seenInCycle! - before).toBeLessThanOrEqual(2);
    const metrics = await (await fetch(`${demo.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`alivpn_connection_failovers_total\\{[^}]*connection_id="${HZ_TOKYO}"[^}]*\\} 1`),
    );

    seenInCycle = undefined;
    const beforeBack = doctor.statusCycles;
    expect((await post('recover', { connectionId: HZ_TOKYO, tunnel: 1 })).status).toBe(200);
    await until('the failback', () => doctor.counters().failbacks[HZ_TOKYO] === 1);
    expect(seenInCycle! - beforeBack).toBeLessThanOrEqual(2);
  });
});

// Spawning tsx-compiled processes is slow on a busy 2-core machine: generous per-test budgets.
describe('serve as a process', { timeout: 120_000 }, () => {
  let spawned: SpawnedServe | undefined;
  afterEach(async () => {
    await spawned?.close();
    spawned = undefined;
  });

  async function startServe(): Promise<{ url: string; config: string; output: () => string }> {
    spawned = await spawnServe('*/2 * * * * *');
    return { url: spawned.serving.url, config: spawned.config, output: spawned.serving.output };
  }

  it('stops cleanly on SIGTERM and leaves a store that opens with its data', async () => {
    const { output } = await startServe();
    expect(await spawned!.serving.stop()).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
    expect(output()).not.toContain(spawned!.sim.keys[0]!.accessKeySecret);
    const db = new Database(join(spawned!.dir, 'alivpn.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('keeps the running config when a SIGHUP reload finds a bad file, and says why', async () => {
    const { url, config, output } = await startServe();
    const good = readFileSync(config, 'utf8');
    writeFileSync(config, good.replace('accounts:', 'acounts:'));
    spawned!.serving.child.kill('SIGHUP');
    await until('the rejection', () => output().includes('config reload rejected'));
    expect(output()).toMatch(/acounts/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const report = (await (await fetch(`${url}/api/v1/report`)).json()) as { connections: unknown[] };
    expect(report.connections.length).toBeGreaterThan(0);
  });

  it('goes back to the running config when a valid reloaded one cannot start (port taken)', async () => {
    const { url, config, output } = await startServe();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const good = readFileSync(config, 'utf8');
      writeFileSync(config, good.replace(/listen: "127\.0\.0\.1:\d+"/, `listen: "127.0.0.1:${taken}"`));
      spawned!.serving.child.kill('SIGHUP');
      await until('the rejection', () => output().includes('config reload rejected'));
      expect(output()).toMatch(/cannot listen on 127\.0\.0\.1:\d+: the port is already in use/);
      await until(
        'the old listener again',
        async () => (await fetch(`${url}/healthz`).catch(() => null))?.status === 200,
      );
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
