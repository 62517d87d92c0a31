// The daemon's runtime, as a façade over its pieces (src/daemon/doctor/): the tier runner runs the
// collection tiers over every account × region and keeps their health; the status cycle here folds
// their results into one snapshot and turns changes into stored events; the evidence hunter
// captures what Alibaba says while it still has it; the evaluator runs the rules; the read model
// answers the DoctorView reads of metrics, reports and the HTTP API.
import {
  type ApiCallCounter,
  type BackoffState,
  type BudgetState,
  InMemoryApiCallCounter,
  type RegionApi,
  type RequestBudgets,
  type ThrottleBackoff,
} from '../cloud/index.js';
import { applyUpdate, mergedConnections, type RegionUpdate, regionKey } from '../collect/merge.js';
import { collectProbes, type ProbeFn, probeTargets } from '../collect/probes.js';
import { collectStatus } from '../collect/status.js';
import { collectTopology } from '../collect/topology.js';
import { collectTraffic } from '../collect/traffic.js';
import type { AppConfig } from '../config/index.js';
import type { LoadedRules } from '../diagnose/engine.js';
import type { Logger } from '../log/logger.js';
import type { VpnEvent } from '../model/events.js';
import type { Diagnosis } from '../model/finding.js';
import type { EventQuery, TrafficPoint } from '../model/history.js';
import type { PeerSnapshot } from '../model/peer.js';
import type { ReportError } from '../model/region-error.js';
import type { Snapshot } from '../model/snapshot.js';
import { regionHasDownTunnel } from '../model/tunnel-health.js';
import type { PeerWatcher } from '../peer/watcher.js';
import { samplesOf } from '../state/availability.js';
import { ChangeWatcher, linkRecoveries } from '../state/changes.js';
import { withFailoverQuality } from '../state/failover-quality.js';
import { Outages } from '../state/outages.js';
import { restoreOutages } from '../state/restore.js';
import type { Store } from '../state/store.js';
import { advanceBaseline, DEFAULT_FLAP_WINDOW_MS, track } from '../state/tracker.js';
import type { CollectStatus, DoctorView, PeerTunnelSides } from '../view/doctor-view.js';
import { type Diagnoser, Evaluator } from './doctor/evaluator.js';
import { EvidenceHunter } from './doctor/evidence-hunter.js';
import { Fleet } from './doctor/fleet.js';
import { ReadModel } from './doctor/read-model.js';
import { TierRunner } from './doctor/tier-runner.js';
import { withEvidence } from './event-evidence.js';
import { StoreHealth } from './store-health.js';

export interface DoctorDeps {
  config: AppConfig;
  apis: RegionApi[];
  store: Store;
  rules: LoadedRules;
  logger: Logger;
  counter?: ApiCallCounter;
  budgets?: RequestBudgets;
  /** Throttling backoff shared with the cloud layer (metrics; the adaptive tier leaves throttled accounts alone). */
  backoff?: ThrottleBackoff;
  now?: () => number;
  /** On-prem devices (`peers:`): their findings are laid over the engine's. */
  peers?: PeerWatcher;
  /** The IKE probe (tests replace it); default: a real UDP probe. */
  probe?: ProbeFn;
  /** The rule engine (tests wrap it); default: diagnose/engine.ts. */
  diagnose?: Diagnoser;
}

/** Events kept in memory while the store refuses writes (a full disk); the oldest go first. */
const MAX_UNSTORED_EVENTS = 10_000;

export class Doctor implements DoctorView {
  readonly counter: ApiCallCounter;
  private readonly now: () => number;
  private readonly fleet: Fleet;
  private readonly tiers: TierRunner;
  private readonly hunter: EvidenceHunter;
  private readonly evaluator: Evaluator;
  private readonly view: ReadModel;
  /** Each region as last seen complete: what the tracker compares against (persisted). */
  private baseline: Snapshot | null;
  /** A failed store write fails the tier that made it (and readiness) until a cycle stores again. */
  private readonly storeHealth = new StoreHealth();
  /** Events the store refused (disk full): stored, with their own times, once it takes writes again. */
  private unstored: VpnEvent[] = [];
  /** Each down tunnel's outage: evidence from before it (an earlier outage) is not its evidence. */
  private readonly outages = new Outages();
  private statusCyclesDone = 0;
  /** Configuration changes between snapshots seen by this process (never from the stored baseline). */
  private readonly changes = new ChangeWatcher();
  /** Status runs one at a time (see runStatus). */
  private statusQueue: Promise<unknown> = Promise.resolve();
  /** Called after a status run with the regions that saw a transition (the runtime refreshes topology). */
  onTransitions: ((regionKeys: string[]) => void) | undefined;

