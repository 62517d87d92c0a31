// The read model: the DoctorView the metrics, the reports and the HTTP API read. Cheap reads of what
// the tiers left in memory (the fleet's snapshot, the last diagnosis, tier health, store health)
// and of the store; nothing here calls Alibaba but `refreshEvidence`, which the Doctor supplies.
import type {
  ApiCallCounter,
  BackoffState,
  BudgetState,
  RequestBudgets,
  ThrottleBackoff,
} from '../../cloud/index.js';
import type { AppConfig } from '../../config/index.js';
import type { VpnEvent } from '../../model/events.js';
import type { Diagnosis } from '../../model/finding.js';
import type { EventQuery, TrafficPoint } from '../../model/history.js';
import type { PeerSnapshot } from '../../model/peer.js';
import type { ReportError } from '../../model/region-error.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { PeerWatcher } from '../../peer/watcher.js';
import type { Store } from '../../state/store.js';
import type { CollectStatus, DoctorView, PeerTunnelSides } from '../../view/doctor-view.js';
import type { StoreHealth } from '../store-health.js';
import type { Fleet } from './fleet.js';
import type { TierRunner } from './tier-runner.js';

export interface ReadModelDeps {
  fleet: Fleet;
  store: Store;
  tiers: TierRunner;
  storeHealth: StoreHealth;
  counter: ApiCallCounter;
  budgets?: RequestBudgets | undefined;
  backoff?: ThrottleBackoff | undefined;
  peers?: PeerWatcher | undefined;
  config: Pick<AppConfig, 'report'>;
  /** The last evaluation's findings and ladders. */
  diagnosis: () => Diagnosis;
  /** Status cycles completed so far. */
  statusCycles: () => number;
  /** Collect evidence for a connection now and re-evaluate. */
  refreshEvidence: (connectionId: string) => Promise<void>;
}

export class ReadModel implements DoctorView {
  constructor(private readonly deps: ReadModelDeps) {}

  snapshot(): Snapshot | null {
    return this.deps.fleet.current;
  }

  diagnosis(): Diagnosis {
    return this.deps.diagnosis();
  }

  events(q: EventQuery): VpnEvent[] {
    return this.deps.store.events(q);
  }

  counters() {
    return this.deps.store.counters();
  }

  collectStatus(): CollectStatus[] {
    return this.deps.tiers.statuses();
  }

  apiRequests() {
    return this.deps.counter.snapshot();
  }

  budgets(): BudgetState[] {
    return this.deps.budgets?.states() ?? [];
  }

  backoffs(): BackoffState[] {
    return this.deps.backoff?.states() ?? [];
  }

  peers(): PeerSnapshot[] {
    return this.deps.peers?.snapshots() ?? [];
  }

  peerTunnels(): PeerTunnelSides[] {
    return (this.deps.peers?.views(this.deps.fleet.current) ?? []).map((v) => ({
      peer: v.peer,
      connectionId: v.connectionId,
      tunnelId: v.tunnelId,
      ikeConnection: v.ikeConnection,
      ikeSaState: v.ikeSaState,
      childSaUp: v.childSaUp,
      bytesIn: v.match.sa?.children.reduce((n, c) => n + c.bytesIn, 0) ?? 0,
      bytesOut: v.match.sa?.children.reduce((n, c) => n + c.bytesOut, 0) ?? 0,
      rows: v.rows.map((r) => ({ field: r.field, alibaba: r.cloud, device: r.peer, agree: r.agree })),
      differences: v.differences.map((d) => ({
        field: d.field,
        rule: d.rule,
        alibaba: d.cloud,
        device: d.peer,
        bites: d.bites,
      })),
    }));
  }

  runbookBaseUrl(): string {
    return this.deps.config.report.runbookBaseUrl;
  }

  trafficHistory(connectionId: string, sinceMs: number): TrafficPoint[] {
    return this.deps.store.trafficHistory(connectionId, sinceMs);
  }

  ready(): boolean {
    return this.deps.statusCycles() > 0 && this.deps.storeHealth.error === null;
  }

  notReadyReason(): string | null {
    if (this.deps.statusCycles() === 0) return 'waiting for the first status cycle';
    return this.deps.storeHealth.error;
  }

  refreshEvidence(connectionId: string): Promise<void> {
    return this.deps.refreshEvidence(connectionId);
  }

  /**
   * Regions whose diagnosis rests on data that could not be read: the connection list (status tier)
   * or the topology that routing and filtering are judged on. Traffic and evidence gaps are not
   * listed here: they show in alivpn_collect_success and in the findings' own evidence.
   */
  errors(): ReportError[] {
    const out: ReportError[] = [];
    for (const r of this.deps.fleet.current?.regions ?? []) {
      const where = { account: r.account, region: r.region };
      if (!r.connections.complete)
        out.push({ ...where, message: r.connections.error ?? 'status not collected' });
      else if (r.topology && !r.topology.complete) {
        out.push({
          ...where,
          message: `topology (routes, ACLs, security groups): ${r.topology.error ?? 'incomplete'}`,
        });
      }
    }
    return [...out, ...this.deps.storeHealth.errors()];
  }
}
