// Turns two successive snapshots into events. Pure: the store supplies history (recent state-change
// counts) for flapping, the caller persists the result.
import { activeTunnel, regionKey } from '../model/derive.js';
import type { EventKind, VpnEvent } from '../model/events.js';
import { FLAP_MIN_CHANGES, FLAP_WINDOW_MS } from '../model/flapping.js';
import type { Connection, RegionSnapshot, Snapshot, Tunnel } from '../model/snapshot.js';

/** Event kinds that count as a tunnel state change (counters, flapping). */
export const STATE_CHANGE_KINDS: readonly EventKind[] = ['tunnel_down', 'tunnel_up', 'tunnel_status_changed'];

export interface TrackHistory {
  /** State changes per tunnel already stored within the flapping window (from `store.stateChangesSince`). */
  recentStateChanges?: Record<string, number>;
  /**
   * More than this many state changes within the window is flapping. Default: one less than the
   * definition's FLAP_MIN_CHANGES (src/model/flapping.ts), so the event and the finding agree.
   */
  flapThreshold?: number;
  /** Window the counts cover, for the event detail. Default FLAP_WINDOW_MS (src/model/flapping.ts). */
  flapWindowMs?: number;
}

/** `flapThreshold` by default: flapping is FLAP_MIN_CHANGES or more, i.e. more than this. */
export const DEFAULT_FLAP_THRESHOLD = FLAP_MIN_CHANGES - 1;
/** The flapping window (src/model/flapping.ts), under the name the daemon reads. */
export const DEFAULT_FLAP_WINDOW_MS = FLAP_WINDOW_MS;

/** How far a down tunnel still gets: 'phase1' = IKE SA up but no IPsec SA; 'none' = not even phase 1. */
export function phaseReached(status: string): 'none' | 'phase1' | 'unknown' {
  if (status === 'ike_sa_not_established') return 'none';
  if (status === 'ike_sa_established' || status === 'ipsec_sa_not_established') return 'phase1';
  return 'unknown';
}

function event(
  at: number,
  kind: EventKind,
  c: Connection,
  tunnelId: string | null,
  detail: Record<string, unknown>,
): VpnEvent {
  return {
    at,
    kind,
    account: c.account,
    region: c.region,
    vpnGatewayId: c.vpnGatewayId,
    connectionId: c.id,
    tunnelId,
    detail,
  };
}

/**
 * `seenAt`: when the earlier snapshot was read. A tunnel that goes down was last seen up then: its
 * outage's evidence starts there, also for a daemon restarted since (src/state/restore.ts).
 */
function tunnelEvents(at: number, c: Connection, before: Tunnel, after: Tunnel, seenAt: number): VpnEvent[] {
  if (before.status === after.status) return [];
  const detail = { from: before.status, to: after.status, role: after.role };
  if (before.ipsecSaUp && !after.ipsecSaUp)
    return [
      event(at, 'tunnel_down', c, after.id, {
        ...detail,
        phase: phaseReached(after.status),
        lastSeenUpAt: seenAt,
      }),
    ];
  if (!before.ipsecSaUp && after.ipsecSaUp) return [event(at, 'tunnel_up', c, after.id, detail)];
  return [event(at, 'tunnel_status_changed', c, after.id, { ...detail, phase: phaseReached(after.status) })];
}

function connectionEvents(at: number, before: Connection, after: Connection, seenAt: number): VpnEvent[] {
  const out: VpnEvent[] = [];
  const prevTunnels = new Map(before.tunnels.map((t) => [t.id, t]));
  for (const t of after.tunnels) {
    const p = prevTunnels.get(t.id);
    if (p) out.push(...tunnelEvents(at, after, p, t, seenAt));
  }
  const was = activeTunnel(before);
  const now = activeTunnel(after);
  const move = { fromTunnelId: was?.id ?? null, toTunnelId: now?.id ?? null };
  if (was?.role === 'master' && now?.role === 'slave') out.push(event(at, 'failover', after, now.id, move));
  if (was?.role === 'slave' && now?.role === 'master') out.push(event(at, 'failback', after, now.id, move));
  if (was && !now) out.push(event(at, 'connection_down', after, null, move));
  if (!was && now) out.push(event(at, 'connection_up', after, now.id, move));
  return out;
}