  constructor(private readonly deps: DoctorDeps) {
    this.counter = deps.counter ?? new InMemoryApiCallCounter();
    this.now = deps.now ?? Date.now;
    this.baseline = deps.store.loadSnapshot();
    this.fleet = new Fleet(this.now);
    this.tiers = new TierRunner(deps.logger, this.now);
    // Outages in progress and their evidence survive a restart (no resolved/reopened cause).
    const restored = restoreOutages(deps.store, this.baseline);
    for (const o of restored.outages) this.outages.restore(o);
    this.hunter = new EvidenceHunter(
      {
        config: deps.config,
        apis: deps.apis,
        store: deps.store,
        fleet: this.fleet,
        tiers: this.tiers,
        outages: this.outages,
        now: this.now,
      },
      restored.evidence,
    );
    this.evaluator = new Evaluator({
      rules: deps.rules,
      store: deps.store,
      logger: deps.logger,
      storeHealth: this.storeHealth,
      peers: deps.peers,
      downSince: () => this.outages.downSince,
      changeWindowMs: this.changeWindowMs,
      now: this.now,
      ...(deps.diagnose && { diagnose: deps.diagnose }),
    });
    this.view = new ReadModel({
      fleet: this.fleet,
      store: deps.store,
      tiers: this.tiers,
      storeHealth: this.storeHealth,
      counter: this.counter,
      budgets: deps.budgets,
      backoff: deps.backoff,
      peers: deps.peers,
      config: deps.config,
      diagnosis: () => this.evaluator.diagnosis,
      statusCycles: () => this.statusCyclesDone,
      refreshEvidence: (id) => this.refreshEvidence(id),
    });
  }

  get config(): AppConfig {
    return this.deps.config;
  }

  runbookBaseUrl(): string {
    return this.view.runbookBaseUrl();
  }

  get apis(): readonly RegionApi[] {
    return this.deps.apis;
  }

  // ── Tiers ────────────────────────────────────────────────────────────────────────────────────

  /**
   * The status tier for every region (or only `only`: region keys), then events, evidence and rules.
   * `onPublished` is called once the new status and its findings are published, before the evidence.
   */
  runStatus(only?: ReadonlySet<string>, onPublished?: () => void): Promise<VpnEvent[]> {
    // The regular and the adaptive tier are separate jobs and may start together. Runs overlapping
    // would both track against the same baseline and store (and count) a transition twice, so the
    // status part runs one at a time; the evidence part does not hold the next cycle back.
    const published = this.statusQueue.then(() => this.publishStatus(only));
    this.statusQueue = published.catch(() => undefined);
    return published.then((cycle) => {
      onPublished?.(); // the scheduler frees the tier's next slot here (daemon/runtime.ts)
      return cycle ? this.addEvidence(cycle.apis, cycle.stored) : [];
    });
  }

  private async publishStatus(
    only?: ReadonlySet<string>,
  ): Promise<{ apis: RegionApi[]; stored: VpnEvent[] } | null> {
    const apis = this.deps.apis.filter((a) => !only || only.has(regionKey(a)));
    if (apis.length === 0) return null;
    const tiersBefore = this.tiers.health();
    const statusUpdates: RegionUpdate[] = [];
    await this.tiers.run(apis, 'status', async (api) => {
      const account = this.accountConfig(api.account);
      const connections = await collectStatus(
        api,
        { vpnGatewayIds: account?.filter.vpnGatewayIds ?? [], tags: account?.filter.tags ?? {} },
        this.now,
      );
      // Settled against the last read now, while other regions' answers are still on the way.
      const settled = mergedConnections(this.fleet.region(api), connections);
      statusUpdates.push({ account: api.account, region: api.region, connections: settled });
      return { complete: connections.complete, error: connections.error };
    });
    // Track against the baseline, store the events, then publish the new status with its findings
    // at once: a tunnel that just went down is visible (and evaluated, as `negotiation-failed` until
    // a cause is named) without waiting for the evidence calls, which may take long in a big outage.
    const now = this.now();
    let next = this.fleet.current;
    for (const u of statusUpdates) next = applyUpdate(next, u, now);
    if (!next) return null;
    const changes = this.changes.observe(next, now);
    const previousRead = new Map(
      (this.baseline?.regions ?? []).map((r) => [regionKey(r), r.connections.collectedAt]),
    );
    const transitions = track(this.baseline, next, now, {
      recentStateChanges: this.deps.store.stateChangesSince(now - DEFAULT_FLAP_WINDOW_MS),
    });
    let counters: ReturnType<Store['counters']> | undefined;
    /** Read only when a failback needs it: a full counters scan per cycle is not free at scale. */
    const lastFailoverAt = (id: string) => {
      counters ??= this.deps.store.counters();
      return counters.lastFailoverAtMs[id];
    };
    const events = [
      ...changes,
      ...withFailoverQuality(
        linkRecoveries(transitions, [...changes, ...this.evaluator.recentChanges(now)], this.changeWindowMs),
        {
          // The baseline holds each region as last read completely (stored: it survives a restart).
          previousSampleAt: (e) => previousRead.get(regionKey(e)),
          lastFailoverAt,
          lastDownAt: (id) =>
            this.deps.store.events({ connectionId: id, kinds: ['connection_down'], limit: 1 })[0]?.at,
        },
      ),
    ];
    this.outages.observe(next, events);
    // The view moves on whether or not the store can take the events (a full disk must not freeze
    // the status at the last state it could write). A tunnel down again starts with empty evidence.
    // `next` is these updates folded into the view as it still is (nothing ran in between): merging
    // them again would only repeat the work.
    this.fleet.current = next;
    this.hunter.applyRestored();
    if (this.fleet.current) this.fleet.current = this.outages.withoutStaleEvidence(this.fleet.current);
    this.storeHealth.begin();
    const stored = this.persist(events, next, apis);
    if (events.some((e) => e.kind === 'tunnel_up' || e.kind === 'tunnel_down'))
      this.evaluator.transitionsStored();
    const read = new Set(statusUpdates.filter((u) => u.connections?.complete).map((u) => regionKey(u)));
    this.storeHealth.write(
      apis,
      () => this.deps.store.recordAvailability(samplesOf(next, read, now)),
      (message) => this.deps.logger.error(`availability samples not kept: ${message}`),
    );
    this.statusCyclesDone++;
    this.evaluate();
    if (this.storeHealth.error) this.tiers.failTier(apis, 'status', tiersBefore);
    const changed = [...new Set(stored.map((e) => `${e.account}/${e.region}`))];
    if (changed.length > 0) this.onTransitions?.(changed);
    return { apis, stored };
  }

