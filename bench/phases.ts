// The benchmark's measurements, one function per phase. Each works on a daemon configured against
// the simulator child (bench/sim-client.ts) and returns plain numbers for the table and the JSON.
import { performance } from 'node:perf_hooks';
import * as $Vpc from '@alicloud/vpc20160428';
import type { InMemoryApiCallCounter } from '../src/cloud/index.js';
import { OpenApiConfig, VpcSdkClient } from '../src/cloud/sdk.js';
import { mapLimit } from '../src/collect/concurrency.js';
import { mergeRegionSnapshot } from '../src/collect/merge.js';
import { collectStatus } from '../src/collect/status.js';
import { type AppConfig, configSchema } from '../src/config/index.js';
import type { Doctor } from '../src/daemon/doctor.js';
import { rulesFor } from '../src/daemon/runtime.js';
import { diagnose } from '../src/diagnose/engine.js';
import { IncrementalDiagnosis } from '../src/diagnose/incremental.js';
import { secrets } from '../src/log/redact.js';
import { createMetrics } from '../src/metrics/registry.js';
import { DEFAULT_FLAP_WINDOW_MS } from '../src/state/tracker.js';
import type { SimChild } from './sim-client.js';
import { median, type StatusCycle } from './targets.js';

export function benchConfig(
  sim: SimChild,
  dataDir: string,
  poll: Record<string, unknown> = {},
  api: Record<string, unknown> = {},
): AppConfig {
  return configSchema.parse({
    poll,
    api,
    storage: { path: `${dataDir}/alivpn.db` },
    logging: { level: 'silent' },
    accounts: sim.layout.map((a) => {
      const key = sim.keys.find((k) => k.account === a.account)!;
      return {
        name: a.account,
        accessKeyId: key.id,
        accessKeySecret: key.secret,
        regions: a.regions.map((r) => r.id),
        endpoint: sim.url,
      };
    }),
  });
}

const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
};

/** Baseline: one plain SDK list call per account × region, sequentially (no budget, no retries). */
export async function sdkCallBaseline(sim: SimChild): Promise<number> {
  const host = sim.url.replace(/^http:\/\//, '');
  const times: number[] = [];
  for (const a of sim.layout) {
    const key = sim.keys.find((k) => k.account === a.account)!;
    for (const r of a.regions) {
      const client = new VpcSdkClient(
        new OpenApiConfig({
          accessKeyId: key.id,
          accessKeySecret: key.secret,
          endpoint: host,
          protocol: 'http',
          regionId: r.id,
        }),
      );
      const [, ms] = await timed(() =>
        client.describeVpnConnections(
          new $Vpc.DescribeVpnConnectionsRequest({ regionId: r.id, pageNumber: 1, pageSize: 50 }),
        ),
      );
      times.push(ms);
    }
  }
  return median(times);
}

const countOf = (counter: InMemoryApiCallCounter, action: string) => counter.total({ action });
const throttledOf = (counter: InMemoryApiCallCounter, action: string) =>
  counter
    .snapshot()
    .filter((e) => e.action === action && e.code.startsWith('Throttling'))
    .reduce((n, e) => n + e.count, 0);

function tunnelCount(doctor: Doctor): number {
  return (doctor.snapshot()?.regions ?? []).reduce(
    (n, r) => n + r.connections.data.reduce((m, c) => m + c.tunnels.length, 0),
    0,
  );
}

/** One status cycle (runStatus: list pages, events, evidence, rules) with its API cost. */
export async function statusCycle(doctor: Doctor, counter: InMemoryApiCallCounter): Promise<StatusCycle> {
  const calls0 = countOf(counter, 'DescribeVpnConnections');
  const throttled0 = throttledOf(counter, 'DescribeVpnConnections');
  const [, wallMs] = await timed(() => doctor.runStatus());
  return {
    wallMs,
    calls: countOf(counter, 'DescribeVpnConnections') - calls0,
    throttled: throttledOf(counter, 'DescribeVpnConnections') - throttled0,
    incompleteRegions: doctor.errors().length,
    tunnels: tunnelCount(doctor),
  };
}

/**
 * Where a status cycle's time goes: the list calls and normalisation alone (collectStatus over
 * every region, `concurrency` regions at a time), and the rule evaluation that ends each cycle.
 */
export async function statusBreakdown(doctor: Doctor, concurrency: number) {
  const [, collectMs] = await timed(() => mapLimit(doctor.apis, concurrency, (api) => collectStatus(api)));
  const [, evaluateMs] = await timed(() => doctor.evaluate());
  return { collectMs, evaluateMs };
}

export interface EvidenceCost {
  downTunnels: number;
  cycleMs: number;
  calls: Record<string, number>;
  throttled: number;
  /** Tunnels that got evidence in this cycle, worst region. */
  maxTunnelsInOneRegion: number;
  tunnelsWithEvidence: number;
}

const EVIDENCE_ACTIONS = ['DiagnoseVpnConnections', 'DescribeVpnConnectionLogs'];

/** A status cycle right after `down` tunnels failed: what the evidence tier costs. */
export async function evidenceCycle(
  doctor: Doctor,
  counter: InMemoryApiCallCounter,
  downTunnels: number,
): Promise<EvidenceCost> {
  const before = Object.fromEntries(EVIDENCE_ACTIONS.map((a) => [a, countOf(counter, a)]));
  const throttled0 = EVIDENCE_ACTIONS.reduce((n, a) => n + throttledOf(counter, a), 0);
  const started = Date.now();
  const [, cycleMs] = await timed(() => doctor.runStatus());
  let worst = 0;
  let total = 0;
  for (const r of doctor.snapshot()?.regions ?? []) {
    const fresh = Object.values(r.evidence).filter((e) => e.collectedAt >= started).length;
    worst = Math.max(worst, fresh);
    total += fresh;
  }
  return {
    downTunnels,
    cycleMs,
    calls: Object.fromEntries(EVIDENCE_ACTIONS.map((a) => [a, countOf(counter, a) - (before[a] ?? 0)])),
    throttled: EVIDENCE_ACTIONS.reduce((n, a) => n + throttledOf(counter, a), 0) - throttled0,
    maxTunnelsInOneRegion: worst,
    tunnelsWithEvidence: total,
  };
}

/**
 * Median time of `diagnose()` over the whole snapshot, and of JSON.stringify of the same snapshot
 * (the baseline), interleaved run by run so that both see the same machine: the verdict is their
 * ratio, which a busy neighbour moves far less than either time.
 */
export function rulesTiming(doctor: Doctor, config: AppConfig, runs = 11) {
  const snapshot = doctor.snapshot()!;
  const rules = rulesFor(config);
  const now = Date.now();
  const times: number[] = [];
  const stringify: number[] = [];
  let findings = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const s0 = performance.now();
    bytes = JSON.stringify(snapshot).length;
    stringify.push(performance.now() - s0);
    const t0 = performance.now();
    const d = diagnose(snapshot, {
      rules,
      now,
      history: { stateChanges: {}, flapWindowSeconds: DEFAULT_FLAP_WINDOW_MS / 1000 },
    });
    times.push(performance.now() - t0);
    findings = d.findings.length;
  }
  return {
    rulesMs: median(times),
    findings,
    stringifyMs: median(stringify),
    snapshotBytes: bytes,
    /** Median of the per-run ratios: each pair ran back to back. */
    overStringify: median(times.map((t, i) => t / stringify[i]!)),
  };
}

