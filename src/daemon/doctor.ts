// The daemon's runtime: runs the collection tiers over every account × region, folds their results
// into one snapshot, turns changes into stored events, captures evidence while Alibaba still has it,
// evaluates the rules, and answers the DoctorView reads of metrics, reports and the HTTP API.
import {
  type ApiCallCounter,
  type BackoffState,
  type BudgetState,
  InMemoryApiCallCounter,
  type RegionApi,
  type RequestBudgets,
  type ThrottleBackoff,
} from '../cloud/index.js';
import { mapLimit } from '../collect/concurrency.js';
import { collectEvidence, type EvidenceTarget } from '../collect/evidence.js';
import { keepCapturedCause } from '../collect/evidence-carry.js';
import { applyUpdate, type RegionUpdate, regionKey } from '../collect/merge.js';
import { collectProbes, type ProbeFn, probeTargets } from '../collect/probes.js';
import { collectStatus } from '../collect/status.js';
import { evidenceTargets } from '../collect/targets.js';
import { collectTopology } from '../collect/topology.js';
import { collectTraffic } from '../collect/traffic.js';
import type { AppConfig } from '../config/index.js';
import { withRecentChanges } from '../diagnose/changes/annotate.js';
import { diagnose, type LoadedRules } from '../diagnose/engine.js';
import type { Logger } from '../log/logger.js';
import type { VpnEvent } from '../model/events.js';
import type { Diagnosis } from '../model/finding.js';
import type { EventQuery, TrafficPoint } from '../model/history.js';
import type { PeerSnapshot } from '../model/peer.js';
import type { ReportError } from '../model/region-error.js';
import type { Connection, RegionSnapshot, Snapshot, TunnelEvidence } from '../model/snapshot.js';
import { regionHasDownTunnel } from '../model/tunnel-health.js';
import type { PeerWatcher } from '../peer/watcher.js';
import { samplesOf } from '../state/availability.js';
import { ChangeWatcher, linkRecoveries } from '../state/changes.js';
import { withFailoverQuality } from '../state/failover-quality.js';
import { Outages } from '../state/outages.js';
import { restoreOutages } from '../state/restore.js';
import type { Store } from '../state/store.js';
import { advanceBaseline, DEFAULT_FLAP_WINDOW_MS, track } from '../state/tracker.js';
import { UP_SPELL_WINDOW_MS, upSpellsBeforeFailure } from '../state/up-spells.js';
import type { CollectStatus, CollectTier, DoctorView, PeerTunnelSides } from '../view/doctor-view.js';
import { withEvidence } from './event-evidence.js';
import { StoreHealth } from './store-health.js';
import { keepTopologyFindings } from './topology-gap.js';

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
}

/** Regions collected at once: each region's calls are budgeted anyway; this bounds sockets and memory. */
const REGION_CONCURRENCY = 8;
/** A down tunnel's evidence is refreshed this often: inside Alibaba's ~3-minute error-code window. */
const EVIDENCE_REFRESH_MS = 120_000;
/** Events kept in memory while the store refuses writes (a full disk); the oldest go first. */
const MAX_UNSTORED_EVENTS = 10_000;
/** The gateway logs a failure a little after the status changes: look again every cycle this long. */
const EVIDENCE_HUNT_MS = 5 * 60_000;

