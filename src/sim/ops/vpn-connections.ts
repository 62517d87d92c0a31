// DescribeVpnConnections / DescribeVpnConnection: dual-tunnel connections with live tunnel state.
//
// For a dual-tunnel connection the top-level fields mirror tunnel 1's configuration, and the
// top-level Status is `ipsec_sa_established` while either tunnel carries traffic, else tunnel 1's
// status (Alibaba does not document these fields for dual-tunnel mode; the daemon reads tunnels).
import type { SimRequest } from '../protocol.js';
import { notFound } from '../world/errors.js';
import { customerGatewayOf, tunnelOf } from '../world/query.js';
import { matchesTags, paginate, requireParam, requireScope, tagList, tagParams } from '../world/request.js';
import type { Region, Tunnel, TunnelRuntime, VpnConnection, WorldState } from '../world/types.js';
import type { HandlerTable } from './index.js';
import { resourceGroupId } from './vpn-gateways.js';

function tunnelBody(
  region: Region,
  conn: VpnConnection,
  tunnel: Tunnel,
  rt: TunnelRuntime,
): Record<string, unknown> {
  const cgw = customerGatewayOf(region, tunnel);
  return {
    CustomerGatewayId: tunnel.customerGatewayId,
    EnableDpd: String(tunnel.enableDpd),
    EnableNatTraversal: String(tunnel.enableNatTraversal),
    InternetIp: tunnel.internetIp,
    RemoteCaCertificate: '',
    Role: tunnel.role,
    State: tunnel.state,
    Status: rt.status,
    ...(conn.enableTunnelsBgp
      ? {
          TunnelBgpConfig: {
            BgpStatus: rt.bgpUp ? 'success' : 'false',
            LocalAsn: String(tunnel.bgp.localAsn),
            LocalBgpIp: tunnel.bgp.localBgpIp,
            PeerAsn: cgw?.asn === null || cgw?.asn === undefined ? '' : String(cgw.asn),
            PeerBgpIp: tunnel.peer.bgp.ip,
            TunnelCidr: tunnel.bgp.tunnelCidr,
          },
        }
      : {}),
    TunnelId: tunnel.id,
    TunnelIkeConfig: {
      IkeAuthAlg: tunnel.ike.authAlg,
      IkeEncAlg: tunnel.ike.encAlg,
      IkeLifetime: String(tunnel.ike.lifetime),
      IkeMode: tunnel.ike.mode,
      IkePfs: tunnel.ike.dhGroup,
      IkeVersion: tunnel.ike.version,
      LocalId: tunnel.ike.localId,
      Psk: tunnel.ike.psk,
      RemoteId: tunnel.ike.remoteId,
    },
    TunnelIpsecConfig: {
      IpsecAuthAlg: tunnel.ipsec.authAlg,
      IpsecEncAlg: tunnel.ipsec.encAlg,
      IpsecLifetime: String(tunnel.ipsec.lifetime),
      IpsecPfs: tunnel.ipsec.pfs,
    },
    ZoneNo: tunnel.zone,
  };
}

