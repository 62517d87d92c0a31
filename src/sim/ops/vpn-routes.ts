// DescribeVpnRouteEntries (custom or bgp) and DescribeVpnPbrRouteEntries.
import type { SimRequest } from '../protocol.js';
import { invalidParameter, notFound } from '../world/errors.js';
import { paginate, requireParam, requireScope } from '../world/request.js';
import { type VpnRouteView, vpnRoutesAt } from '../world/routing.js';
import type { WorldState } from '../world/types.js';
import type { HandlerTable } from './index.js';

const state = (r: VpnRouteView) => (r.published ? 'published' : 'normal');

function describeVpnRouteEntries(world: WorldState, req: SimRequest, now: number): Record<string, unknown> {
  const { region } = requireScope(world, req);
  const gatewayId = requireParam(req, 'VpnGatewayId');
  if (!region.vpnGateways.some((g) => g.id === gatewayId)) throw notFound.vpnGateway(gatewayId);
  const type = req.params['RouteEntryType'] ?? 'custom';
  if (type !== 'custom' && type !== 'bgp') throw invalidParameter('RouteEntryType', 'expected custom or bgp');
  const all = vpnRoutesAt(world, region, gatewayId, now);
  const routes = all.filter((r) => (type === 'bgp' ? r.kind === 'bgp' : r.kind === 'custom'));
  const page = paginate(req, routes);
  const count = (entryType: string, source: string, match: (r: VpnRouteView) => boolean) => ({
    RouteCount: all.filter(match).length,
    RouteEntryType: entryType,
    Source: source,
  });
  return {
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: page.totalCount,
    VpnRouteCounts: {
      VpnRouteCount: [
        count('custom', 'CLOUD', (r) => r.kind === 'custom'),
        count('bgp', 'CLOUD', (r) => r.kind === 'bgp' && r.origin === 'CLOUD'),
        count('bgp', 'VPN_BGP', (r) => r.kind === 'bgp' && r.origin === 'VPN_BGP'),
      ],
    },
    VpnRouteEntries: {
      VpnRouteEntry: page.items.map((r) => ({
        AsPath: r.asPath,
        Community: r.community,
        CreateTime: r.createTime,
        NextHop: r.nextHop,
        NextHopTunnelId: r.nextHopTunnelId,
        RouteDest: r.dest,
        RouteEntryType: r.kind,
        Source: r.origin,
        State: state(r),
        VpnInstanceId: r.vpnGatewayId,
        Weight: r.weight,
      })),
    },
  };
}

function describeVpnPbrRouteEntries(
  world: WorldState,
  req: SimRequest,
  now: number,
): Record<string, unknown> {
  const { region } = requireScope(world, req);
  const gatewayId = requireParam(req, 'VpnGatewayId');
  if (!region.vpnGateways.some((g) => g.id === gatewayId)) throw notFound.vpnGateway(gatewayId);
  const routes = vpnRoutesAt(world, region, gatewayId, now).filter((r) => r.kind === 'policy');
  const page = paginate(req, routes);
  return {
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: page.totalCount,
    VpnPbrRouteEntries: {
      VpnPbrRouteEntry: page.items.map((r) => ({
        CreateTime: r.createTime,
        NextHop: r.nextHop,
        NextHopTunnelId: r.nextHopTunnelId,
        Priority: r.priority,
        RouteDest: r.dest,
        RouteSource: r.source,
        State: state(r),
        VpnInstanceId: r.vpnGatewayId,
        Weight: r.weight,
      })),
    },
  };
}

export const vpnRouteHandlers: HandlerTable = {
  DescribeVpnRouteEntries: describeVpnRouteEntries,
  DescribeVpnPbrRouteEntries: describeVpnPbrRouteEntries,
};
