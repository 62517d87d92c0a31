// The VPN-gateway side of routing: which mode the connection uses, which on-prem CIDRs it serves,
// and the gateway's routes (custom, BGP, policy) that point at it.

import { type Cidr, cidrsOverlap, readCidrText } from '../../model/addressing.js';
import type { Connection, Topology, VpnRoute } from '../../model/snapshot.js';
import { withJa } from './localized.js';
import type { TopologyIndex } from './topology-index.js';

export type RoutingMode = 'destination' | 'protected-flow';

const ANY = '0.0.0.0/0';
const isAny = (s: string): boolean => s.trim() === ANY;

/**
 * `0.0.0.0/0` on both sides = destination-based routing (routes decide); specific CIDRs =
 * protected data flows (policy routes are generated, but not published by default).
 */
export function routingMode(conn: Connection): RoutingMode {
  const all = [...conn.localSubnets, ...conn.remoteSubnets];
  return all.length > 0 && all.every(isAny) ? 'destination' : 'protected-flow';
}

/** A VPN gateway route of this connection, as facts carry it. */
export interface VpnRouteFact {
  dest: string;
  kind: string;
  source: string | null;
  state: string;
  published: boolean;
  nextHopTunnelId: string | null;
  text: string;
}

export const isPublished = (r: VpnRoute): boolean => r.state.toLowerCase() === 'published';

export function vpnRouteFact(r: VpnRoute): VpnRouteFact {
  const from = r.source ? ` from ${r.source}` : '';
  const fromJa = r.source ? ` (送信元 ${r.source})` : '';
  const via = r.nextHopTunnelId ? ` via ${r.nextHopTunnelId}` : '';
  const viaJa = r.nextHopTunnelId ? ` (トンネル ${r.nextHopTunnelId} 経由)` : '';
  return withJa<VpnRouteFact>(
    {
      dest: r.dest,
      kind: r.kind,
      source: r.source,
      state: r.state,
      published: isPublished(r),
      nextHopTunnelId: r.nextHopTunnelId,
      text: `${r.kind} route ${r.dest}${from} → ${r.nextHop}${via} (${r.state})`,
    },
    { text: `${ROUTE_KIND_JA[r.kind] ?? r.kind} ${r.dest}${fromJa} → ${r.nextHop}${viaJa} (${r.state})` },
  );
}

/** Route kinds as the console names them (宛先ベースのルート, ポリシーベースのルート, BGP ルート). */
const ROUTE_KIND_JA: Record<string, string> = {
  custom: '宛先ベースのルート',
  policy: 'ポリシーベースのルート',
  bgp: 'BGP ルート',
};

/** The gateway's routes whose next hop is this connection. */
export const connectionRoutes = (conn: Connection, routes: readonly VpnRoute[]): VpnRoute[] =>
  routes.filter((r) => r.vpnGatewayId === conn.vpnGatewayId && r.nextHop === conn.id);

/**
 * connectionRoutes of the topology's routes; with an index the routes are grouped per connection
 * once (in their order), instead of every connection scanning every route of the region.
 */
export function routesOfConnection(
  conn: Connection,
  topo: Topology | null,
  index?: TopologyIndex | null,
): VpnRoute[] {
  const all = topo?.vpnRoutes ?? [];
  if (!topo || index?.topo !== topo) return connectionRoutes(conn, all);
  const grouped = index.once('vpn-routes|by-connection', () => {
    const m = new Map<string, VpnRoute[]>();
    for (const r of all) {
      const key = `${r.vpnGatewayId}\u0000${r.nextHop}`;
      const list = m.get(key);
      if (list) list.push(r);
      else m.set(key, [r]);
    }
    return m;
  });
  return grouped.get(`${conn.vpnGatewayId}\u0000${conn.id}`) ?? [];
}

/** A CIDR that failed to parse, with where it came from. */
export interface CidrInput {
  text: string;
  cidr: Cidr | null;
  problem: string | null;
}

export function readCidr(text: string, context: string): CidrInput {
  return Object.assign({ text }, readCidrText(text, context));
}

/**
 * The on-prem CIDRs traffic should reach: the specific RemoteSubnet CIDRs, or — in destination
 * mode, where RemoteSubnet is 0.0.0.0/0 — the destinations of the gateway's routes to this connection.
 */
export function onPremCidrs(conn: Connection, routes: readonly VpnRoute[]): CidrInput[] {
  const specific = conn.remoteSubnets.filter((s) => !isAny(s));
  if (specific.length > 0) return specific.map((s) => readCidr(s, `RemoteSubnet of ${conn.id}`));
  const dests = [...new Set(connectionRoutes(conn, routes).map((r) => r.dest))];
  return dests.map((d) => readCidr(d, `VPN route of ${conn.vpnGatewayId}`));
}

/** On-prem CIDRs no route of the gateway sends to this connection (any overlap counts as a route). */
export function cidrsWithoutVpnRoute(onPrem: readonly Cidr[], routes: readonly VpnRoute[]): Cidr[] {
  const dests = routes.map((r) => readCidr(r.dest, 'VPN route').cidr).filter((c): c is Cidr => c !== null);
  return onPrem.filter((c) => !dests.some((d) => cidrsOverlap(d, c)));
}

/** Whether `c` is served by a published route of this connection. */
export function hasPublishedRoute(c: Cidr, routes: readonly VpnRoute[]): boolean {
  return routes.some((r) => {
    const d = readCidr(r.dest, 'VPN route').cidr;
    return isPublished(r) && d !== null && cidrsOverlap(d, c);
  });
}

export const isDefaultRoute = (c: Cidr): boolean => c.prefix === 0;
