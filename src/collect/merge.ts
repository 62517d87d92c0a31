// Tiers run on different schedules; these helpers fold each tier's result into one RegionSnapshot
// per account × region without ever letting a failed read pass for fresh data.

import { deepFreeze } from '../model/deep-freeze.js';
import { regionKey } from '../model/derive.js';
import { sameData, sameElements } from '../model/same-data.js';
import type {
  Collected,
  Connection,
  ConnectionTraffic,
  RegionSnapshot,
  Snapshot,
  Topology,
  Tunnel,
  TunnelEvidence,
  TunnelProbes,
} from '../model/snapshot.js';

/** What one tier run produced for a region; absent parts are left as they were. */
export interface RegionUpdate {
  account: string;
  region: string;
  connections?: Collected<Connection[]>;
  topology?: Collected<Topology>;
  evidence?: Record<string, TunnelEvidence>;
  traffic?: Collected<Record<string, ConnectionTraffic>>;
  /** IKE probe results by tunnel id; they replace the earlier results of those tunnels. */
  probes?: Record<string, TunnelProbes>;
}

export { regionKey };

export function emptyRegion(account: string, region: string): RegionSnapshot {
  return {
    account,
    region,
    // Nothing read yet: unknown, not an empty healthy fleet.
    connections: { collectedAt: 0, complete: false, error: 'not collected yet', data: [] },
    topology: null,
    evidence: {},
    traffic: null,
  };
}

/**
 * A failed status read keeps the last good connections, marked incomplete with the new error and
 * the time of that last good read (the DoctorView contract); readers show them as unknown.
 */
function mergeConnections(
  prev: Collected<Connection[]> | undefined,
  next: Collected<Connection[]>,
): Collected<Connection[]> {
  if (next.complete || !prev || prev.data.length === 0) return next;
  return { ...prev, complete: false, error: next.error ?? 'status collection failed' };
}

/** A partial topology keeps the previous value of each part it could not read (an empty list). */
function mergeTopology(prev: Collected<Topology> | null, next: Collected<Topology>): Collected<Topology> {
  if (next.complete || !prev) return next;
  const data = { ...next.data };
  for (const key of Object.keys(data) as Array<keyof Topology>) {
    if (data[key].length === 0 && prev.data[key].length > 0)
      (data as Record<string, unknown>)[key] = prev.data[key];
  }
  return { ...next, data };
}

/** A rate older than this is no longer shown: a dashboard must not draw yesterday's traffic as today's. */
export const TRAFFIC_MAX_AGE_MS = 5 * 60_000;

/** A partial traffic read overlays what it got on what was known, while that is recent. */
function mergeTraffic(
  prev: Collected<Record<string, ConnectionTraffic>> | null,
  next: Collected<Record<string, ConnectionTraffic>>,
): Collected<Record<string, ConnectionTraffic>> {
  if (next.complete || !prev) return next;
  const recent = Object.entries(prev.data).filter(
    ([, t]) => next.collectedAt - (t.at ?? prev.collectedAt) <= TRAFFIC_MAX_AGE_MS,
  );
  return { ...next, data: { ...Object.fromEntries(recent), ...next.data } };
}

/** Tunnels learn their customer gateway's IP from the topology. */
function withCustomerGatewayIps(
  connections: Collected<Connection[]>,
  topology: Collected<Topology> | null,
): Collected<Connection[]> {
  if (!topology) return connections;
  const ipOf = new Map(topology.data.customerGateways.map((g) => [g.id, g.ip]));
  const ipFor = (t: Tunnel) => ipOf.get(t.customerGatewayId) ?? t.customerGatewayIp;
  let changed = false;
  const data = connections.data.map((c) => {
    // A connection whose IPs are already right keeps its object (see keepUnchanged).
    if (c.tunnels.every((t) => t.customerGatewayIp === ipFor(t))) return c;
    changed = true;
    return { ...c, tunnels: c.tunnels.map((t) => ({ ...t, customerGatewayIp: ipFor(t) })) };
  });
  return changed ? { ...connections, data } : connections;
}

/**
 * A connection read again with the same data keeps the object it had: what compares successive
 * snapshots (the incremental evaluation, the configuration-change watcher) then sees an unchanged
 * connection at a glance instead of comparing 4,000 tunnels field by field twice every cycle.
 */
