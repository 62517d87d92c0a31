// The tier runner: every collection tier that reads Alibaba per account × region (status,
// topology, traffic, evidence) is one `RegionTier` — a function of one region's API that says how
// completely it read — the way blackbox_exporter's probers share one ProbeFn signature. The runner
// owns what is common to them: how many regions run at once, the timing, and the health of each
// tier × region that alivpn_collect_* and the report show (`collectStatus`). The fleet-wide tiers
// (probes, peers) have no per-region health and run through the Doctor directly.
import type { RegionApi } from '../../cloud/index.js';
import { mapLimit } from '../../collect/concurrency.js';
import type { Logger } from '../../log/logger.js';
import type { CollectStatus, CollectTier } from '../../view/doctor-view.js';

/** What one tier run read for one region: complete, or not (with what went wrong). */
export interface TierOutcome {
  complete: boolean;
  error?: string | undefined;
}

/** One tier for one region: read, fold the result into the fleet, say how completely it read. */
export type RegionTier = (api: RegionApi) => Promise<TierOutcome>;

type Where = Pick<RegionApi, 'account' | 'region'>;

/** Regions collected at once: each region's calls are budgeted anyway; this bounds sockets and memory. */
export const REGION_CONCURRENCY = 8;

const keyOf = (where: Where, tier: CollectTier) => `${where.account}/${where.region}/${tier}`;

export class TierRunner {
  /** The outcome of the last run of each tier × region (`account/region/tier`). */
  private readonly tiers = new Map<string, CollectStatus>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Runs of the single-flight tiers in progress, by `account/region/tier`. */
  private readonly inFlight = new Map<string, Promise<void>>();

  /**
   * Run `tier` over `apis`, REGION_CONCURRENCY regions at a time, each timed and its health kept.
   * `singleFlight`: a region whose run of this tier is still in progress joins that run instead of
   * starting another (topology: a transition refresh may meet the scheduled run).
   */
  async run(
    apis: readonly RegionApi[],
    tier: CollectTier,
    fn: RegionTier,
    opts: { singleFlight?: boolean } = {},
  ): Promise<void> {
    await mapLimit(apis, REGION_CONCURRENCY, (api) => {
      if (!opts.singleFlight) return this.timed(api, tier, () => fn(api));
      const key = keyOf(api, tier);
      const running = this.inFlight.get(key);
      if (running) return running;
      const p = this.timed(api, tier, () => fn(api)).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
      return p;
    });
  }

  /** Run one tier for one region and keep its outcome for alivpn_collect_* metrics. */
  async timed(where: Where, tier: CollectTier, work: () => Promise<TierOutcome>): Promise<void> {
    const started = this.now();
    const key = keyOf(where, tier);
    const previous = this.tiers.get(key);
    let success = false;
    try {
      const outcome = await work();
      success = outcome.complete;
      if (!success)
        this.logger.warn(
          { account: where.account, region: where.region, tier },
          `collection incomplete: ${outcome.error ?? 'unknown error'}`,
        );
    } catch (err) {
      this.logger.error({ account: where.account, region: where.region, tier, err }, 'collection failed');
    }
    const finished = this.now();
    this.tiers.set(key, {
      account: where.account,
      region: where.region,
      tier,
      success,
      durationSeconds: (finished - started) / 1000,
      lastAttemptMs: finished,
      lastSuccessMs: success ? finished : (previous?.lastSuccessMs ?? null),
    });
  }

  /** The health of every tier × region as it is now (to fail a tier later against). */
  health(): ReadonlyMap<string, CollectStatus> {
    return new Map(this.tiers);
  }

  /** Mark `tier` of these regions failed after the fact (its data was read but could not be stored). */
  failTier(regions: readonly Where[], tier: CollectTier, before: ReadonlyMap<string, CollectStatus>): void {
    for (const r of regions) {
      const key = keyOf(r, tier);
      const status = this.tiers.get(key);
      if (status)
        this.tiers.set(key, {
          ...status,
          success: false,
          lastSuccessMs: before.get(key)?.lastSuccessMs ?? null,
        });
    }
  }

  /** Forget `tier` of a region (an old failure must not outlive what it was about). */
  forget(where: Where, tier: CollectTier): void {
    this.tiers.delete(keyOf(where, tier));
  }

  /** Every tier × region's last outcome (the view's collectStatus). */
  statuses(): CollectStatus[] {
    return [...this.tiers.values()];
  }
}
