// What the state store remembers, in the shapes its readers ask for: stored events (by query), the
// tracker's counters and a connection's traffic history. Plain data: the store fills these, the
// read interface (view/doctor-view.ts) hands them to metrics, the reports and the API.
import type { EventKind } from './events.js';

export interface EventQuery {
  connectionId?: string;
  /** Unix ms: only events at or after this time. */
  since?: number;
  /** Newest first; the implementation may cap it. */
  limit?: number;
  /** Only events of these kinds. */
  kinds?: readonly EventKind[];
}

/** Counters kept by the tracker since the state store was created (they survive restarts). */
export interface TrackerCounters {
  /** Keyed by tunnel id: negotiation status changes. */
  tunnelStateChanges: Record<string, number>;
  /** Keyed by tunnel id: Unix ms of the last status change. */
  tunnelLastChangeMs: Record<string, number>;
  /** Keyed by connection id. */
  failovers: Record<string, number>;
  failbacks: Record<string, number>;
  /** Keyed by connection id: Unix ms of the last failover. */
  lastFailoverAtMs: Record<string, number>;
  /** Keyed by connection id, then change kind: configuration changes seen. */
  configChanges: Record<string, Record<string, number>>;
  /** Keyed by connection id: seconds observed, with a tunnel established, and on the standby tunnel. */
  observedSeconds: Record<string, number>;
  availableSeconds: Record<string, number>;
  standbySeconds: Record<string, number>;
}

export interface TrafficPoint {
  /** Unix ms. */
  at: number;
  rxBps: number | null;
  txBps: number | null;
}
