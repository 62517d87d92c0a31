// The read-only seam between the daemon and everything that shows its state: metrics, the
// JSON/Markdown/text reports, the HTTP API and the HTML report. It sits below those readers and
// above the model, so the daemon, the store, metrics and the reports never import from server/
// (docs/architecture.md, "Layers"). The daemon implements it; nothing behind it may call Alibaba
// Cloud APIs except `refreshEvidence`.
import type { BackoffState } from '../cloud/throttle.js';
import type { BudgetState } from '../cloud/types.js';
import type { VpnEvent } from '../model/events.js';
import type { Diagnosis } from '../model/finding.js';
import type { EventQuery, TrackerCounters, TrafficPoint } from '../model/history.js';
import type { PeerSnapshot } from '../model/peer.js';
import type { ReportError } from '../model/region-error.js';
import type { Snapshot } from '../model/snapshot.js';

export type CollectTier = 'status' | 'evidence' | 'topology' | 'traffic';

export interface CollectStatus {
  account: string;
  region: string;
  tier: CollectTier;
  /** Outcome of the last attempt. */
  success: boolean;
  durationSeconds: number;
  lastAttemptMs: number;
  lastSuccessMs: number | null;
}

export interface ApiRequestCount {
  account: string;
  region: string;
  product: string; // vpc | ecs | cms
  action: string; // DescribeVpnConnections …
  code: string; // "200", "Throttling.User", "timeout" …
  count: number;
}

/**
 * What the daemon exposes to readers. All methods are cheap reads of in-memory or SQLite state.
 *
 * Contract for a region whose status collection failed: `snapshot()` keeps the last successfully
 * collected connections of that region with `connections.complete = false`, `connections.error`
 * set, and `connections.collectedAt` = the time of that last success; `errors()` lists the region.
 * Readers then show its connections as `unknown` (report) and stop exporting their state gauges
 * once the data is older than the staleness limit (metrics).
 */
export interface DoctorView {
  /** The last merged snapshot of all regions; null before the first status cycle. */
  snapshot(): Snapshot | null;
  /** Findings and ladders of the last evaluation. */
  diagnosis(): Diagnosis;
  /** Stored events, newest first. */
  events(q: EventQuery): VpnEvent[];
  counters(): TrackerCounters;
  collectStatus(): CollectStatus[];
  apiRequests(): ApiRequestCount[];
  /** Traffic datapoints of one connection since `sinceMs`, oldest first. */
  trafficHistory(connectionId: string, sinceMs: number): TrafficPoint[];
  /** true after the first complete status cycle, while the state store takes writes. */
  ready(): boolean;
  /** Why ready() is false (for /readyz), null when ready. Optional. */
  notReadyReason?(): string | null;
  /** Collect evidence for the connection's tunnels now and re-evaluate (POST …/diagnose). */
  refreshEvidence(connectionId: string): Promise<void>;
  /** Regions that could not be collected in the last cycle. Never contains secrets. */
  errors(): ReportError[];
  /** Request-budget buckets in use (tokens left, waits): alivpn_api_budget_* metrics. Optional. */
  budgets?(): BudgetState[];
  /** Throttling backoff per account × product: alivpn_api_throttled_total, alivpn_api_backoff_*. Optional. */
  backoffs?(): BackoffState[];
  /** On-prem devices read over VICI (`peers:`), unread ones unreachable. Optional. */
  peers?(): PeerSnapshot[];
  /** Both sides of each tunnel a peer serves (report, API, metrics). Optional. */
  peerTunnels?(): PeerTunnelSides[];
  /** `report.runbookBaseUrl`: where findings' runbook links point. Optional (default: the shipped docs). */
  runbookBaseUrl?(): string;
}

/** One cloud tunnel as Alibaba and the on-prem device see it. */
export interface PeerTunnelSides {
  peer: string;
  connectionId: string;
  tunnelId: string;
  /** The device's IKE connection name. */
  ikeConnection: string;
  /** The device's IKE_SA state (ESTABLISHED, CONNECTING…), null when it has none. */
  ikeSaState: string | null;
  childSaUp: boolean;
  bytesIn: number;
  bytesOut: number;
  rows: { field: string; alibaba: string; device: string | null; agree: boolean | null }[];
  differences: { field: string; rule: string; alibaba: string; device: string; bites: string }[];
}
