// Routes as they are at an instant: the VPN gateway's route table (custom, policy and BGP-learned
// routes, each pointing at the tunnel that carries the connection's traffic) and the VPC route
// tables, which receive the gateway's *published* routes (System table by default).
import { makeId } from './ids.js';
import { customerGatewayOf, tunnelOf } from './query.js';
import type { Region, RouteTable, RouteTableEntry, VpnConnection, WorldState } from './types.js';

export interface VpnRouteView {
  vpnGatewayId: string;
  kind: 'custom' | 'bgp' | 'policy';
  dest: string;
  source: string; // policy routes: source CIDR
  nextHop: string; // vco-… (CLOUD bgp routes: the VPC id)
  nextHopTunnelId: string;
  published: boolean;
  /** 100 for the tunnel carrying traffic, 0 for the standby one. */
  weight: number;
  priority: number;
  /** BGP routes: CLOUD (learned from the VPC) or VPN_BGP (learned from the peer). */
  origin: 'CLOUD' | 'VPN_BGP' | '';
  asPath: string;
  community: string;
  createTime: number;
}

/** The tunnel that carries traffic, or tunnel 1 when neither does (its route keeps weight 100). */
function preferredTunnel(world: WorldState, conn: VpnConnection, now: number): string {
  return world.trafficAt(conn, now).activeTunnelId ?? tunnelOf(conn, 1).id;
}

export function vpnRoutesAt(
  world: WorldState,
  region: Region,
  gatewayId: string,
  now: number,
): VpnRouteView[] {
  const out: VpnRouteView[] = [];
  const byId = new Map(region.connections.map((c) => [c.id, c]));
  for (const route of region.vpnRoutes.filter((r) => r.vpnGatewayId === gatewayId)) {
    const conn = byId.get(route.nextHop);
    if (!conn) continue;
    const active = preferredTunnel(world, conn, now);
    for (const tunnel of conn.tunnels) {
      out.push({
        vpnGatewayId: gatewayId,
        kind: route.kind,
        dest: route.dest,
        source: route.source,
        nextHop: conn.id,
        nextHopTunnelId: tunnel.id,
        published: route.published,
        weight: tunnel.id === active ? 100 : 0,
        priority: route.priority,
        origin: '',
        asPath: '',
        community: '',
        createTime: route.createTime,
      });
    }
  }
  const gw = region.vpnGateways.find((g) => g.id === gatewayId);
  const vpc = region.vpcs.find((v) => v.id === gw?.vpcId);
  const bgpConns = region.connections.filter((c) => c.vpnGatewayId === gatewayId && c.enableTunnelsBgp);
  if (gw && vpc && bgpConns.length) {
    for (const cidr of [vpc.cidr, ...vpc.secondaryCidrs]) {
      out.push({
        vpnGatewayId: gatewayId,
        kind: 'bgp',
        dest: cidr,
        source: '',
        nextHop: vpc.id,
        nextHopTunnelId: '',
        published: false,
        weight: 100,
        priority: 0,
        origin: 'CLOUD',
        asPath: String(gw.localAsn),
        community: '',
        createTime: vpc.createTime,
      });
    }
  }
  for (const conn of bgpConns) {
    // The peer advertises its own subnets over every tunnel whose session is up.
    const upTunnels = ([1, 2] as const)
      .filter((i) => world.tunnelAt(conn, i, now).bgpUp)
      .map((i) => tunnelOf(conn, i));
    if (!upTunnels.length) continue;
    const active = preferredTunnel(world, conn, now);
    for (const tunnel of upTunnels) {
      const asn = customerGatewayOf(region, tunnel)?.asn;
      for (const dest of tunnel.peer.localSubnets) {
        out.push({
          vpnGatewayId: gatewayId,
          kind: 'bgp',
          dest,
          source: '',
          nextHop: conn.id,
          nextHopTunnelId: tunnel.id,
          published: true,
          weight: tunnel.id === active ? 100 : 0,
          priority: 0,
          origin: 'VPN_BGP',
          asPath: asn ? String(asn) : '',
          community: '',
          createTime: conn.createTime,
        });
      }
    }
  }
  return out;
}

/**
 * Every entry of a VPC route table at `now`: the vSwitch (Local) routes, the scenario's entries,
 * and, for a table that receives VPN routes, one entry per destination published by a VPN
 * gateway of the VPC.
 */
export function routeTableEntriesAt(
  world: WorldState,
  region: Region,
  table: RouteTable,
  now: number,
): RouteTableEntry[] {
  const local: RouteTableEntry[] = region.vswitches
    .filter((s) => s.vpcId === table.vpcId)
    .map((s) => ({
      id: makeId('rte', '', `${table.id}/local/${s.id}`),
      dest: s.cidr,
      nextHopType: 'local',
      nextHopId: '',
      type: 'System',
      status: 'Available',
      origin: 'SystemCreate',
      description: '',
    }));
  const entries = [...local, ...table.entries];
  if (!table.receivesVpnRoutes) return entries;
  const seen = new Set(entries.map((e) => e.dest));
  for (const gw of region.vpnGateways.filter((g) => g.vpcId === table.vpcId)) {
    for (const route of vpnRoutesAt(world, region, gw.id, now)) {
      if (!route.published || route.origin === 'CLOUD' || seen.has(route.dest)) continue;
      seen.add(route.dest);
      entries.push({
        id: makeId('rte', '', `${table.id}/vpn/${route.dest}`),
        dest: route.dest,
        nextHopType: 'VpnGateway',
        nextHopId: gw.id,
        type: 'Custom',
        status: 'Available',
        origin: 'RoutePropagation',
        description: `published by ${gw.id}`,
      });
    }
  }
  return entries;
}

/** The route table that serves a vSwitch: its bound Custom table, else the VPC's System table. */
export function routeTableForVSwitch(region: Region, vswitchId: string): RouteTable | undefined {
  const vsw = region.vswitches.find((s) => s.id === vswitchId);
  if (!vsw) return undefined;
  return (
    region.routeTables.find((t) => t.vswitchIds.includes(vswitchId)) ??
    region.routeTables.find((t) => t.vpcId === vsw.vpcId && t.type === 'System')
  );
}
