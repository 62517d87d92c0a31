// Connection availability from status samples: how long each connection was observed, how long at
// least one tunnel was established, how long traffic ran on the standby tunnel. Kept as ever-growing
// totals (Prometheus counters) so any window's ratio is `increase(available) / increase(observed)`.
import { activeTunnel, isOnStandby, regionKey } from '../model/derive.js';
import type { Snapshot } from '../model/snapshot.js';

export interface AvailabilityTotals {
  connectionId: string;
  /** Unix ms of the last sample counted. */
  lastSampleMs: number;
  lastUp: boolean;
  lastOnStandby: boolean;
  observedMs: number;
  availableMs: number;
  standbyMs: number;
}

export interface AvailabilitySample {
  connectionId: string;
  at: number;
  /** At least one tunnel has its IPsec SA established. */
  up: boolean;
  onStandby: boolean;
}

/**
 * A gap between two samples longer than this is not counted at all: the daemon was stopped or the
 * region unreadable, and nothing is known of that time (neither up nor down).
 */
export const MAX_SAMPLE_GAP_MS = 10 * 60_000;

/**
 * Adds the time since the last sample. Between two samples the state is known only at both ends:
 * when they agree the whole interval counts that way; when they differ, half (the change happened
 * somewhere in between, and the sampling interval bounds the error).
 */
export function advance(
  prev: AvailabilityTotals | undefined,
  s: AvailabilitySample,
  maxGapMs = MAX_SAMPLE_GAP_MS,
): AvailabilityTotals {
  const base: AvailabilityTotals = prev ?? {
    connectionId: s.connectionId,
    lastSampleMs: s.at,
    lastUp: s.up,
    lastOnStandby: s.onStandby,
    observedMs: 0,
    availableMs: 0,
    standbyMs: 0,
  };
  const dt = s.at - base.lastSampleMs;
  if (dt < 0) return base;
  // Spelled out: an object spread takes V8's slow path on Node 20, and this runs per connection and cycle.
  const next: AvailabilityTotals = {
    connectionId: base.connectionId,
    lastSampleMs: s.at,
    lastUp: s.up,
    lastOnStandby: s.onStandby,
    observedMs: base.observedMs,
    availableMs: base.availableMs,
    standbyMs: base.standbyMs,
  };
  if (dt === 0 || dt > maxGapMs) return next;
  const share = (a: boolean, b: boolean) => (dt * ((a ? 1 : 0) + (b ? 1 : 0))) / 2;
  next.observedMs += dt;
  next.availableMs += share(base.lastUp, s.up);
  next.standbyMs += share(base.lastOnStandby, s.onStandby);
  return next;
}

/** One sample per connection of the regions whose status this cycle read completely (`read`: region keys). */
export function samplesOf(snapshot: Snapshot, read: ReadonlySet<string>, at: number): AvailabilitySample[] {
  return snapshot.regions
    .filter((r) => r.connections.complete && read.has(regionKey(r)))
    .flatMap((r) =>
      r.connections.data.map((c) => ({
        connectionId: c.id,
        at,
        up: activeTunnel(c) !== null,
        onStandby: isOnStandby(c),
      })),
    );
}
