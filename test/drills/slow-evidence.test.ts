// Drill (issue 13): a slow evidence capture does not hold the status tier's next slot. A status run
// used to occupy its tier until the evidence of its new failures was in; on a busy host or in a big
// outage that took longer than the interval, the scheduler skipped the next slots, and a second
// failover waited for them. Now the tier is free once the status is published; the capture goes on
// as the run's tail (stop() still waits for it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Daemon, startDaemon } from '../../src/daemon/runtime.js';
import { createTierScheduler } from '../../src/daemon/scheduler.js';
import { configFor } from '../daemon/helpers.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { fleetConnection, smallFleet } from './helpers.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('a run with a tail', () => {
  it('frees its tier for the next run; stop() waits for the tail', async () => {
    let finishTail: () => void = () => undefined;
    const tailDone = new Promise<void>((r) => {
      finishTail = r;
    });
    let runs = 0;
    const scheduler = createTierScheduler([
      {
        name: 'status',
        schedule: '0 0 0 1 1 *',
        run: async () => {
          runs++;
          return { tail: tailDone };
        },
      },
    ]);
    await scheduler.trigger('status');
    expect(scheduler.running()).toEqual(['status (tail)']);
    await scheduler.trigger('status');
    expect(runs).toBe(2);
    let stopped = false;
    const stopping = scheduler.stop(5_000).then((clean) => {
      stopped = true;
      return clean;
    });
    await sleep(100);
    expect(stopped).toBe(false);
    finishTail();
    expect(await stopping).toBe(true);
    expect(scheduler.running()).toEqual([]);
  });
});

describe('slow evidence under the status schedule', () => {
  let sim: TestSimulator | undefined;
  let daemon: Daemon | undefined;
  let dir = '';
  afterEach(async () => {
    await daemon?.stop();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    daemon = undefined;
  });

  it('publishes the status every slot while the evidence of a failover is still being read', async () => {
    sim = await startTestSimulator({ scenario: smallFleet(), clock: 'real' });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-slow-evidence-'));
    const config = configFor(sim, dir, {
      api: { readTimeoutMs: 10_000, retries: { max: 1, baseDelayMs: 1, maxDelayMs: 5 } },
      poll: {
        status: '* * * * * *',
        topology: '0 0 0 1 1 *',
        traffic: '0 0 0 1 1 *',
        adaptive: { enabled: false },
      },
    });
    daemon = await startDaemon(config, {
      logger: pino({ level: 'silent' }),
      listen: { host: '127.0.0.1', port: 0 },
    });
    const { doctor } = daemon;
    await until('the first status cycle', () => doctor.ready());
    // Every log read now takes 6 s: the evidence of the next failure outlasts several slots.
    sim.sim.server.setFaults([{ kind: 'latency', action: 'DescribeVpnConnectionLogs', ms: 6_000 }]);
    const victim = fleetConnection(0, 1, 0);
    expect((await sim.control.fail(victim, 1, 'PskMismatch')).status).toBe(200);
    const onStandby = () =>
      doctor
        .snapshot()!
        .regions.flatMap((r) => r.connections.data)
        .find((c) => c.id === victim)!
        .tunnels.some((t) => !t.ipsecSaUp);
    await until('the failover', onStandby);
    const logCalls = () =>
      sim!.sim.server.calls().filter((c) => c.action === 'DescribeVpnConnectionLogs').length;
    await until('the slow log read to start', () => logCalls() > 0);
    const cycles = doctor.statusCycles;
    await sleep(3_500);
    // The log read has 2.5 s or more to go: status runs went on meanwhile (one a second).
    expect(doctor.statusCycles - cycles).toBeGreaterThanOrEqual(2);
    expect(daemon.scheduler.running()).toContain('status (tail)');
  }, 60_000);
});
