// Which tunnels get evidence calls this cycle: Alibaba keeps error codes only ~3 minutes, so a
// tunnel that just changed state goes first, then down tunnels whose evidence is getting old;
// the per-cycle cap keeps the API cost of a large outage bounded.
import type { EvidenceTarget } from '../collect/evidence.js';
import type { VpnEvent } from '../model/events.js';
import type { RegionSnapshot } from '../model/snapshot.js';

export interface TargetOptions {
  now: number;
  /** A down tunnel's evidence older than this is refreshed. */
  refreshMs: number;
  /** At most this many tunnels per region and cycle. */
  max: number;
}

export function evidenceTargets(
  region: RegionSnapshot,
  events: readonly VpnEvent[],
  lastEvidenceAt: ReadonlyMap<string, number>,
  opts: TargetOptions,
): EvidenceTarget[] {
  const transitioned = new Set(
    events
      .filter((e) => e.account === region.account && e.region === region.region && e.tunnelId)
      .map((e) => e.tunnelId),
  );
  const urgent: EvidenceTarget[] = [];
  const stale: Array<EvidenceTarget & { age: number }> = [];
  for (const connection of region.connections.data) {
    for (const tunnel of connection.tunnels) {
      if (transitioned.has(tunnel.id)) {
        urgent.push({ connection, tunnel });
        continue;
      }
      // A connection that negotiates only on traffic (EffectImmediately off) is expected to be down.
      if (tunnel.ipsecSaUp || !connection.effectImmediately) continue;
      const age = opts.now - (lastEvidenceAt.get(tunnel.id) ?? Number.NEGATIVE_INFINITY);
      if (age >= opts.refreshMs) stale.push({ connection, tunnel, age });
    }
  }
  stale.sort((a, b) => b.age - a.age);
  return [...urgent, ...stale.map(({ connection, tunnel }) => ({ connection, tunnel }))].slice(0, opts.max);
}
