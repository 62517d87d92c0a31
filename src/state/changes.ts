// Configuration changes between two snapshots: what the daemon can see change without any new
// permission (tunnel IKE/IPsec/BGP settings, the PSK's fingerprint, the customer gateway, the
// connection's subnets, VPN routes, route tables, security groups, network ACLs, gateways).
// Pure: the caller keeps the previous snapshot in memory only, so a restart never invents a change
// from the stored baseline, and the first sight of a resource is not a change.
import { regionKey } from '../model/derive.js';
import type { ChangeKind, ConfigChangeDetail, FieldChange, VpnEvent } from '../model/events.js';
import type {
  AclEntry,
  Connection,
  RegionSnapshot,
  SecurityGroupRule,
  Snapshot,
  Topology,
  Tunnel,
  VpcRouteEntry,
  VpnRoute,
} from '../model/snapshot.js';

type Fields = Record<string, unknown>;

/** Field-by-field differences of two flat records (arrays compared as sorted lists). */
function diffFields(before: Fields, after: Fields): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of Object.keys(after)) {
    // Most fields are unchanged primitives: compared without serialising (this runs for every
    // tunnel of the fleet on every status cycle and every topology read).
    if (before[field] === after[field] && !Array.isArray(after[field])) continue;
    const a = normalise(before[field]);
    const b = normalise(after[field]);
    if (!sameStrings(a, b) && JSON.stringify(a) !== JSON.stringify(b))
      out.push({ field, before: a, after: b });
  }
  return out;
}

