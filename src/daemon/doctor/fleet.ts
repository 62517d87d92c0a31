// The fleet as the daemon last saw it: one merged snapshot that every tier folds its result into
// (collect/merge.ts), shared by the tier runner, the evidence hunter, the evaluator and the read
// model. Only the tiers write it, each through `apply`.
import type { RegionApi } from '../../cloud/index.js';
import { applyUpdate, type RegionUpdate } from '../../collect/merge.js';
import type { Connection, RegionSnapshot, Snapshot } from '../../model/snapshot.js';

export class Fleet {
  /** The last merged snapshot of all regions; null before the first status cycle. */
  current: Snapshot | null = null;

  constructor(private readonly now: () => number) {}

  /** Fold one tier's result for one region into the snapshot. */
  apply(update: RegionUpdate): void {
    this.current = applyUpdate(this.current, update, this.now());
  }

  region(api: Pick<RegionApi, 'account' | 'region'>): RegionSnapshot | undefined {
    return this.current?.regions.find((r) => r.account === api.account && r.region === api.region);
  }

  connectionsOf(api: Pick<RegionApi, 'account' | 'region'>): Connection[] {
    return this.region(api)?.connections.data ?? [];
  }
}
