// Smoke test of the benchmark code (bench/): its minimums and target checks, and its phases against
// a tiny fleet in a simulator child process. No timing is asserted here; `npm run bench` does that.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { benchConfig, evidenceCycle, metricsTiming, rulesTiming, statusCycle } from '../../bench/phases.js';
import { type SimChild, spawnSim } from '../../bench/sim-client.js';
import {
  evaluateTargets,
  latencyFloorMs,
  type Measurements,
  minimumStatusCalls,
  qpsBoundMs,
} from '../../bench/targets.js';
import type { InMemoryApiCallCounter } from '../../src/cloud/index.js';
import { createDoctor } from '../../src/daemon/runtime.js';

describe('bench minimums and targets', () => {
  it('computes paged-call minimums and the QPS and latency bounds', () => {
    expect(minimumStatusCalls([100, 101, 0, 50])).toEqual([2, 3, 1, 1]);
    expect(qpsBoundMs([2, 3, 1], 5)).toBe(600);
    expect(latencyFloorMs([2, 3, 1], 30)).toBe(90);
  });

  it('judges the status cycle against its own reads when the machine makes them slower than the QPS bound', () => {
    const slow: Measurements = {
      status: {
        cycles: [{ wallMs: 1100, calls: 40, throttled: 0, incompleteRegions: 0, tunnels: 4000 }],
        minimumCalls: 40,
        qpsBoundMs: 400,
        expectedTunnels: 4000,
        listCallsMs: [950],
      },
      rules: { ms: 300, overStringify: 8 },
      metrics: { ms: 150, overStringify: 4 },
      peakRssBytes: 200 * 1024 * 1024,
      detection: { intervalMs: 10_000, samplesMs: [9_000], load: { enabled: true } },
      evidence: { maxTunnelsPerCycle: 20, maxTunnelsInOneRegion: 20 },
    };
    const results = evaluateTargets(slow);
    expect(results.filter((t) => !t.ok)).toEqual([]);
    expect(results.map((t) => t.name)).toContain(
      'failover detection latency, one core busy elsewhere (worst sample)',
    );
  });

  it('flags each missed target by name', () => {
    const good: Measurements = {
      status: {
        cycles: [{ wallMs: 300, calls: 40, throttled: 0, incompleteRegions: 0, tunnels: 4000 }],
        minimumCalls: 40,
        qpsBoundMs: 400,
        expectedTunnels: 4000,
        listCallsMs: [250],
      },
      rules: { ms: 100, overStringify: 6 },
      metrics: { ms: 50, overStringify: 3 },
      peakRssBytes: 200 * 1024 * 1024,
      detection: { intervalMs: 10_000, samplesMs: [5_000, 11_000] },
      evidence: { maxTunnelsPerCycle: 20, maxTunnelsInOneRegion: 20 },
    };
    expect(evaluateTargets(good).filter((t) => !t.ok)).toEqual([]);
    const bad: Measurements = {
      ...good,
      status: {
        ...good.status,
        cycles: [{ ...good.status.cycles[0]!, calls: 41, wallMs: 600, incompleteRegions: 1 }],
      },
      rules: { ms: 100, overStringify: 12.1 },
      metrics: { ms: 50, overStringify: 5.1 },
      peakRssBytes: 300 * 1024 * 1024,
      detection: {
        intervalMs: 10_000,
        samplesMs: [12_001],
        massOutage: { tunnels: 200, visibleAfterMs: 12_001 },
      },
      evidence: { maxTunnelsPerCycle: 20, maxTunnelsInOneRegion: 21 },
    };
    expect(
      evaluateTargets(bad)
        .filter((t) => !t.ok)
        .map((t) => t.name),
    ).toEqual([
      'status API calls / minimum (every cycle)',
      'status cycle wall / max(QPS-bound minimum, its list calls alone) (medians)',
      'status data missing (regions incomplete, tunnels short)',
      'evidence tunnels per region and cycle',
      'rule evaluation, whole fleet ÷ JSON.stringify(snapshot)',
      '/metrics answer (render, scrub, bytes) ÷ JSON.stringify(snapshot)',
      'peak RSS (serve process)',
      'failover detection latency (worst sample)',
      'mass outage detection (200 tunnels at once)',
    ]);
  });
});

describe('bench phases on a tiny fleet', () => {
  let sim: SimChild | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'alivpn-bench-smoke-'));
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures status calls, evidence, rules and metrics', async () => {
    sim = await spawnSim({ connections: 60, regions: 2, accounts: 1, latencyMs: 1, qps: 100 });
    expect(sim.layout.map((a) => a.regions.map((r) => r.connections.length))).toEqual([[30, 30]]);
    const config = benchConfig(sim, dir);
    const parts = createDoctor(config, { logger: pino({ level: 'silent' }) });
    try {
      const counter = parts.doctor.counter as InMemoryApiCallCounter;
      const cycle = await statusCycle(parts.doctor, counter);
      expect(cycle).toMatchObject({ calls: 2, throttled: 0, incompleteRegions: 0, tunnels: 120 });
      const victims = sim.layout[0]!.regions.map((r) => r.connections[0]!);
      for (const id of victims) await sim.fail(id, 1, 'PskMismatch');
      const evidence = await evidenceCycle(parts.doctor, counter, victims.length);
      expect(evidence.calls.DiagnoseVpnConnections).toBe(2);
      expect(evidence.tunnelsWithEvidence).toBeGreaterThanOrEqual(2);
      expect(evidence.maxTunnelsInOneRegion).toBeLessThanOrEqual(config.poll.evidence.maxTunnelsPerCycle);
      const rules = rulesTiming(parts.doctor, config, 1);
      expect(rules.findings).toBeGreaterThanOrEqual(2);
      expect(rules.snapshotBytes).toBeGreaterThan(0);
      const metrics = await metricsTiming(parts.doctor, 1);
      expect(metrics.series).toBeGreaterThan(120);
      const calls = await sim.calls();
      expect(calls.filter((c) => c.action === 'DescribeVpnConnections')).toHaveLength(4);
    } finally {
      parts.close();
    }
  }, 60_000);
});