/** Median /metrics render time and the exposition size, each render paired with a stringify baseline. */
export async function metricsTiming(doctor: Doctor, runs = 11) {
  const metrics = createMetrics(doctor, { version: 'bench' });
  const snapshot = doctor.snapshot();
  const times: number[] = [];
  const stringify: number[] = [];
  let chunks: Buffer[] = [];
  for (let i = 0; i < runs; i++) {
    const s0 = performance.now();
    JSON.stringify(snapshot);
    stringify.push(performance.now() - s0);
    // What GET /metrics answers (server/routes/ops.ts): the families rendered, each scrubbed of
    // secrets and encoded as UTF-8 bytes.
    const t0 = performance.now();
    chunks = await metrics.renderBytes((text) => secrets.scrubString(text));
    times.push(performance.now() - t0);
  }
  const body = Buffer.concat(chunks);
  const text = body.toString('utf8');
  const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  return {
    metricsMs: median(times),
    bytes: body.length,
    series,
    stringifyMs: median(stringify),
    overStringify: median(times.map((t, i) => t / stringify[i]!)),
  };
}

/**
 * The rules in a status cycle in which nothing changed, against a full evaluation of the same fleet
 * in the same run (issue 13). The unchanged cycle is what the daemon meets every 10–30 s: each
 * region's connections read afresh with equal data and merged as the daemon merges them
 * (collect/merge.ts keeps unchanged objects; topology and evidence keep theirs), a status interval
 * later, so every evidence and probe age has moved and the connections whose findings quote one are
 * evaluated again. Full and unchanged runs alternate, so a noisy machine slows both alike; medians
 * of `runs`.
 */
export function incrementalTiming(doctor: Doctor, config: AppConfig, runs = 5) {
  const snapshot = doctor.snapshot()!;
  const rules = rulesFor(config);
  const at = Date.now();
  const opts = (now: number) => ({
    rules,
    now,
    history: { stateChanges: {}, flapWindowSeconds: DEFAULT_FLAP_WINDOW_MS / 1000 },
  });
  const full: number[] = [];
  const unchanged: number[] = [];
  let connections = 0;
  for (let i = 0; i < runs; i++) {
    const now = at + i * 20_000;
    const t0 = performance.now();
    diagnose(snapshot, opts(now));
    full.push(performance.now() - t0);
    const incremental = new IncrementalDiagnosis();
    incremental.diagnose(snapshot, opts(now));
    // Read anew and merged as the status tier does: the merge keeps the object of a connection
    // whose data did not change (collect/merge.ts), and its comparison is timed with the status cycle.
    const next = {
      ...snapshot,
      regions: snapshot.regions.map((r) =>
        mergeRegionSnapshot(r, {
          account: r.account,
          region: r.region,
          connections: structuredClone(r.connections),
        }),
      ),
    };
    const t1 = performance.now();
    incremental.diagnose(next, opts(now + 10_000));
    unchanged.push(performance.now() - t1);
    connections = incremental.lastStats().connections;
  }
  return { fullMs: median(full), unchangedMs: median(unchanged), connectionsEvaluated: connections };
}