function keepUnchanged(
  prev: Collected<Connection[]>,
  next: Collected<Connection[]>,
): Collected<Connection[]> {
  if (next === prev || prev.data.length === 0) return next;
  // Settled already (see mergedConnections): the same objects in the same order.
  if (sameElements(next.data, prev.data)) return next;
  const before = new Map(prev.data.map((c) => [c.id, c]));
  let reused = 0;
  const data = next.data.map((c) => {
    const p = before.get(c.id);
    if (p === undefined || !sameData(p, c)) return c;
    reused++;
    return p;
  });
  return reused === 0 ? next : { ...next, data };
}

function isEmpty(record: Record<string, unknown>): boolean {
  for (const _ in record) return false;
  return true;
}

/** Evidence (and probes) of tunnels that no longer exist is dropped once the connection list is known. */
function liveEvidence<T>(
  evidence: Record<string, T>,
  connections: Collected<Connection[]>,
): Record<string, T> {
  if (!connections.complete || isEmpty(evidence)) return evidence;
  const live = new Set(connections.data.flatMap((c) => c.tunnels.map((t) => t.id)));
  return Object.fromEntries(Object.entries(evidence).filter(([id]) => live.has(id)));
}

/**
 * A region's connections after a status read: the last good ones if the read failed, customer
 * gateway IPs from the topology, and an unchanged connection's previous object. Folding the result
 * in again gives the same (with whatever another tier changed meanwhile, such as a customer gateway's
 * IP), so the daemon runs this as each region's read arrives, while other regions' answers are still
 * on the way, and the fold at the end of the cycle finds little left but identity checks.
 */
export function mergedConnections(
  previous: RegionSnapshot | undefined,
  read: Collected<Connection[]>,
  topology: Collected<Topology> | null = previous?.topology ?? null,
): Collected<Connection[]> {
  if (!previous) return frozenInTests(withCustomerGatewayIps(read, topology));
  const kept = read === previous.connections ? read : mergeConnections(previous.connections, read);
  return frozenInTests(keepUnchanged(previous.connections, withCustomerGatewayIps(kept, topology)));
}

/**
 * The test suite (vitest.config.ts) sets ALIVPN_FREEZE_SNAPSHOTS: every connection the merge keeps is
 * frozen there, so code that changes one in place fails its tests (model/deep-freeze.ts says why).
 */
const FREEZE = process.env.ALIVPN_FREEZE_SNAPSHOTS === '1';

function frozenInTests(connections: Collected<Connection[]>): Collected<Connection[]> {
  if (FREEZE) for (const c of connections.data) deepFreeze(c);
  return connections;
}

/** Fold one tier's result into the region's previous snapshot (or a fresh, unknown one). */
export function mergeRegionSnapshot(
  previous: RegionSnapshot | null | undefined,
  update: RegionUpdate,
): RegionSnapshot {
  const prev = previous ?? emptyRegion(update.account, update.region);
  const topology = update.topology ? mergeTopology(prev.topology, update.topology) : prev.topology;
  const connections = mergedConnections(prev, update.connections ?? prev.connections, topology);
  const probes =
    update.probes || prev.probes
      ? liveEvidence({ ...prev.probes, ...update.probes }, connections)
      : undefined;
  return {
    account: update.account,
    region: update.region,
    connections,
    topology,
    evidence: liveEvidence({ ...prev.evidence, ...(update.evidence ?? {}) }, connections),
    traffic: update.traffic ? mergeTraffic(prev.traffic, update.traffic) : prev.traffic,
    ...(probes && { probes }),
  };
}

/** Replace (or add) one region in a snapshot; regions stay in account/region order. */
export function withRegion(snapshot: Snapshot | null, region: RegionSnapshot, takenAt: number): Snapshot {
  const others = (snapshot?.regions ?? []).filter((r) => regionKey(r) !== regionKey(region));
  const regions = [...others, region].sort((a, b) => regionKey(a).localeCompare(regionKey(b)));
  return { takenAt, regions };
}

/** Apply one update to a whole snapshot. */
export function applyUpdate(snapshot: Snapshot | null, update: RegionUpdate, takenAt: number): Snapshot {
  const prev = snapshot?.regions.find((r) => regionKey(r) === regionKey(update));
  return withRegion(snapshot, mergeRegionSnapshot(prev, update), takenAt);
}
