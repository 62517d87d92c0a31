// Adaptive polling and bounded API cost (issue 8): a region with a down tunnel is polled on the fast
// schedule and a healthy one is not, until it is healthy again; evidence calls stay within
// poll.evidence.maxTunnelsPerCycle with 5% of a fleet down (from what the simulator received); the
// request budgets in use are exported as metrics.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Daemon, startDaemon } from '../../src/daemon/runtime.js';
import { generateFleet } from '../../src/sim/fleet.js';
import type { SimRequest } from '../../src/sim/protocol.js';
import { listParam } from '../../src/sim/world/request.js';
import { configFor } from '../daemon/helpers.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { type Drill, fleetConnection, samples, smallFleet, startDrill } from './helpers.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('adaptive status polling on the schedule', () => {
  let sim: TestSimulator | undefined;
  let daemon: Daemon | undefined;
  let dir = '';
  afterEach(async () => {
    await daemon?.stop();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    daemon = undefined;
    sim = undefined;
  });

  it('polls only the region with a down tunnel on the fast schedule, and relaxes when it recovers', async () => {
    sim = await startTestSimulator({ scenario: smallFleet(), clock: 'real' });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-adaptive-'));
    const config = configFor(sim, dir, {
      poll: {
        // The regular tier never fires during the test (it runs once at start-up): every poll seen
        // afterwards is the adaptive tier's.
        status: '0 0 0 1 1 *',
        topology: '0 0 0 1 1 *',
        traffic: '0 0 0 1 1 *',
        adaptive: { enabled: true, status: '* * * * * *' },
      },
    });
    daemon = await startDaemon(config, {
      logger: pino({ level: 'silent' }),
      listen: { host: '127.0.0.1', port: 0 },
    });
    const { doctor, scheduler } = daemon;
    await until('the first status cycle', () => doctor.ready());
    const listCalls = () =>
      sim!.sim.server.calls().filter((c) => c.action === 'DescribeVpnConnections' && c.code === '200');
    const byRegion = () => {
      const out: Record<string, number> = {};
      for (const c of listCalls())
        out[`${c.account}/${c.region}`] = (out[`${c.account}/${c.region}`] ?? 0) + 1;
      return out;
    };

    // Healthy: the fast tier has nothing to poll.
    expect(doctor.unhealthyRegions()).toEqual(new Set());
    sim.sim.server.resetCalls();
    await sleep(2_500);
    expect(byRegion()).toEqual({});

    // A tunnel of fleet-1/cn-shanghai fails; one regular cycle sees it.
    const victim = fleetConnection(0, 1, 0);
    expect((await sim.control.fail(victim, 1, 'PskMismatch')).status).toBe(200);
    await scheduler.trigger('status');
    expect(doctor.unhealthyRegions()).toEqual(new Set(['fleet-1/cn-shanghai']));
    sim.sim.server.resetCalls();
    // Count the list calls themselves: a cycle in flight across resetCalls() would complete without
    // a recorded call, so counting cycles raced under load.
    await until('three fast polls', () => (byRegion()['fleet-1/cn-shanghai'] ?? 0) >= 3, 60_000);
    const fast = byRegion();
    expect(Object.keys(fast)).toEqual(['fleet-1/cn-shanghai']);
    expect(fast['fleet-1/cn-shanghai']).toBeGreaterThanOrEqual(3);

    // Recovered: the fast tier sees it up, then stops polling.
    expect((await sim.control.recover(victim, 1)).status).toBe(200);
    await until('the region to be healthy again', () => doctor.unhealthyRegions().size === 0);
    // A fast poll that started before may still be calling (seconds on a loaded machine, which made
    // a fixed 300 ms wait flaky): wait until none is in flight; later ones find nothing to poll.
    await until('no fast poll in flight', () => !scheduler.running().includes('status-fast'), 60_000);
    sim.sim.server.resetCalls();
    await sleep(2_500);
    expect(byRegion()).toEqual({});
    expect(doctor.counters().failbacks[victim]).toBe(1);
  }, 120_000);
});