/** The fields both operations share; `single` adds what only DescribeVpnConnection returns. */
export function connectionBody(
  world: WorldState,
  account: string,
  region: Region,
  conn: VpnConnection,
  now: number,
  single: boolean,
): Record<string, unknown> {
  const t1 = tunnelOf(conn, 1);
  const rt1 = world.tunnelAt(conn, 1, now);
  const rt2 = world.tunnelAt(conn, 2, now);
  const anyUp = rt1.up || rt2.up;
  const tags = { Tag: tagList(conn.tags) };
  return {
    AttachInstanceId: conn.vpnGatewayId,
    AttachType: 'VPNGW',
    CreateTime: conn.createTime,
    CrossAccountAuthorized: false,
    CustomerGatewayId: conn.customerGatewayId,
    EffectImmediately: conn.effectImmediately,
    EnableDpd: t1.enableDpd,
    EnableNatTraversal: t1.enableNatTraversal,
    EnableTunnelsBgp: conn.enableTunnelsBgp,
    IkeConfig: {
      IkeAuthAlg: t1.ike.authAlg,
      IkeEncAlg: t1.ike.encAlg,
      IkeLifetime: t1.ike.lifetime,
      IkeMode: t1.ike.mode,
      IkePfs: t1.ike.dhGroup,
      IkeVersion: t1.ike.version,
      LocalId: t1.ike.localId,
      Psk: t1.ike.psk,
      RemoteId: t1.ike.remoteId,
    },
    InternetIp: t1.internetIp,
    IpsecConfig: {
      IpsecAuthAlg: t1.ipsec.authAlg,
      IpsecEncAlg: t1.ipsec.encAlg,
      IpsecLifetime: t1.ipsec.lifetime,
      IpsecPfs: t1.ipsec.pfs,
    },
    LocalSubnet: conn.localSubnets.join(','),
    Name: conn.name,
    NetworkType: conn.networkType,
    RemoteCaCertificate: '',
    RemoteSubnet: conn.remoteSubnets.join(','),
    ResourceGroupId: resourceGroupId(account),
    Spec: '1000M',
    State: conn.state,
    Status: anyUp ? 'ipsec_sa_established' : rt1.status,
    ...(single ? { Tags: tags } : { Tag: tags }),
    TransitRouterId: '',
    TransitRouterName: '',
    TunnelBandwidth: conn.tunnelBandwidth,
    TunnelOptionsSpecification: {
      TunnelOptions: [tunnelBody(region, conn, t1, rt1), tunnelBody(region, conn, tunnelOf(conn, 2), rt2)],
    },
    VcoHealthCheck: {
      Dip: '',
      Enable: 'false',
      Interval: 3,
      Policy: 'revoke_route',
      Retry: 3,
      Sip: '',
      Status: '',
    },
    VpnBgpConfig: {
      AuthKey: '',
      ...(single ? { EnableBgp: String(conn.enableTunnelsBgp) } : {}),
      LocalAsn: t1.bgp.localAsn,
      LocalBgpIp: conn.enableTunnelsBgp ? t1.bgp.localBgpIp : '',
      PeerAsn: customerGatewayOf(region, t1)?.asn ?? 0,
      PeerBgpIp: conn.enableTunnelsBgp ? t1.peer.bgp.ip : '',
      Status: conn.enableTunnelsBgp ? (rt1.bgpUp || rt2.bgpUp ? 'success' : 'failed') : '',
      TunnelCidr: conn.enableTunnelsBgp ? t1.bgp.tunnelCidr : '',
    },
    VpnConnectionId: conn.id,
    VpnGatewayId: conn.vpnGatewayId,
    ...(single ? { ZoneNo: t1.zone } : {}),
  };
}

function describeVpnConnections(world: WorldState, req: SimRequest, now: number): Record<string, unknown> {
  const { account, region } = requireScope(world, req);
  const p = req.params;
  const tags = tagParams(req);
  const matching = region.connections.filter(
    (c) =>
      (!p['VpnConnectionId'] || c.id === p['VpnConnectionId']) &&
      (!p['VpnGatewayId'] || c.vpnGatewayId === p['VpnGatewayId']) &&
      (!p['CustomerGatewayId'] || c.tunnels.some((t) => t.customerGatewayId === p['CustomerGatewayId'])) &&
      (!p['ResourceGroupId'] || p['ResourceGroupId'] === resourceGroupId(account.name)) &&
      matchesTags(c.tags, tags),
  );
  const page = paginate(req, matching);
  return {
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: page.totalCount,
    VpnConnections: {
      VpnConnection: page.items.map((c) => connectionBody(world, account.name, region, c, now, false)),
    },
  };
}

function describeVpnConnection(world: WorldState, req: SimRequest, now: number): Record<string, unknown> {
  const { account, region } = requireScope(world, req);
  const id = requireParam(req, 'VpnConnectionId');
  const conn = region.connections.find((c) => c.id === id);
  if (!conn) throw notFound.vpnConnection(id);
  return connectionBody(world, account.name, region, conn, now, true);
}

export const vpnConnectionHandlers: HandlerTable = {
  DescribeVpnConnections: describeVpnConnections,
  DescribeVpnConnection: describeVpnConnection,
};