/** Regions whose connection list is complete in both snapshots: the only ones we may compare. */
function comparableRegions(prev: Snapshot, next: Snapshot): Array<[RegionSnapshot, RegionSnapshot]> {
  const before = new Map(prev.regions.map((r) => [regionKey(r), r]));
  const pairs: Array<[RegionSnapshot, RegionSnapshot]> = [];
  for (const r of next.regions) {
    const p = before.get(regionKey(r));
    if (p?.connections.complete && r.connections.complete) pairs.push([p, r]);
  }
  return pairs;
}

function flappingEvents(at: number, changes: VpnEvent[], next: Snapshot, history: TrackHistory): VpnEvent[] {
  const threshold = history.flapThreshold ?? DEFAULT_FLAP_THRESHOLD;
  const windowMs = history.flapWindowMs ?? DEFAULT_FLAP_WINDOW_MS;
  const fresh = new Map<string, number>();
  for (const e of changes)
    if (e.tunnelId && STATE_CHANGE_KINDS.includes(e.kind))
      fresh.set(e.tunnelId, (fresh.get(e.tunnelId) ?? 0) + 1);
  const connectionOf = new Map(changes.map((e) => [e.tunnelId, e.connectionId]));
  const connections = new Map(next.regions.flatMap((r) => r.connections.data.map((c) => [c.id, c] as const)));
  const out: VpnEvent[] = [];
  for (const [tunnelId, n] of fresh) {
    const before = history.recentStateChanges?.[tunnelId] ?? 0;
    // Announce once, when the count crosses the threshold.
    const c = connections.get(connectionOf.get(tunnelId) ?? '');
    if (c && before <= threshold && before + n > threshold)
      out.push(event(at, 'flapping', c, tunnelId, { stateChanges: before + n, windowMs, threshold }));
  }
  return out;
}

/**
 * Events between two snapshots. Only regions complete in both are compared (unknown is not down);
 * connections or tunnels that appeared or disappeared produce no down/up events; a connection in the
 * earlier listing and not in the later one is `connection_removed`.
 */
export function track(
  prev: Snapshot | null,
  next: Snapshot,
  now: number,
  history: TrackHistory = {},
): VpnEvent[] {
  if (!prev) return [];
  const events: VpnEvent[] = [];
  for (const [before, after] of comparableRegions(prev, next)) {
    const prevConnections = new Map(before.connections.data.map((c) => [c.id, c]));
    for (const c of after.connections.data) {
      const p = prevConnections.get(c.id);
      // The merge keeps an unchanged connection's object (collect/merge.ts): nothing to compare.
      if (p && p !== c) events.push(...connectionEvents(now, p, c, before.connections.collectedAt));
      prevConnections.delete(c.id);
    }
    // Both listings were complete, so what is left really went away: say so, rather than letting
    // its findings resolve and its series vanish without a word.
    for (const gone of prevConnections.values())
      events.push(event(now, 'connection_removed', gone, null, { name: gone.name }));
  }
  return [...events, ...flappingEvents(now, events, next, history)];
}

/**
 * The snapshot to compare the next one against: each region as it was last seen complete. Feed
 * `track(baseline, next)` and keep `advanceBaseline(baseline, next)` (persist it with
 * `store.saveSnapshot`), so a change that happened while a region was unreadable is still reported
 * once the region reads again, and a restart does not re-announce every tunnel.
 */
export function advanceBaseline(baseline: Snapshot | null, next: Snapshot): Snapshot {
  const kept = new Map((baseline?.regions ?? []).map((r) => [regionKey(r), r]));
  for (const r of next.regions) if (r.connections.complete) kept.set(regionKey(r), r);
  return { takenAt: next.takenAt, regions: [...kept.values()] };
}