export class Doctor implements DoctorView {
  readonly counter: ApiCallCounter;
  private readonly now: () => number;
  private current: Snapshot | null = null;
  /** Each region as last seen complete: what the tracker compares against (persisted). */
  private baseline: Snapshot | null;
  private lastDiagnosis: Diagnosis = { findings: [], ladders: [] };
  private readonly tiers = new Map<string, CollectStatus>();
  /** A failed store write fails the tier that made it (and readiness) until a cycle stores again. */
  private readonly storeHealth = new StoreHealth();
  /** Events the store refused (disk full): stored, with their own times, once it takes writes again. */
  private unstored: VpnEvent[] = [];
  private readonly lastEvidenceAt = new Map<string, number>();
  /** Each down tunnel's outage: evidence from before it (an earlier outage) is not its evidence. */
  private readonly outages = new Outages();
  /** Evidence of outages in progress at start-up, published with the first status of its region. */
  private restoredEvidence: TunnelEvidence[];
  private readonly topologyInFlight = new Map<string, Promise<void>>();
  private statusCyclesDone = 0;
  /** Configuration changes between snapshots seen by this process (never from the stored baseline). */
  private readonly changes = new ChangeWatcher();
  /** When each region's status was last read completely (failover gaps are bounded by it). */
  private readonly lastSampleAt = new Map<string, number>();
  private upSpellsCache: Record<string, number[]> | undefined;
  /** Status runs one at a time (see runStatus). */
  private statusQueue: Promise<unknown> = Promise.resolve();
  /** Tunnels whose evidence is being collected (a slow capture may outlast the next status cycle). */
  private readonly evidenceInFlight = new Set<string>();
  /** Called after a status run with the regions that saw a transition (the runtime refreshes topology). */
  onTransitions: ((regionKeys: string[]) => void) | undefined;

  constructor(private readonly deps: DoctorDeps) {
    this.counter = deps.counter ?? new InMemoryApiCallCounter();
    this.now = deps.now ?? Date.now;
    this.baseline = deps.store.loadSnapshot();
    // Outages in progress and their evidence survive a restart (no resolved/reopened cause).
    const restored = restoreOutages(deps.store, this.baseline);
    for (const o of restored.outages) this.outages.restore(o);
    this.restoredEvidence = restored.evidence;
  }

  get config(): AppConfig {
    return this.deps.config;
  }

  runbookBaseUrl(): string {
    return this.deps.config.report.runbookBaseUrl;
  }

  get apis(): readonly RegionApi[] {
    return this.deps.apis;
  }

  // ── Tiers ────────────────────────────────────────────────────────────────────────────────────

  /** The status tier for every region (or only `only`: region keys), then events, evidence and rules. */
  runStatus(only?: ReadonlySet<string>): Promise<VpnEvent[]> {
    // The regular and the adaptive tier are separate jobs and may start together. Runs overlapping
    // would both track against the same baseline and store (and count) a transition twice, so the
    // status part runs one at a time; the evidence part does not hold the next cycle back.
    const published = this.statusQueue.then(() => this.publishStatus(only));
    this.statusQueue = published.catch(() => undefined);
    return published.then((cycle) => (cycle ? this.addEvidence(cycle.apis, cycle.stored) : []));
  }

