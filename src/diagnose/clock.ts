// What the facts of a region take from the clock. The engine is pure but for `now`, and `now` reaches
// the facts in two places only: the age of a tunnel's evidence (negotiation.evidenceAgeSeconds,
// quoted in the findings' evidence lines) and the age and freshness of its last IKE probe
// (probe.ageSeconds, probe.fresh). Two evaluations of the same region with the same history whose
// clock readings are equal give the same diagnosis; the incremental evaluation (incremental.ts)
// reuses a region's result on that ground. A new use of `now` in the facts must be read here too.
import type { RegionSnapshot, TunnelEvidence } from '../model/snapshot.js';
import { probeFacts } from './facts/probe.js';

/** Whole seconds since the evidence was captured (never negative). */
export function evidenceAgeSeconds(ev: TunnelEvidence, now: number): number {
  return Math.max(0, Math.round((now - ev.collectedAt) / 1000));
}

/** Everything the region's facts read from the clock at `now`, in a fixed order. */
export function clockReadings(region: Pick<RegionSnapshot, 'evidence' | 'probes'>, now: number): number[] {
  const out: number[] = [];
  for (const ev of Object.values(region.evidence)) out.push(evidenceAgeSeconds(ev, now));
  for (const p of Object.values(region.probes ?? {})) {
    const f = probeFacts(p, now);
    out.push(f.fresh ? 1 : 0, f.answered ? 1 : 0, f.silent ? 1 : 0, f.ageSeconds ?? -1);
  }
  return out;
}
