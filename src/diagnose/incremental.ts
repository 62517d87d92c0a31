// Incremental diagnosis: the engine's result for each region, reused while nothing the engine reads
// of that region has changed. A status cycle with no change re-diagnoses nothing; the daemon
// evaluates up to three times per cycle (status, evidence, the topology a transition triggers), and
// each time only the regions something happened to are evaluated again.
//
// What the engine reads of one region, all compared here (diagnose/engine.ts, diagnoseRegion):
// - the region's connections (their completeness and error too), topology, evidence and probes —
//   not the times they were read, nor the traffic, which no fact reads;
// - the history of its tunnels: state changes within the flapping window (recomputed by the caller
//   at each evaluation, so a change leaving the window re-evaluates its region) and up-spells;
// - the clock, through the facts' clock readings (clock.ts): evidence and probe ages in seconds.
// The rules and the flapping window are the same object and value between evaluations, or every
// region is evaluated again. A region's diagnosis depends on no other region, so the fleet's is the
// regions' results in snapshot order, as the engine itself builds it.
import { isDeepStrictEqual } from 'node:util';
import { regionKey } from '../model/derive.js';
import type { Diagnosis } from '../model/finding.js';
import type { RegionSnapshot, Snapshot } from '../model/snapshot.js';
import { clockReadings } from './clock.js';
import { type DiagnoseOptions, diagnose } from './engine.js';

/** The inputs of one region's diagnosis, as compared between evaluations. */
interface RegionInputs {
  region: RegionSnapshot;
  stateChanges: Array<number | undefined>;
  upSpells: Array<number[] | undefined>;
  clock: number[];
}

/** How the last evaluation went: regions diagnosed again and regions whose result was reused. */
export interface IncrementalStats {
  evaluated: number;
  reused: number;
}

function inputsOf(region: RegionSnapshot, opts: DiagnoseOptions, now: number): RegionInputs {
  const ids = region.connections.data.flatMap((c) => c.tunnels.map((t) => t.id));
  return {
    region,
    stateChanges: ids.map((id) => opts.history?.stateChanges?.[id]),
    upSpells: ids.map((id) => opts.history?.upSpells?.[id]),
    clock: clockReadings(region, now),
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
    isDeepStrictEqual(a.connections.data, b.connections.data) &&
    (a.topology === b.topology ||
      (a.topology !== null &&
        b.topology !== null &&
        a.topology.complete === b.topology.complete &&
        a.topology.error === b.topology.error &&
        isDeepStrictEqual(a.topology.data, b.topology.data))) &&
    isDeepStrictEqual(a.evidence, b.evidence) &&
    isDeepStrictEqual(a.probes, b.probes)
  );
}

function sameInputs(a: RegionInputs, b: RegionInputs): boolean {
  return (
    isDeepStrictEqual(a.clock, b.clock) &&
    isDeepStrictEqual(a.stateChanges, b.stateChanges) &&
    isDeepStrictEqual(a.upSpells, b.upSpells) &&
    sameRegion(a.region, b.region)
  );
}

export class IncrementalDiagnosis {
  private cache = new Map<string, { inputs: RegionInputs; result: Diagnosis }>();
  private rules: DiagnoseOptions['rules'];
  private flapWindowSeconds: number | undefined;
  private stats: IncrementalStats = { evaluated: 0, reused: 0 };

  /** Same signature and result as the engine's `diagnose`. */
  readonly diagnose = (snapshot: Snapshot, opts: DiagnoseOptions = {}): Diagnosis => {
    if (opts.rules !== this.rules || opts.history?.flapWindowSeconds !== this.flapWindowSeconds) {
      this.cache.clear();
      this.rules = opts.rules;
      this.flapWindowSeconds = opts.history?.flapWindowSeconds;
    }
    const now = opts.now ?? snapshot.takenAt;
    const next = new Map<string, { inputs: RegionInputs; result: Diagnosis }>();
    const out: Diagnosis = { findings: [], ladders: [] };
    const stats = { evaluated: 0, reused: 0 };
    for (const region of snapshot.regions) {
      const key = regionKey(region);
      const inputs = inputsOf(region, opts, now);
      const cached = this.cache.get(key);
      let result: Diagnosis;
      if (cached && sameInputs(cached.inputs, inputs)) {
        result = cached.result;
        stats.reused++;
      } else {
        result = diagnose({ takenAt: snapshot.takenAt, regions: [region] }, opts);
        stats.evaluated++;
      }
      next.set(key, { inputs, result });
      out.findings.push(...result.findings);
      out.ladders.push(...result.ladders);
    }
    this.cache = next;
    this.stats = stats;
    return out;
  };

  /** Regions evaluated and reused by the last call. */
  lastStats(): IncrementalStats {
    return this.stats;
  }

  /** Forget every result: the next call evaluates the whole fleet. */
  reset(): void {
    this.cache.clear();
  }
}
