// The evidence hunter: what Alibaba says about a down tunnel (DiagnoseVpnConnections, the gateway's
// logs), captured while Alibaba still has it. It decides which tunnels need evidence this cycle
// (collect/targets.ts: new failures, the hunt after a failure, the periodic refresh, a cap per
// region), keeps a cause captured earlier in the same outage, never runs two captures of one tunnel
// at once, stores what it got, and brings back the evidence of outages in progress at start-up.
import type { RegionApi } from '../../cloud/index.js';
import { mapLimit } from '../../collect/concurrency.js';
import { collectEvidence, type EvidenceTarget } from '../../collect/evidence.js';
import { keepCapturedCause } from '../../collect/evidence-carry.js';
import type { RegionUpdate } from '../../collect/merge.js';
import { evidenceTargets } from '../../collect/targets.js';
import type { AppConfig } from '../../config/index.js';
import type { VpnEvent } from '../../model/events.js';
import type { Snapshot, TunnelEvidence } from '../../model/snapshot.js';
import { regionHasDownTunnel } from '../../model/tunnel-health.js';
import type { Outages } from '../../state/outages.js';
import type { Store } from '../../state/store.js';
import type { Fleet } from './fleet.js';
import { REGION_CONCURRENCY, type TierRunner } from './tier-runner.js';

/** A down tunnel's evidence is refreshed this often: inside Alibaba's ~3-minute error-code window. */
const EVIDENCE_REFRESH_MS = 120_000;
/** The gateway logs a failure a little after the status changes: look again every cycle this long. */
const EVIDENCE_HUNT_MS = 5 * 60_000;

export interface EvidenceHunterDeps {
  config: AppConfig;
  apis: readonly RegionApi[];
  store: Store;
  fleet: Fleet;
  tiers: TierRunner;
  /** Each down tunnel's outage: evidence from before it (an earlier outage) is not its evidence. */
  outages: Outages;
  now: () => number;
}

export class EvidenceHunter {
  /** When each tunnel's evidence was last captured (the refresh and hunt intervals count from it). */
  private readonly lastEvidenceAt = new Map<string, number>();
  /** Tunnels whose evidence is being collected (a slow capture may outlast the next status cycle). */
  private readonly evidenceInFlight = new Set<string>();

  constructor(
    private readonly deps: EvidenceHunterDeps,
    /** Evidence of outages in progress at start-up, published with the first status of its region. */
    private restoredEvidence: TunnelEvidence[] = [],
  ) {}

  /** Evidence restored at start-up, into the regions that now have a status (once each). */
  applyRestored(): void {
    const current = this.deps.fleet.current;
    if (this.restoredEvidence.length === 0 || !current) return;
    const waiting: TunnelEvidence[] = [];
    for (const e of this.restoredEvidence) {
      const region = current.regions.find((r) => r.connections.data.some((c) => c.id === e.connectionId));
      if (!region) waiting.push(e);
      else if (!region.evidence[e.tunnelId])
        this.deps.fleet.apply({
          account: region.account,
          region: region.region,
          evidence: { [e.tunnelId]: e },
        });
    }
    this.restoredEvidence = waiting;
  }

  /**
   * The evidence a status cycle calls for in `apis`' regions of `snapshot` (`events`: the cycle's
   * stored events), one update per region that got some.
   */
  async capture(
    apis: readonly RegionApi[],
    snapshot: Snapshot,
    events: readonly VpnEvent[],
  ): Promise<RegionUpdate[]> {
    const now = this.deps.now();
    const updates: RegionUpdate[] = [];
    await mapLimit(apis, REGION_CONCURRENCY, async (api) => {
      const region = snapshot.regions.find((r) => r.account === api.account && r.region === api.region);
      if (!region) return;
      const wanted = evidenceTargets(
        region,
        events,
        { lastEvidenceAt: this.lastEvidenceAt, downSince: this.deps.outages.downSince },
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
        if (region.connections.complete && !regionHasDownTunnel(region))
          this.deps.tiers.forget(api, 'evidence');
        return;
      }
      // A tunnel whose evidence an earlier cycle is still collecting is left to that cycle.
      const targets = wanted
        .filter((t) => !this.evidenceInFlight.has(t.tunnel.id))
        .map((t) => this.bounded(t));
      if (targets.length === 0) return;
      for (const t of targets) this.evidenceInFlight.add(t.tunnel.id);
      try {
        const evidence = await this.collectFor(api, targets, region.evidence);
        if (evidence) updates.push({ account: api.account, region: api.region, evidence });
      } finally {
        for (const t of targets) this.evidenceInFlight.delete(t.tunnel.id);
      }
    });
    return updates;
  }

  /** Evidence for every tunnel of one connection now (POST …/diagnose), folded into the fleet. */
  async refresh(connectionId: string): Promise<void> {
    const { fleet, apis } = this.deps;
    const region = fleet.current?.regions.find((r) => r.connections.data.some((c) => c.id === connectionId));
    const api = region && apis.find((a) => a.account === region.account && a.region === region.region);
    const connection = region?.connections.data.find((c) => c.id === connectionId);
    if (!api || !connection) throw new Error(`connection ${connectionId} is not known`);
    const evidence = await this.collectFor(
      api,
      connection.tunnels.map((tunnel) => this.bounded({ connection, tunnel })),
      region.evidence,
    );
    if (evidence) fleet.apply({ account: api.account, region: api.region, evidence });
  }

  /** An evidence target cut to the tunnel's outage (nothing from before it was last seen up). */
  private bounded(t: EvidenceTarget): EvidenceTarget {
    return { ...t, since: this.deps.outages.of(t.tunnel.id)?.evidenceSince ?? null };
  }

  /** Evidence for `targets`, a cause captured earlier in the same outage kept; stored as it arrives. */
  private async collectFor(
    api: RegionApi,
    targets: EvidenceTarget[],
    known: Record<string, TunnelEvidence>,
  ): Promise<Record<string, TunnelEvidence> | null> {
    const { config, outages, store } = this.deps;
    let result: Record<string, TunnelEvidence> | null = null;
    await this.deps.tiers.timed(api, 'evidence', async () => {
      const now = this.deps.now();
      const collected = await collectEvidence(api, targets, {
        now,
        logWindowMinutes: config.poll.evidence.logWindowMinutes,
        maxTunnels: config.poll.evidence.maxTunnelsPerCycle,
      });
      const evidence = Object.fromEntries(
        Object.entries(collected).map(([id, e]) => {
          // Only a tunnel that is still down carries a cause, and only one from this outage.
          const outage = outages.of(id);
          return [id, outage ? keepCapturedCause(known[id], e, outage.since) : e];
        }),
      );
      for (const id of Object.keys(evidence)) this.lastEvidenceAt.set(id, now);
      result = evidence; // shown even when the store cannot keep it (that fails the tier below)
      store.recordEvidence(evidence);
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
}