describe('bounded API cost', () => {
  let drill: Drill | undefined;
  afterEach(async () => {
    await drill?.close();
    drill = undefined;
  });

  it('evidence calls stay within maxTunnelsPerCycle per region with 5% of the fleet down', async () => {
    const MAX = 3;
    // 200 connections in 2 regions; tunnel 1 of ~10% of connections fails = ~5% of the tunnels.
    const world = generateFleet({ connections: 200, regions: 2, accounts: 1, failing: 0.1 });
    drill = await startDrill(world, {
      api: { readTimeoutMs: 2000, retries: { max: 4, baseDelayMs: 1, maxDelayMs: 5 } },
      poll: { evidence: { maxTunnelsPerCycle: MAX } },
    });
    // What the simulator received, with parameters: which tunnels each evidence call named.
    const received: SimRequest[] = [];
    const backend = drill.sim.sim.backend;
    const handle = backend.handle.bind(backend);
    backend.handle = (req) => {
      received.push(req);
      return handle(req);
    };
    const { doctor } = drill.parts;
    const down = new Set<string>();
    const perCycle: Array<Record<string, Set<string>>> = [];
    for (let cycle = 0; cycle < 6; cycle++) {
      received.length = 0;
      drill.sim.advance(30);
      await doctor.runStatus();
      if (cycle === 0) {
        for (const r of doctor.snapshot()!.regions)
          for (const c of r.connections.data) for (const t of c.tunnels) if (!t.ipsecSaUp) down.add(t.id);
      }
      const named: Record<string, Set<string>> = {};
      for (const req of received) {
        const ids =
          req.action === 'DiagnoseVpnConnections'
            ? listParam(req, 'TunnelIds')
            : req.action === 'DescribeVpnConnectionLogs'
              ? [req.params.TunnelId ?? '']
              : [];
        const region = req.regionId ?? '';
        named[region] ??= new Set();
        for (const id of ids) named[region].add(id);
      }
      perCycle.push(named);
      // The status tier is only the paged list: 2 pages of 50 per region.
      expect(received.filter((r) => r.action === 'DescribeVpnConnections')).toHaveLength(4);
    }
    expect(down.size / 400).toBeGreaterThan(0.03);
    expect(down.size / 400).toBeLessThan(0.08);
    for (const [i, named] of perCycle.entries())
      for (const [region, ids] of Object.entries(named)) {
        expect(ids.size, `cycle ${i} ${region}`).toBeLessThanOrEqual(MAX);
        for (const id of ids) expect(down.has(id), `${id} is a down tunnel`).toBe(true);
      }
    // The cap spreads the work over cycles rather than dropping tunnels: all got evidence.
    const covered = new Set(perCycle.flatMap((n) => Object.values(n).flatMap((s) => [...s])));
    expect([...down].filter((id) => !covered.has(id))).toEqual([]);
  }, 40_000);

  it('exports the request budgets in use as metrics', async () => {
    drill = await startDrill(smallFleet(), { api: { budget: { vpc: { rps: 5, burst: 1 } } } });
    await drill.parts.doctor.runStatus();
    const text = await drill.scrape();
    const vpc = (name: string) =>
      samples(text, name).filter((s) => s.labels.product === 'vpc' && s.labels.account === 'fleet-1');
    expect(vpc('alivpn_api_budget_rate_per_second')).toEqual([
      { labels: { account: 'fleet-1', product: 'vpc' }, value: 5 },
    ]);
    // Two regions drew one list page each from the account's bucket of 1: the second call waited
    // 1/5 s for its token. The buckets run on the real clock (their waits are real sleeps), so by the
    // scrape the bucket may have refilled its one token on a loaded machine: never more than burst.
    const available = vpc('alivpn_api_budget_tokens_available').map((s) => s.value);
    expect(available).toHaveLength(1);
    expect(available[0]).toBeGreaterThanOrEqual(0);
    expect(available[0]).toBeLessThanOrEqual(1);
    expect(vpc('alivpn_api_budget_waits_total').map((s) => s.value)).toEqual([1]);
    expect(vpc('alivpn_api_budget_wait_seconds_total').map((s) => s.value)).toEqual([0.2]);
  }, 20_000);
});
