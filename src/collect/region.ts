// One full collection of a region (every tier once), for one-shot commands such as `diagnose`.
import type { RegionApi } from '../cloud/types.js';
import type { RegionSnapshot } from '../model/snapshot.js';
import { collectEvidence } from './evidence.js';
import { mergeRegionSnapshot } from './merge.js';
import { collectStatus, type StatusFilter } from './status.js';
import { evidenceTargets } from './targets.js';
import { collectTopology } from './topology.js';
import { collectTraffic } from './traffic.js';

export interface FullCollectOptions {
  now?: () => number;
  logWindowMinutes?: number;
  /** Evidence bound for this region; default 50 tunnels. */
  maxEvidenceTunnels?: number;
}

/**
 * Status first (it names the connections), then topology, traffic and evidence for the tunnels
 * that are down, in parallel. If the status read fails the region is returned unknown and nothing
 * else is called.
 */
export async function collectRegionOnce(
  api: RegionApi,
  filter: StatusFilter,
  opts: FullCollectOptions = {},
): Promise<RegionSnapshot> {
  const now = opts.now ?? Date.now;
  const base = { account: api.account, region: api.region };
  const connections = await collectStatus(api, filter);
  let region = mergeRegionSnapshot(null, { ...base, connections });
  if (!connections.complete) return region;
  const [topology, traffic, evidence] = await Promise.all([
    collectTopology(api, connections.data),
    collectTraffic(api, connections.data, now()),
    collectEvidence(api, evidenceTargets(region), {
      now: now(),
      ...(opts.logWindowMinutes !== undefined ? { logWindowMinutes: opts.logWindowMinutes } : {}),
      maxTunnels: opts.maxEvidenceTunnels ?? 50,
    }),
  ]);
  region = mergeRegionSnapshot(region, { ...base, topology, traffic, evidence });
  return region;
}
