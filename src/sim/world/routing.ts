// The VPN gateway's routes as they are at an instant: custom, policy and BGP-learned routes, each
// listed per tunnel with Weight 100 on the tunnel that carries the connection's traffic (so a
// failover shows in NextHopTunnelId/Weight) and 0 on the standby one.
import { customerGatewayOf, tunnelOf } from './query.js';
import type { Region, VpnConnection, WorldState } from './types.js';

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
