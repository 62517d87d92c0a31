// What the facts of a tunnel take from the clock. The engine is pure but for `now`, and `now` reaches
// the facts in two places only: the age of a tunnel's evidence (negotiation.evidenceAgeSeconds,
// quoted in the findings' evidence lines) and the age and freshness of its last IKE probe
// (probe.ageSeconds, probe.fresh and what rests on it). Two evaluations of the same data and history
// whose clock readings are equal give the same diagnosis; the incremental evaluation
// (incremental.ts) reuses a result on that ground. A new use of `now` in the facts must be read here
// too (test/daemon/incremental-evaluation.test.ts fails when one is missed).
import type { RegionSnapshot, TunnelEvidence } from '../model/snapshot.js';
import { probeFacts } from './facts/probe.js';

/** Whole seconds since the evidence was captured (never negative). */
export function evidenceAgeSeconds(ev: TunnelEvidence, now: number): number {
  return Math.max(0, Math.round((now - ev.collectedAt) / 1000));
}

/** Everything the facts of tunnel `tunnelId` read from the clock at `now`, in a fixed order. */
export function clockReadings(
  region: Pick<RegionSnapshot, 'evidence' | 'probes'>,
  tunnelId: string,
  now: number,
): number[] {
  const ev = region.evidence[tunnelId];
  const probe = region.probes?.[tunnelId];
  const out = [ev ? evidenceAgeSeconds(ev, now) : -1];
  if (probe) {
    const f = probeFacts(probe, now);
    out.push(f.fresh ? 1 : 0, f.answered ? 1 : 0, f.silent ? 1 : 0, f.ageSeconds ?? -1);
  }
  return out;
}
