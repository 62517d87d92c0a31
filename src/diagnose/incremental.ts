// Incremental diagnosis: the engine's result for each region, reused while nothing the engine reads
// of that region has changed, and within a region whose data is unchanged, each connection's result
// reused while nothing its tunnels read has changed. A status cycle with no change re-diagnoses only
// the connections whose facts read the clock (the ages of evidence and probes, quoted in findings);
// the daemon evaluates up to three times per cycle (status, evidence, the topology a transition
// triggers), and each time only what something happened to is evaluated again.
//
// What the engine reads (diagnose/engine.ts, diagnoseRegion), all compared here:
// - of a region: its connections (their completeness and error too), topology, evidence and probes
//   — not the times they were read, nor the traffic, which no fact reads. Any change: the whole
//   region is evaluated again (a connection's facts read its gateway's other connections and the
//   topology they share);
// - of each tunnel: its state changes within the flapping window (recomputed by the caller at each
//   evaluation, so a change leaving the window re-evaluates its connection), its up-spells, and its
//   clock readings (clock.ts). A connection's result reads only its own tunnels' of these.
// The rules and the flapping window are the same object and value between evaluations, or all is
// evaluated again. A region's result depends on no other region, and a connection's findings and
// ladders are a contiguous run in connection order, so the fleet's diagnosis is the connections'
// results in snapshot order, as the engine itself builds it.
import { regionKey } from '../model/derive.js';
import type { Diagnosis } from '../model/finding.js';
import { sameData } from '../model/same-data.js';
import type { RegionSnapshot, Snapshot } from '../model/snapshot.js';
import { clockReadings } from './clock.js';

export { sameData };

import { type DiagnoseOptions, diagnose } from './engine.js';

/** What one connection's result reads beyond its region's data: per tunnel, in tunnel order. */
interface ConnectionInputs {
  stateChanges: Array<number | undefined>;
  upSpells: Array<number[] | undefined>;
  clock: number[][];
}

interface RegionEntry {
  region: RegionSnapshot;
  connections: Map<string, { inputs: ConnectionInputs; result: Diagnosis }>;
}

/** How the last evaluation went: regions evaluated whole, regions reused whole, connections evaluated. */
export interface IncrementalStats {
  evaluated: number;
  reused: number;
  connections: number;
}

function connectionInputs(
  region: RegionSnapshot,
  tunnelIds: readonly string[],
  opts: DiagnoseOptions,
  now: number,
): ConnectionInputs {
  return {
    stateChanges: tunnelIds.map((id) => opts.history?.stateChanges?.[id]),
    upSpells: tunnelIds.map((id) => opts.history?.upSpells?.[id]),
    clock: tunnelIds.map((id) => clockReadings(region, id, now)),
  };
}

/** Whether the engine would read the same from both (references first: unchanged parts are shared). */
function sameRegion(a: RegionSnapshot, b: RegionSnapshot): boolean {
  if (a === b) return true;
  return (
    a.account === b.account &&
    a.region === b.region &&
    a.connections.complete === b.connections.complete &&
    a.connections.error === b.connections.error &&
    sameData(a.connections.data, b.connections.data) &&
    (a.topology === b.topology ||
      (a.topology !== null &&
        b.topology !== null &&
        a.topology.complete === b.topology.complete &&
        a.topology.error === b.topology.error &&
        sameData(a.topology.data, b.topology.data))) &&
    sameData(a.evidence, b.evidence) &&
    sameData(a.probes, b.probes)
  );
}

/** The engine's output for some connections of a region, split per connection. */
function byConnection(d: Diagnosis): Map<string, Diagnosis> {
  const out = new Map<string, Diagnosis>();
  const of = (id: string) => {
    const bucket = out.get(id) ?? { findings: [], ladders: [] };
    out.set(id, bucket);
    return bucket;
  };
  for (const f of d.findings) of(f.connectionId).findings.push(f);
  for (const l of d.ladders) of(l.connectionId).ladders.push(l);
  return out;
}

const NOTHING: Diagnosis = { findings: [], ladders: [] };

export class IncrementalDiagnosis {
  private cache = new Map<string, RegionEntry>();
  private rules: DiagnoseOptions['rules'];
  private flapWindowSeconds: number | undefined;
  private stats: IncrementalStats = { evaluated: 0, reused: 0, connections: 0 };

  /** Same signature and result as the engine's `diagnose`. */
  readonly diagnose = (snapshot: Snapshot, opts: DiagnoseOptions = {}): Diagnosis => {
    if (opts.rules !== this.rules || opts.history?.flapWindowSeconds !== this.flapWindowSeconds) {
      this.cache.clear();
      this.rules = opts.rules;
      this.flapWindowSeconds = opts.history?.flapWindowSeconds;
    }
    const now = opts.now ?? snapshot.takenAt;
    const next = new Map<string, RegionEntry>();
    const out: Diagnosis = { findings: [], ladders: [] };
    const stats = { evaluated: 0, reused: 0, connections: 0 };
    for (const region of snapshot.regions) {
      const key = regionKey(region);
      const conns = region.connections.data;
      const inputs = new Map(
        conns.map((c) => [
          c.id,
          connectionInputs(
            region,
            c.tunnels.map((t) => t.id),
            opts,
            now,
          ),
        ]),
      );
      const cached = this.cache.get(key);
      if (inputs.size !== conns.length) {
        // Two connections with one id cannot be told apart in the output: the region as the engine
        // gives it, and nothing kept to reuse.
        const whole = diagnose({ takenAt: snapshot.takenAt, regions: [region] }, opts);
        out.findings.push(...whole.findings);
        out.ladders.push(...whole.ladders);
        stats.evaluated++;
        stats.connections += conns.length;
        continue;
      }
      const regionSame = cached !== undefined && sameRegion(cached.region, region);
      const stale = regionSame
        ? conns.filter((c) => !sameData(cached.connections.get(c.id)?.inputs, inputs.get(c.id)))
        : conns;
      const fresh =
        stale.length === 0
          ? new Map<string, Diagnosis>()
          : byConnection(
              diagnose(
                { takenAt: snapshot.takenAt, regions: [region] },
                regionSame ? { ...opts, connections: new Set(stale.map((c) => c.id)) } : opts,
              ),
            );
      if (!regionSame) stats.evaluated++;
      else if (stale.length === 0) stats.reused++;
      stats.connections += stale.length;
      const entry: RegionEntry = { region, connections: new Map() };
      const staleIds = new Set(stale.map((c) => c.id));
      for (const c of conns) {
        const result = staleIds.has(c.id)
          ? (fresh.get(c.id) ?? NOTHING)
          : cached!.connections.get(c.id)!.result;
        entry.connections.set(c.id, { inputs: inputs.get(c.id)!, result });
        out.findings.push(...result.findings);
        out.ladders.push(...result.ladders);
      }
      next.set(key, entry);
    }
    this.cache = next;
    this.stats = stats;
    return out;
  };

  /** What the last call evaluated and reused. */
  lastStats(): IncrementalStats {
    return this.stats;
  }

  /** Forget every result: the next call evaluates the whole fleet. */
  reset(): void {
    this.cache.clear();
  }
}
