// Which tunnels the evidence tier looks at this cycle. Alibaba keeps error codes only ~3 minutes
// and the gateway logs a failure a little after the status changes, so: tunnels that just changed
// state go first, then tunnels that went down recently and whose cause is not named yet (every
// cycle, for a few minutes), then down tunnels whose evidence is getting old. The per-cycle cap
// keeps the API cost of a large outage bounded.
import type { VpnEvent } from '../model/events.js';
import type { RegionSnapshot } from '../model/snapshot.js';
import { isTunnelDown } from '../model/tunnel-health.js';
import type { EvidenceTarget } from './evidence.js';
import { namesCause } from './evidence-carry.js';

export interface TargetOptions {
  /** Unix ms. */
  now: number;
  /** A down tunnel's evidence older than this is refreshed. */
  refreshMs: number;
  /** For this long after a tunnel went down, evidence that names no cause is retried every cycle. */
  huntMs: number;
  /** At most this many tunnels per region and cycle. */
  max: number;
}

/** What the caller remembers between cycles; empty for a one-shot collection. */
export interface TunnelMemory {
  /** When evidence was last collected, per tunnel. */
  lastEvidenceAt: ReadonlyMap<string, number>;
  /** Since when each down tunnel has been seen down. */
  downSince: ReadonlyMap<string, number>;
}

/** A tunnel's own transitions (docs/architecture.md: evidence at each transition). A failover event names the
 * standby tunnel that now carries traffic, which is up: it needs no evidence of its own. */
const TUNNEL_TRANSITIONS: ReadonlySet<VpnEvent['kind']> = new Set([
  'tunnel_down',
  'tunnel_up',
  'tunnel_status_changed',
]);

const NO_MEMORY: TunnelMemory = { lastEvidenceAt: new Map(), downSince: new Map() };
const ONE_SHOT: TargetOptions = { now: 0, refreshMs: 0, huntMs: 5 * 60_000, max: Number.POSITIVE_INFINITY };

/**
 * Evidence targets of one region, most urgent first. With no memory (a one-shot collection) that is
 * every tunnel that just changed or is not established. Regions whose status is unknown yield none.
 */
export function evidenceTargets(
  region: RegionSnapshot,
  events: readonly VpnEvent[] = [],
  memory: TunnelMemory = NO_MEMORY,
  options: Partial<TargetOptions> = {},
): EvidenceTarget[] {
  if (!region.connections.complete) return [];
  const opts = { ...ONE_SHOT, ...options };
  const transitioned = new Set(
    events
      .filter(
        (e) =>
          TUNNEL_TRANSITIONS.has(e.kind) &&
          e.account === region.account &&
          e.region === region.region &&
          e.tunnelId,
      )
      .map((e) => e.tunnelId),
  );
  const urgent: EvidenceTarget[] = [];
  const hunting: EvidenceTarget[] = [];
  const stale: Array<EvidenceTarget & { age: number }> = [];
  for (const connection of region.connections.data) {
    for (const tunnel of connection.tunnels) {
      if (transitioned.size > 0 && transitioned.has(tunnel.id)) {
        urgent.push({ connection, tunnel });
        continue;
      }
      // (a tunnel that negotiates only on traffic, EffectImmediately off, is not down)
      if (!isTunnelDown(connection, tunnel)) continue;
      const age = opts.now - (memory.lastEvidenceAt.get(tunnel.id) ?? Number.NEGATIVE_INFINITY);
      const downFor = opts.now - (memory.downSince.get(tunnel.id) ?? opts.now);
      if (downFor < opts.huntMs && !namesCause(region.evidence[tunnel.id]))
        hunting.push({ connection, tunnel });
      else if (age >= opts.refreshMs) stale.push({ connection, tunnel, age });
    }
  }
  stale.sort((a, b) => b.age - a.age);
  return [...urgent, ...hunting, ...stale.map(({ connection, tunnel }) => ({ connection, tunnel }))].slice(
    0,
    opts.max,
  );
}