  private async publishStatus(
    only?: ReadonlySet<string>,
  ): Promise<{ apis: RegionApi[]; stored: VpnEvent[] } | null> {
    const apis = this.deps.apis.filter((a) => !only || only.has(regionKey(a)));
    if (apis.length === 0) return null;
    const tiersBefore = new Map(this.tiers);
    const statusUpdates: RegionUpdate[] = [];
    await mapLimit(apis, REGION_CONCURRENCY, (api) =>
      this.timed(api, 'status', async () => {
        const account = this.accountConfig(api.account);
        const connections = await collectStatus(
          api,
          { vpnGatewayIds: account?.filter.vpnGatewayIds ?? [], tags: account?.filter.tags ?? {} },
          this.now,
        );
        statusUpdates.push({ account: api.account, region: api.region, connections });
        return { complete: connections.complete, error: connections.error };
      }),
    );
    // Track against the baseline, store the events, then publish the new status with its findings
    // at once: a tunnel that just went down is visible (and evaluated, as `negotiation-failed` until
    // a cause is named) without waiting for the evidence calls, which may take long in a big outage.
    const now = this.now();
    let next = this.current;
    for (const u of statusUpdates) next = applyUpdate(next, u, now);
    if (!next) return null;
    const changes = this.changes.observe(next, now);
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
        linkRecoveries(transitions, [...changes, ...this.recentChanges(now)], this.changeWindowMs),
        {
          previousSampleAt: (e) => this.lastSampleAt.get(regionKey(e)),
          lastFailoverAt,
          lastDownAt: (id) =>
            this.deps.store.events({ connectionId: id, kinds: ['connection_down'], limit: 1 })[0]?.at,
        },
      ),
    ];
    this.outages.observe(next, events);
    // The view moves on whether or not the store can take the events (a full disk must not freeze
    // the status at the last state it could write). A tunnel down again starts with empty evidence.
    for (const u of statusUpdates) this.apply(u);
    this.applyRestoredEvidence();
    if (this.current) this.current = this.outages.withoutStaleEvidence(this.current);
    this.storeHealth.begin();
    const stored = this.persist(events, next, apis);
    if (events.some((e) => e.kind === 'tunnel_up' || e.kind === 'tunnel_down'))
      this.upSpellsCache = undefined;
    const read = new Set(statusUpdates.filter((u) => u.connections?.complete).map((u) => regionKey(u)));
    this.storeHealth.write(
      apis,
      () => this.deps.store.recordAvailability(samplesOf(next, read, now)),
      (message) => this.deps.logger.error(`availability samples not kept: ${message}`),
    );
    for (const key of read) this.lastSampleAt.set(key, now);
    this.statusCyclesDone++;
    this.evaluate();
    if (this.storeHealth.error) this.failTier(apis, 'status', tiersBefore);
    const changed = [...new Set(stored.map((e) => `${e.account}/${e.region}`))];
    if (changed.length > 0) this.onTransitions?.(changed);
    return { apis, stored };
  }

  /**
   * The evidence of a published cycle, published with the re-evaluated findings; the stored events
   * get what Alibaba said at the time, so the timeline keeps it after Alibaba forgets.
   */
  private async addEvidence(apis: readonly RegionApi[], stored: VpnEvent[]): Promise<VpnEvent[]> {
    if (!this.current) return stored;
    const evidenceUpdates = await this.captureEvidence(apis, this.current, stored);
    if (evidenceUpdates.length === 0) return stored;
    for (const u of evidenceUpdates) this.apply(u);
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
    await mapLimit(apis, REGION_CONCURRENCY, (api) => {
      const key = regionKey(api);
      const running = this.topologyInFlight.get(key);
      if (running) return running;
      const p = this.timed(api, 'topology', async () => {
        const topology = await collectTopology(api, this.connectionsOf(api));
        this.apply({ account: api.account, region: api.region, topology });
        this.recordTopologyChanges(api);
        return { complete: topology.complete, error: topology.error };
      }).finally(() => this.topologyInFlight.delete(key));
      this.topologyInFlight.set(key, p);
      return p;
    });
    this.evaluate();
  }

  async runTraffic(): Promise<void> {
    await mapLimit(this.deps.apis, REGION_CONCURRENCY, (api) =>
      this.timed(api, 'traffic', async () => {
        const traffic = await collectTraffic(api, this.connectionsOf(api), this.now());
        this.apply({ account: api.account, region: api.region, traffic });
        this.deps.store.recordTraffic(traffic.data);
        return { complete: traffic.complete, error: traffic.error };
      }),
    );
  }

  /** The probe tier: every tunnel's peer address on the configured ports, then re-evaluate. */
  async runProbes(signal?: AbortSignal): Promise<void> {
    if (!this.current) return;
    const settings = this.deps.config.probe;
    const targets = probeTargets(this.current.regions, settings.target);
    const byRegion = await collectProbes(targets, settings, {
      now: this.now,
      ...(this.deps.probe && { probe: this.deps.probe }),
      ...(signal && { signal }),
    });
    for (const [key, probes] of byRegion) {
      const region = this.current?.regions.find((r) => regionKey(r) === key);
      if (region) this.apply({ account: region.account, region: region.region, probes });
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
    for (const r of this.current?.regions ?? []) {
      if (this.deps.backoff?.throttled(r.account, 'vpc')) continue;
      if (hasDownTunnel(r) || !r.connections.complete) keys.add(regionKey(r));
    }
    return keys;
  }

  /** Re-run the rules over the current snapshot and sync the findings' open/resolved lifecycle. */
  evaluate(): Diagnosis {
    if (!this.current) return this.lastDiagnosis;
    const now = this.now();
    const flapWindowMs = DEFAULT_FLAP_WINDOW_MS;
    const diagnosis = diagnose(this.current, {
      rules: this.deps.rules,
      now,
      history: {
        stateChanges: this.deps.store.stateChangesSince(now - flapWindowMs),
        flapWindowSeconds: flapWindowMs / 1000,
        upSpells: this.upSpells(now),
      },
      onRuleError: (rule, subject, message) =>
        this.deps.logger.warn({ rule, subject }, `rule failed to evaluate: ${message}`),
    });
    const withPeers = this.deps.peers ? this.deps.peers.overlay(diagnosis, this.current) : diagnosis;
    this.lastDiagnosis = withRecentChanges(
      keepTopologyFindings(withPeers, this.current, () => this.deps.store.openFindings()),
      this.current,
      {
        changes: this.recentChanges(now),
        downSince: this.outages.downSince,
        now,
        windowMs: this.changeWindowMs,
      },
    );
    const unknownConnections = this.current.regions
      .filter((r) => !r.connections.complete)
      .flatMap((r) => r.connections.data.map((c) => c.id));
    const regions = this.current.regions;
    const { opened, resolved } = this.storeHealth.write(
      regions,
      () => this.deps.store.syncFindings(this.lastDiagnosis.findings, now, { unknownConnections }),
      (message) => this.deps.logger.error(`findings lifecycle not stored: ${message}`),
    ) ?? { opened: [], resolved: [] };
    for (const f of opened) {
      this.deps.logger.info(
        { rule: f.rule, connection: f.connectionId, tunnel: f.tunnelId, severity: f.severity },
        'finding opened',
      );
    }
    for (const f of resolved) {
      this.deps.logger.info(
        { rule: f.rule, connection: f.connectionId, tunnel: f.tunnelId },
        'finding resolved',
      );
    }
    return this.lastDiagnosis;
  }

  /**
   * Up-times before each tunnel's recent failures, from the stored events; read again only after a
   * cycle stored a tunnel transition (evaluate runs several times per cycle).
   */
  private upSpells(now: number): Record<string, number[]> {
    if (!this.upSpellsCache) {
      this.upSpellsCache = upSpellsBeforeFailure(
        this.deps.store.events({
          since: now - UP_SPELL_WINDOW_MS,
          kinds: ['tunnel_up', 'tunnel_down'],
          limit: 10_000,
        }),
      );
    }
    return this.upSpellsCache;
  }

  private get changeWindowMs(): number {
    return this.deps.config.changes.correlationWindowMinutes * 60_000;
  }

  /** Stored configuration changes inside the correlation window (they outlive a restart). */
  private recentChanges(now: number): VpnEvent[] {
    return this.deps.store.events({
      since: now - this.changeWindowMs,
      kinds: ['config_change'],
      limit: 1000,
    });
  }

  /** Topology arrives on its own schedule: its changes are stored when it lands. */
  private recordTopologyChanges(api: RegionApi): void {
    if (!this.current) return;
    const changes = this.changes.observe(this.current, this.now());
    if (changes.length > 0)
      this.storeHealth.write(
        [api],
        () => this.deps.store.appendEvents(changes),
        (message) => this.deps.logger.error(`configuration changes not stored: ${message}`),
      );
  }

  // ── DoctorView ───────────────────────────────────────────────────────────────────────────────

  snapshot(): Snapshot | null {
    return this.current;
  }

  diagnosis(): Diagnosis {
    return this.lastDiagnosis;
  }

  events(q: EventQuery): VpnEvent[] {
    return this.deps.store.events(q);
  }

  counters() {
    return this.deps.store.counters();
  }

  collectStatus(): CollectStatus[] {
    return [...this.tiers.values()];
  }

  apiRequests() {
    return this.counter.snapshot();
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
    return (this.deps.peers?.views(this.current) ?? []).map((v) => ({
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

  trafficHistory(connectionId: string, sinceMs: number): TrafficPoint[] {
    return this.deps.store.trafficHistory(connectionId, sinceMs);
  }

  ready(): boolean {
    return this.statusCyclesDone > 0 && this.storeHealth.error === null;
  }

  notReadyReason(): string | null {
    if (this.statusCyclesDone === 0) return 'waiting for the first status cycle';
    return this.storeHealth.error;
  }

  /** Status runs completed so far (tests count cycles instead of timing them). */
  get statusCycles(): number {
    return this.statusCyclesDone;
  }

  async refreshEvidence(connectionId: string): Promise<void> {
    const region = this.current?.regions.find((r) => r.connections.data.some((c) => c.id === connectionId));
    const api =
      region && this.deps.apis.find((a) => a.account === region.account && a.region === region.region);
    const connection = region?.connections.data.find((c) => c.id === connectionId);
    if (!api || !connection) throw new Error(`connection ${connectionId} is not known`);
    const evidence = await this.collectEvidenceFor(
      api,
      connection.tunnels.map((tunnel) => this.bounded({ connection, tunnel })),
      region.evidence,
    );
    if (evidence) this.apply({ account: api.account, region: api.region, evidence });
    this.evaluate();
  }

  /**
   * Regions whose diagnosis rests on data that could not be read: the connection list (status tier)
   * or the topology that routing and filtering are judged on. Traffic and evidence gaps are not
   * listed here: they show in alivpn_collect_success and in the findings' own evidence.
   */
  errors(): ReportError[] {
    const out: ReportError[] = [];
    for (const r of this.current?.regions ?? []) {
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
    return [...out, ...this.storeHealth.errors()];
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────

  private accountConfig(name: string) {
    return this.deps.config.accounts.find((a) => a.name === name);
  }

  private region(api: Pick<RegionApi, 'account' | 'region'>): RegionSnapshot | undefined {
    return this.current?.regions.find((r) => r.account === api.account && r.region === api.region);
  }

  private connectionsOf(api: Pick<RegionApi, 'account' | 'region'>): Connection[] {
    return this.region(api)?.connections.data ?? [];
  }

  private apply(update: RegionUpdate): void {
    this.current = applyUpdate(this.current, update, this.now());
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

  /** Mark `tier` of these regions failed after the fact (its data was read but could not be stored). */
  private failTier(
    regions: readonly RegionApi[],
    tier: CollectTier,
    before: ReadonlyMap<string, CollectStatus>,
  ): void {
    for (const r of regions) {
      const key = `${r.account}/${r.region}/${tier}`;
      const status = this.tiers.get(key);
      if (status)
        this.tiers.set(key, {
          ...status,
          success: false,
          lastSuccessMs: before.get(key)?.lastSuccessMs ?? null,
        });
    }
  }

  /** Evidence restored at start-up, into the regions that now have a status (once each). */
  private applyRestoredEvidence(): void {
    if (this.restoredEvidence.length === 0 || !this.current) return;
    const waiting: TunnelEvidence[] = [];
    for (const e of this.restoredEvidence) {
      const region = this.current.regions.find((r) =>
        r.connections.data.some((c) => c.id === e.connectionId),
      );
      if (!region) waiting.push(e);
      else if (!region.evidence[e.tunnelId])
        this.apply({ account: region.account, region: region.region, evidence: { [e.tunnelId]: e } });
    }
    this.restoredEvidence = waiting;
  }

  /** An evidence target cut to the tunnel's outage (nothing from before it was last seen up). */
  private bounded(t: EvidenceTarget): EvidenceTarget {
    return { ...t, since: this.outages.of(t.tunnel.id)?.evidenceSince ?? null };
  }

  private async captureEvidence(
    apis: readonly RegionApi[],
    snapshot: Snapshot,
    events: readonly VpnEvent[],
  ): Promise<RegionUpdate[]> {
    const now = this.now();
    const updates: RegionUpdate[] = [];
    await mapLimit(apis, REGION_CONCURRENCY, async (api) => {
      const region = snapshot.regions.find((r) => r.account === api.account && r.region === api.region);
      if (!region) return;
      const wanted = evidenceTargets(
        region,
        events,
        { lastEvidenceAt: this.lastEvidenceAt, downSince: this.outages.downSince },
        {
          now,
          refreshMs: EVIDENCE_REFRESH_MS,
          huntMs: EVIDENCE_HUNT_MS,
          max: this.deps.config.poll.evidence.maxTunnelsPerCycle,
        },
      );
      if (wanted.length === 0) {
        // Every tunnel is back up: an old evidence failure must not keep alivpn_collect_success at 0
        // (and AliVpnCollectorFailing firing) until the next outage.
        if (region.connections.complete && !hasDownTunnel(region))
          this.tiers.delete(`${api.account}/${api.region}/evidence`);
        return;
      }
      // A tunnel whose evidence an earlier cycle is still collecting is left to that cycle.
      const targets = wanted
        .filter((t) => !this.evidenceInFlight.has(t.tunnel.id))
        .map((t) => this.bounded(t));
      if (targets.length === 0) return;
      for (const t of targets) this.evidenceInFlight.add(t.tunnel.id);
      try {
        const evidence = await this.collectEvidenceFor(api, targets, region.evidence);
        if (evidence) updates.push({ account: api.account, region: api.region, evidence });
      } finally {
        for (const t of targets) this.evidenceInFlight.delete(t.tunnel.id);
      }
    });
    return updates;
  }

  /** Evidence for `targets`, a cause captured earlier in the same outage kept; stored as it arrives. */
  private async collectEvidenceFor(
    api: RegionApi,
    targets: EvidenceTarget[],
    known: Record<string, TunnelEvidence>,
  ): Promise<Record<string, TunnelEvidence> | null> {
    let result: Record<string, TunnelEvidence> | null = null;
    await this.timed(api, 'evidence', async () => {
      const now = this.now();
      const collected = await collectEvidence(api, targets, {
        now,
        logWindowMinutes: this.deps.config.poll.evidence.logWindowMinutes,
        maxTunnels: this.deps.config.poll.evidence.maxTunnelsPerCycle,
      });
      const evidence = Object.fromEntries(
        Object.entries(collected).map(([id, e]) => [
          id,
          // Only a tunnel that is still down carries a cause, and only one from this outage.
          this.outages.of(id) ? keepCapturedCause(known[id], e, this.outages.of(id)!.since) : e,
        ]),
      );
      for (const id of Object.keys(evidence)) this.lastEvidenceAt.set(id, now);
      result = evidence; // shown even when the store cannot keep it (that fails the tier below)
      this.deps.store.recordEvidence(evidence);
      // What failed to be read, not the note that an earlier cause was kept (that read succeeded),
      // nor a capability the gateway lacks (pre-2019 gateways have no DiagnoseVpnConnections): that
      // is permanent and said in the findings, and would otherwise keep the collector alert firing.
      const errors = Object.values(collected)
        .flatMap((e) => e.errors)
        .filter((e) => !/OperationUnsupported/.test(e));
      return { complete: errors.length === 0, error: errors[0] };
    });
    return result;
  }

  /** Run one tier for one region and keep its outcome for alivpn_collect_* metrics. */
  private async timed(
    api: Pick<RegionApi, 'account' | 'region'>,
    tier: CollectTier,
    work: () => Promise<{ complete: boolean; error?: string | undefined }>,
  ): Promise<void> {
    const started = this.now();
    const key = `${api.account}/${api.region}/${tier}`;
    const previous = this.tiers.get(key);
    let success = false;
    try {
      const outcome = await work();
      success = outcome.complete;
      if (!success)
        this.deps.logger.warn(
          { account: api.account, region: api.region, tier },
          `collection incomplete: ${outcome.error ?? 'unknown error'}`,
        );
    } catch (err) {
      this.deps.logger.error({ account: api.account, region: api.region, tier, err }, 'collection failed');
    }
    const finished = this.now();
    this.tiers.set(key, {
      account: api.account,
      region: api.region,
      tier,
      success,
      durationSeconds: (finished - started) / 1000,
      lastAttemptMs: finished,
      lastSuccessMs: success ? finished : (previous?.lastSuccessMs ?? null),
    });
  }
}

/** A tunnel that should be up and is not (EffectImmediately off negotiates only on traffic). */
function hasDownTunnel(r: RegionSnapshot): boolean {
  return regionHasDownTunnel(r);
}