/** Two normalised lists with the same strings in the same order. */
function sameStrings(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function normalise(v: unknown): unknown {
  return Array.isArray(v) ? [...v].map(String).sort() : (v ?? null);
}

/** Items added to or removed from a keyed list (rules, entries, routes): one change per item. */
function diffList<T>(field: string, before: readonly T[], after: readonly T[], key: (t: T) => string) {
  const was = new Set(before.map(key));
  const now = new Set(after.map(key));
  const out: FieldChange[] = [];
  for (const k of now) if (!was.has(k)) out.push({ field, before: null, after: k });
  for (const k of was) if (!now.has(k)) out.push({ field, before: k, after: null });
  return out;
}

const tunnelIke = (t: Tunnel): Fields => ({
  version: t.ike.version,
  mode: t.ike.mode,
  encAlg: t.ike.encAlg,
  authAlg: t.ike.authAlg,
  dhGroup: t.ike.dhGroup,
  lifetimeSeconds: t.ike.lifetimeSeconds,
  localId: t.ike.localId,
  remoteId: t.ike.remoteId,
  enableDpd: t.enableDpd,
  enableNatTraversal: t.enableNatTraversal,
});
const tunnelIpsec = (t: Tunnel): Fields => ({
  encAlg: t.ipsec.encAlg,
  authAlg: t.ipsec.authAlg,
  pfs: t.ipsec.pfs,
  lifetimeSeconds: t.ipsec.lifetimeSeconds,
});
const tunnelBgp = (t: Tunnel): Fields =>
  t.bgp
    ? {
        enabled: true,
        localAsn: t.bgp.localAsn,
        peerAsn: t.bgp.peerAsn,
        localBgpIp: t.bgp.localBgpIp,
        peerBgpIp: t.bgp.peerBgpIp,
        tunnelCidr: t.bgp.tunnelCidr,
      }
    : { enabled: false };
/** The PSK is compared by its fingerprint only: the secret never reaches the snapshot. */
const tunnelPsk = (t: Tunnel): Fields => ({ pskFingerprint: t.ike.pskFingerprint });
const tunnelPeer = (t: Tunnel): Fields => ({ customerGatewayId: t.customerGatewayId });

const connectionFields = (c: Connection): Fields => ({
  effectImmediately: c.effectImmediately,
  routingMode: routingMode(c),
  localSubnets: c.localSubnets,
  remoteSubnets: c.remoteSubnets,
  enableTunnelsBgp: c.enableTunnelsBgp,
});

/** `0.0.0.0/0` on both sides is destination-based routing; anything else protects data flows. */
function routingMode(c: Connection): string {
  const any = (l: string[]) => l.length === 1 && l[0] === '0.0.0.0/0';
  return any(c.localSubnets) && any(c.remoteSubnets) ? 'destination-routing' : 'protected-data-flows';
}

function event(
  at: number,
  c: Connection,
  tunnelId: string | null,
  kind: ChangeKind,
  subject: string,
  changes: FieldChange[],
): VpnEvent {
  const detail: ConfigChangeDetail = { kind, subject, changes };
  return {
    at,
    kind: 'config_change',
    account: c.account,
    region: c.region,
    vpnGatewayId: c.vpnGatewayId,
    connectionId: c.id,
    tunnelId,
    detail: detail as unknown as Record<string, unknown>,
  };
}

function connectionChanges(at: number, before: Connection, after: Connection): VpnEvent[] {
  const out: VpnEvent[] = [];
  const conn = diffFields(connectionFields(before), connectionFields(after));
  if (conn.length > 0) out.push(event(at, after, null, 'connection', after.id, conn));
  const prev = new Map(before.tunnels.map((t) => [t.id, t]));
  for (const t of after.tunnels) {
    const p = prev.get(t.id);
    if (!p) continue;
    const parts: Array<[ChangeKind, (t: Tunnel) => Fields]> = [
      ['tunnel-ike', tunnelIke],
      ['tunnel-ipsec', tunnelIpsec],
      ['tunnel-bgp', tunnelBgp],
      ['psk', tunnelPsk],
      ['customer-gateway', tunnelPeer],
    ];
    for (const [kind, fields] of parts) {
      const changes = diffFields(fields(p), fields(t));
      if (changes.length > 0) out.push(event(at, after, t.id, kind, t.id, changes));
    }
  }
  return out;
}

const routeKey = (r: VpnRoute) => `${r.kind} ${r.source ? `${r.source} -> ` : ''}${r.dest} via ${r.nextHop}`;
const tableEntryKey = (e: VpcRouteEntry) => `${e.dest} -> ${e.nextHopType}:${e.nextHopId} (${e.type})`;
const sgRuleKey = (r: SecurityGroupRule) =>
  `${r.direction} ${r.policy} ${r.protocol} ${r.portRange} ${r.cidr || '(group)'} priority ${r.priority}`;
const aclKey = (dir: string) => (e: AclEntry) => `${dir} ${e.policy} ${e.protocol} ${e.port} ${e.cidr}`;

/**
 * Topology changes, each attached to the connections it can affect: VPN routes to the connection
 * they point at; gateway status and specification, route tables, ACLs and security groups of the
 * gateway's VPC to every connection on that gateway.
 */
function topologyChanges(
  at: number,
  before: Topology,
  after: Topology,
  connections: Connection[],
): VpnEvent[] {
  const out: VpnEvent[] = [];
  const byGateway = new Map<string, Connection[]>();
  for (const c of connections) byGateway.set(c.vpnGatewayId, [...(byGateway.get(c.vpnGatewayId) ?? []), c]);
  const vpcOfGateway = new Map(after.gateways.map((g) => [g.id, g.vpcId]));
  const onVpc = (vpcId: string) => connections.filter((c) => vpcOfGateway.get(c.vpnGatewayId) === vpcId);
  const emit = (targets: Connection[], kind: ChangeKind, subject: string, changes: FieldChange[]) => {
    if (changes.length > 0) for (const c of targets) out.push(event(at, c, null, kind, subject, changes));
  };

  const prevGateways = new Map(before.gateways.map((g) => [g.id, g]));
  for (const g of after.gateways) {
    const p = prevGateways.get(g.id);
    if (p)
      emit(
        byGateway.get(g.id) ?? [],
        'vpn-gateway',
        g.id,
        diffFields(
          { status: p.status, businessStatus: p.businessStatus, spec: p.spec, enableBgp: p.enableBgp },
          { status: g.status, businessStatus: g.businessStatus, spec: g.spec, enableBgp: g.enableBgp },
        ),
      );
  }
  const prevCgws = new Map(before.customerGateways.map((g) => [g.id, g]));
  for (const g of after.customerGateways) {
    const p = prevCgws.get(g.id);
    if (!p) continue;
    const users = connections.filter((c) => c.tunnels.some((t) => t.customerGatewayId === g.id));
    emit(users, 'customer-gateway', g.id, diffFields({ ip: p.ip, asn: p.asn }, { ip: g.ip, asn: g.asn }));
  }
  // VPN routes: added, removed, or published/withdrawn (state normal <-> published).
  for (const c of connections) {
    const mine = (l: VpnRoute[]) => l.filter((r) => r.nextHop === c.id);
    const was = new Map(mine(before.vpnRoutes).map((r) => [routeKey(r), r]));
    const changes = diffList('route', mine(before.vpnRoutes), mine(after.vpnRoutes), routeKey);
    for (const r of mine(after.vpnRoutes)) {
      const p = was.get(routeKey(r));
      if (p && p.state !== r.state)
        changes.push({ field: `route ${routeKey(r)} state`, before: p.state, after: r.state });
    }
    emit([c], 'vpn-route', c.vpnGatewayId, changes);
  }
  const prevTables = new Map(before.routeTables.map((t) => [t.id, t]));
  for (const t of after.routeTables) {
    const p = prevTables.get(t.id);
    if (p) emit(onVpc(t.vpcId), 'route-table', t.id, diffList('entry', p.entries, t.entries, tableEntryKey));
  }
  const prevAcls = new Map(before.networkAcls.map((a) => [a.id, a]));
  for (const a of after.networkAcls) {
    const p = prevAcls.get(a.id);
    if (!p) continue;
    // ACL entries are evaluated in order: a moved entry is a change, so the key carries the position.
    const ordered = (dir: string, l: AclEntry[]) => l.map((e, i) => `#${i + 1} ${aclKey(dir)(e)}`);
    emit(onVpc(a.vpcId), 'network-acl', a.id, [
      ...diffList('entry', ordered('ingress', p.ingress), ordered('ingress', a.ingress), String),
      ...diffList('entry', ordered('egress', p.egress), ordered('egress', a.egress), String),
    ]);
  }
  const prevGroups = new Map(before.securityGroups.map((g) => [g.id, g]));
  for (const g of after.securityGroups) {
    const p = prevGroups.get(g.id);
    if (p) emit(onVpc(g.vpcId), 'security-group', g.id, diffList('rule', p.rules, g.rules, sgRuleKey));
  }
  return out;
}

/** Changes between two region snapshots, comparing only what is complete in both. */
function regionChanges(at: number, before: RegionSnapshot, after: RegionSnapshot): VpnEvent[] {
  const out: VpnEvent[] = [];
  // The same list object (a topology read leaves the other regions' status as it was) has no changes.
  if (before.connections.complete && after.connections.complete && before.connections !== after.connections) {
    const prev = new Map(before.connections.data.map((c) => [c.id, c]));
    for (const c of after.connections.data) {
      const p = prev.get(c.id);
      // The merge keeps an unchanged connection's object (collect/merge.ts): nothing to diff.
      if (p && p !== c) out.push(...connectionChanges(at, p, c));
    }
  }
  const bt = before.topology;
  const at2 = after.topology;
  if (bt?.complete && at2?.complete && bt.collectedAt !== at2.collectedAt)
    out.push(...topologyChanges(at, bt.data, at2.data, after.connections.data));
  return out;
}

/**
 * Watches successive snapshots for configuration changes. Holds the last snapshot it saw in memory
 * only: after a restart the first snapshot is the new reference, so nothing is invented from what
 * was stored before the restart.
 */
export class ChangeWatcher {
  private last = new Map<string, RegionSnapshot>();

  observe(next: Snapshot, at: number): VpnEvent[] {
    const out: VpnEvent[] = [];
    for (const r of next.regions) {
      const key = regionKey(r);
      const prev = this.last.get(key);
      if (prev) out.push(...regionChanges(at, prev, r));
      this.last.set(key, keepComplete(prev, r));
    }
    return out;
  }
}

/** What to compare the next snapshot against: the newest complete parts (an unreadable cycle keeps the old). */
function keepComplete(prev: RegionSnapshot | undefined, next: RegionSnapshot): RegionSnapshot {
  if (!prev) return next;
  return {
    ...next,
    connections: next.connections.complete ? next.connections : prev.connections,
    topology: next.topology?.complete ? next.topology : prev.topology,
  };
}

/** Changes on a connection within `windowMs` before `at`, newest first. */
export function changesBefore(events: readonly VpnEvent[], at: number, windowMs: number): VpnEvent[] {
  return events
    .filter((e) => e.kind === 'config_change' && e.at <= at && at - e.at <= windowMs)
    .sort((a, b) => b.at - a.at);
}

/**
 * Marks recoveries that follow a change (the change is the likely fix): a `tunnel_up` or
 * `connection_up` event gains `afterChange` naming the change and how long before it came.
 */
export function linkRecoveries(
  events: readonly VpnEvent[],
  recentChanges: readonly VpnEvent[],
  windowMs: number,
): VpnEvent[] {
  return events.map((e) => {
    if (e.kind !== 'tunnel_up' && e.kind !== 'connection_up') return e;
    const change = changesBefore(
      recentChanges.filter((c) => c.connectionId === e.connectionId),
      e.at,
      windowMs,
    )[0];
    if (!change) return e;
    return { ...e, detail: { ...e.detail, afterChange: { at: change.at, ...change.detail } } };
  });
}