  /**
   * The evidence of a published cycle, published with the re-evaluated findings; the stored events
   * get what Alibaba said at the time, so the timeline keeps it after Alibaba forgets.
   */
  private async addEvidence(apis: readonly RegionApi[], stored: VpnEvent[]): Promise<VpnEvent[]> {
    if (!this.fleet.current) return stored;
    const evidenceUpdates = await this.hunter.capture(apis, this.fleet.current, stored);
    if (evidenceUpdates.length === 0) return stored;
    for (const u of evidenceUpdates) this.fleet.apply(u);
    const annotated = withEvidence(stored, evidenceUpdates);
    this.storeHealth.write(
      apis,
      () => this.deps.store.updateEventDetails(annotated.filter((e, i) => e !== stored[i])),
      (message) => this.deps.logger.error(`evidence of the stored events not kept: ${message}`),
    );
    this.evaluate();
    return annotated;
  }

  async runTopology(only?: ReadonlySet<string>): Promise<void> {
    const apis = this.deps.apis.filter((a) => !only || only.has(regionKey(a)));
    await this.tiers.run(
      apis,
      'topology',
      async (api) => {
        const topology = await collectTopology(api, this.fleet.connectionsOf(api));
        this.fleet.apply({ account: api.account, region: api.region, topology });
        this.recordTopologyChanges(api);
        return { complete: topology.complete, error: topology.error };
      },
      { singleFlight: true },
    );
    this.evaluate();
  }

  async runTraffic(): Promise<void> {
    await this.tiers.run(this.deps.apis, 'traffic', async (api) => {
      const traffic = await collectTraffic(api, this.fleet.connectionsOf(api), this.now());
      this.fleet.apply({ account: api.account, region: api.region, traffic });
      this.deps.store.recordTraffic(traffic.data);
      return { complete: traffic.complete, error: traffic.error };
    });
  }

  /** The probe tier: every tunnel's peer address on the configured ports, then re-evaluate. */
  async runProbes(signal?: AbortSignal): Promise<void> {
    const current = this.fleet.current;
    if (!current) return;
    const settings = this.deps.config.probe;
    const targets = probeTargets(current.regions, settings.target);
    const byRegion = await collectProbes(targets, settings, {
      now: this.now,
      ...(this.deps.probe && { probe: this.deps.probe }),
      ...(signal && { signal }),
    });
    for (const [key, probes] of byRegion) {
      const region = this.fleet.current?.regions.find((r) => regionKey(r) === key);
      if (region) this.fleet.apply({ account: region.account, region: region.region, probes });
    }
    this.evaluate();
  }

  /** One full collection (status, topology, traffic, evidence for every down tunnel) and evaluation. */
  async collectOnce(): Promise<void> {
    // The peers are read beside the cloud side, never in front of it (each read is bounded).
    const peers = this.deps.peers?.runOnce();
    await this.runStatus();
    await Promise.all([this.runTopology(), this.runTraffic(), peers]);
    if (peers) this.evaluate();
  }

