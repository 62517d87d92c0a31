// DescribeVpnGateways / DescribeVpnGateway / DescribeCustomerGateways / DescribeCustomerGateway.
import type { SimRequest } from '../protocol.js';
import { notFound } from '../world/errors.js';
import { hashHex, makeId } from '../world/ids.js';
import { matchesTags, paginate, requireParam, requireScope, tagList, tagParams } from '../world/request.js';
import type { CustomerGateway, VpnGateway, WorldState } from '../world/types.js';
import type { HandlerTable } from './index.js';

/** A stable resource group id per account (the default group). */
export function resourceGroupId(account: string): string {
  return `rg-acfm${hashHex(`rg|${account}`).slice(0, 11)}`;
}

function gatewayBody(gw: VpnGateway, account: string, region: string): Record<string, unknown> {
  return {
    AutoPropagate: true,
    BusinessStatus: gw.businessStatus,
    ChargeType: 'POSTPAY',
    CreateTime: gw.createTime,
    Description: '',
    DisasterRecoveryInternetIp: gw.disasterRecoveryInternetIp,
    DisasterRecoveryVSwitchId: gw.disasterRecoveryVSwitchId,
    EnableBgp: gw.enableBgp,
    EniInstanceIds: {
      EniInstanceId: [makeId('eni', region, `${gw.id}/1`), makeId('eni', region, `${gw.id}/2`)],
    },
    GatewayType: gw.gatewayType,
    InternetIp: gw.internetIp,
    IpsecVpn: 'enable',
    Name: gw.name,
    NetworkType: 'public',
    ResourceGroupId: resourceGroupId(account),
    Spec: gw.spec,
    SslMaxConnections: 5,
    SslVpn: 'disable',
    SslVpnInternetIp: '',
    Status: gw.status,
    // System labels, a JSON string as the API returns it.
    Tag: JSON.stringify({
      VpnEnableBgp: String(gw.enableBgp),
      VisuallySsl: 'true',
      PbrPriority: 'true',
      VpnNewImage: String(gw.diagnoseSupported),
      VpnVersion: gw.diagnoseSupported ? 'v1.2.4' : 'v1.0.0',
    }),
    Tags: { Tag: tagList(gw.tags) },
    VSwitchId: gw.vswitchId,
    VpcId: gw.vpcId,
    VpnGatewayId: gw.id,
    VpnType: 'Normal',
  };
}

function customerGatewayBody(cgw: CustomerGateway, account: string): Record<string, unknown> {
  return {
    ...(cgw.asn === null ? {} : { Asn: cgw.asn }),
    AuthKey: '',
    CreateTime: cgw.createTime,
    CustomerGatewayId: cgw.id,
    Description: cgw.description,
    IpAddress: cgw.ip,
    Name: cgw.name,
    ResourceGroupId: resourceGroupId(account),
    Tags: { Tag: tagList(cgw.tags) },
  };
}

function describeVpnGateways(world: WorldState, req: SimRequest): Record<string, unknown> {
  const { account, region } = requireScope(world, req);
  const p = req.params;
  const tags = tagParams(req);
  const matching = region.vpnGateways.filter(
    (g) =>
      (!p['VpnGatewayId'] || g.id === p['VpnGatewayId']) &&
      (!p['VpcId'] || g.vpcId === p['VpcId']) &&
      (!p['Status'] || g.status === p['Status']) &&
      (!p['BusinessStatus'] || g.businessStatus === p['BusinessStatus']) &&
      (!p['GatewayType'] || g.gatewayType === p['GatewayType']) &&
      (!p['ResourceGroupId'] || p['ResourceGroupId'] === resourceGroupId(account.name)) &&
      matchesTags(g.tags, tags),
  );
  const page = paginate(req, matching);
  return {
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: page.totalCount,
    VpnGateways: { VpnGateway: page.items.map((g) => gatewayBody(g, account.name, region.id)) },
  };
}

function describeVpnGateway(world: WorldState, req: SimRequest): Record<string, unknown> {
  const { account, region } = requireScope(world, req);
  const id = requireParam(req, 'VpnGatewayId');
  const gw = region.vpnGateways.find((g) => g.id === id);
  if (!gw) throw notFound.vpnGateway(id);
  return gatewayBody(gw, account.name, region.id);
}

function describeCustomerGateways(world: WorldState, req: SimRequest): Record<string, unknown> {
  const { account, region } = requireScope(world, req);
  const id = req.params['CustomerGatewayId'];
  const tags = tagParams(req);
  const matching = region.customerGateways.filter((c) => (!id || c.id === id) && matchesTags(c.tags, tags));
  const page = paginate(req, matching);
  return {
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: page.totalCount,
    CustomerGateways: { CustomerGateway: page.items.map((c) => customerGatewayBody(c, account.name)) },
  };
}

function describeCustomerGateway(world: WorldState, req: SimRequest): Record<string, unknown> {
  const { account, region } = requireScope(world, req);
  const id = requireParam(req, 'CustomerGatewayId');
  const cgw = region.customerGateways.find((c) => c.id === id);
  if (!cgw) throw notFound.customerGateway(id);
  return customerGatewayBody(cgw, account.name);
}

export const vpnGatewayHandlers: HandlerTable = {
  DescribeVpnGateways: describeVpnGateways,
  DescribeVpnGateway: describeVpnGateway,
  DescribeCustomerGateways: describeCustomerGateways,
  DescribeCustomerGateway: describeCustomerGateway,
};