  /** The peer tier: read every on-prem device, then re-evaluate with both sides. */
  async runPeers(): Promise<void> {
    if (!this.deps.peers?.configured) return;
    await this.deps.peers.runOnce();
    this.evaluate();
  }

  /**
   * Regions with a tunnel that is down (or data that is unknown): the adaptive status tier polls them
   * faster. Not while Alibaba is throttling the account's VPC calls: polling faster would push harder
   * against the flow control that made the data unknown.
   */
  unhealthyRegions(): Set<string> {
    const keys = new Set<string>();
    for (const r of this.fleet.current?.regions ?? []) {
      if (this.deps.backoff?.throttled(r.account, 'vpc')) continue;
      if (regionHasDownTunnel(r) || !r.connections.complete) keys.add(regionKey(r));
    }
    return keys;
  }

  /**
   * Re-run the rules over the current snapshot and sync the findings' open/resolved lifecycle: only
   * the regions whose inputs changed, or every region with `full` (the benchmark compares the two).
   */
  evaluate(opts: { full?: boolean } = {}): Diagnosis {
    return this.evaluator.evaluate(this.fleet.current, opts);
  }

  async refreshEvidence(connectionId: string): Promise<void> {
    await this.hunter.refresh(connectionId);
    this.evaluate();
  }

  /** Status runs completed so far (tests count cycles instead of timing them). */
  get statusCycles(): number {
    return this.statusCyclesDone;
  }

  // ── DoctorView (the read model) ──────────────────────────────────────────────────────────────

  snapshot(): Snapshot | null {
    return this.view.snapshot();
  }

  diagnosis(): Diagnosis {
    return this.view.diagnosis();
  }

  events(q: EventQuery): VpnEvent[] {
    return this.view.events(q);
  }

  counters() {
    return this.view.counters();
  }

  collectStatus(): CollectStatus[] {
    return this.view.collectStatus();
  }

  apiRequests() {
    return this.view.apiRequests();
  }

  budgets(): BudgetState[] {
    return this.view.budgets();
  }

  backoffs(): BackoffState[] {
    return this.view.backoffs();
  }

  peers(): PeerSnapshot[] {
    return this.view.peers();
  }

  peerTunnels(): PeerTunnelSides[] {
    return this.view.peerTunnels();
  }

  trafficHistory(connectionId: string, sinceMs: number): TrafficPoint[] {
    return this.view.trafficHistory(connectionId, sinceMs);
  }

  ready(): boolean {
    return this.view.ready();
  }

  notReadyReason(): string | null {
    return this.view.notReadyReason();
  }

  errors(): ReportError[] {
    return this.view.errors();
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────

  private get changeWindowMs(): number {
    return this.deps.config.changes.correlationWindowMinutes * 60_000;
  }

  private accountConfig(name: string) {
    return this.deps.config.accounts.find((a) => a.name === name);
  }

  /** Topology arrives on its own schedule: its changes are stored when it lands. */
  private recordTopologyChanges(api: RegionApi): void {
    if (!this.fleet.current) return;
    const changes = this.changes.observe(this.fleet.current, this.now());
    if (changes.length > 0)
      this.storeHealth.write(
        [api],
        () => this.deps.store.appendEvents(changes),
        (message) => this.deps.logger.error(`configuration changes not stored: ${message}`),
      );
  }

  /**
   * Store the events, then the new baseline (a crash in between repeats nothing already stored).
   * When the store refuses (full, I/O), the status tier of these regions failed and the events wait
   * in memory (bounded) to be stored, with their own times, by a later cycle.
   */
  private persist(events: VpnEvent[], next: Snapshot, regions: readonly RegionApi[]): VpnEvent[] {
    const pending = [...this.unstored, ...events];
    const failed = (message: string) =>
      this.deps.logger.error({ events: pending.length }, `status not stored: ${message}`);
    const stored = this.storeHealth.write(
      regions,
      () => (pending.length > 0 ? this.deps.store.appendEvents(pending) : []),
      failed,
    );
    this.unstored = stored ? [] : pending.slice(-MAX_UNSTORED_EVENTS);
    this.baseline = advanceBaseline(this.baseline, next);
    // Not the baseline either while its events wait: a restart then finds those transitions again.
    if (!stored) return [];
    const baseline = this.baseline;
    this.storeHealth.write(regions, () => this.deps.store.saveSnapshot(baseline), failed);
    for (const e of stored) {
      const { diagnosis: _d, logs: _l, ...facts } = e.detail;
      this.deps.logger.info(
        { kind: e.kind, connection: e.connectionId, tunnel: e.tunnelId, ...facts },
        `event ${e.kind}`,
      );
    }
    return stored;
  }
}
