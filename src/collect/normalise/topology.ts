// VPC/ECS topology responses → snapshot types. Pure functions over the SDK models.
import type * as $Ecs from '@alicloud/ecs20140526';
import type * as $Vpc from '@alicloud/vpc20160428';
import type {
  AclEntry,
  CustomerGateway,
  Instance,
  NetworkAcl,
  RouteTable,
  SecurityGroup,
  SecurityGroupRule,
  Vpc,
  VpcRouteEntry,
  VpnGateway,
  VpnRoute,
  VSwitch,
} from '../../model/snapshot.js';
import { flag, numberOrNull, tagMap, text, uniqueIds } from '../values.js';

export function normaliseGateway(g: $Vpc.DescribeVpnGatewaysResponseBodyVpnGatewaysVpnGateway): VpnGateway {
  return {
    id: text(g.vpnGatewayId),
    name: text(g.name),
    vpcId: text(g.vpcId),
    vswitchId: text(g.vSwitchId),
    status: text(g.status),
    businessStatus: text(g.businessStatus),
    gatewayType: text(g.gatewayType),
    internetIp: text(g.internetIp),
    disasterRecoveryInternetIp: text(g.disasterRecoveryInternetIp),
    enableBgp: flag(g.enableBgp),
    ipsecVpn: text(g.ipsecVpn),
    spec: text(g.spec),
    tags: tagMap(g.tags?.tag),
  };
}

export function normaliseCustomerGateway(
  g: $Vpc.DescribeCustomerGatewaysResponseBodyCustomerGatewaysCustomerGateway,
): CustomerGateway {
  return {
    id: text(g.customerGatewayId),
    name: text(g.name),
    ip: text(g.ipAddress),
    asn: numberOrNull(g.asn),
  };
}

export function normaliseVpnRoute(
  vpnGatewayId: string,
  kind: 'custom' | 'bgp',
  r: $Vpc.DescribeVpnRouteEntriesResponseBodyVpnRouteEntriesVpnRouteEntry,
): VpnRoute {
  return {
    vpnGatewayId,
    kind,
    dest: text(r.routeDest),
    source: null,
    nextHop: text(r.nextHop),
    nextHopTunnelId: r.nextHopTunnelId ? r.nextHopTunnelId : null,
    state: text(r.state),
    weight: numberOrNull(r.weight) ?? 0,
    priority: null,
  };
}

export function normalisePbrRoute(
  vpnGatewayId: string,
  r: $Vpc.DescribeVpnPbrRouteEntriesResponseBodyVpnPbrRouteEntriesVpnPbrRouteEntry,
): VpnRoute {
  return {
    vpnGatewayId,
    kind: 'policy',
    dest: text(r.routeDest),
    source: r.routeSource ? r.routeSource : null,
    nextHop: text(r.nextHop),
    nextHopTunnelId: r.nextHopTunnelId ? r.nextHopTunnelId : null,
    state: text(r.state),
    weight: numberOrNull(r.weight) ?? 0,
    priority: numberOrNull(r.priority),
  };
}

export function normaliseVpc(v: $Vpc.DescribeVpcsResponseBodyVpcsVpc): Vpc {
  return {
    id: text(v.vpcId),
    name: text(v.vpcName),
    cidrBlocks: uniqueIds([v.cidrBlock, ...(v.secondaryCidrBlocks?.secondaryCidrBlock ?? [])]),
    vrouterId: text(v.VRouterId),
  };
}

export function normaliseVSwitch(v: $Vpc.DescribeVSwitchesResponseBodyVSwitchesVSwitch): VSwitch {
  return {
    id: text(v.vSwitchId),
    vpcId: text(v.vpcId),
    zone: text(v.zoneId),
    cidr: text(v.cidrBlock),
    networkAclId: v.networkAclId ? v.networkAclId : null,
  };
}

/** One entry per next hop (ECMP routes have several); an entry without next hops keeps one empty hop. */
export function normaliseRouteEntries(
  e: $Vpc.DescribeRouteEntryListResponseBodyRouteEntrysRouteEntry,
): VpcRouteEntry[] {
  const hops = e.nextHops?.nextHop ?? [];
  const base = { dest: text(e.destinationCidrBlock), status: text(e.status), type: text(e.type) };
  if (hops.length === 0) return [{ ...base, nextHopType: '', nextHopId: '' }];
  return hops.map((h) => ({ ...base, nextHopType: text(h.nextHopType), nextHopId: text(h.nextHopId) }));
}

export function normaliseRouteTable(
  t: $Vpc.DescribeRouteTableListResponseBodyRouterTableListRouterTableListType,
  entries: VpcRouteEntry[],
): RouteTable {
  return {
    id: text(t.routeTableId),
    vpcId: text(t.vpcId),
    type: text(t.routeTableType),
    vswitchIds: uniqueIds(t.vSwitchIds?.vSwitchId ?? []),
    entries,
  };
}

interface WireAclEntry {
  networkAclEntryName?: string;
  policy?: string;
  protocol?: string;
  port?: string;
  entryType?: string;
}

const aclEntry = (e: WireAclEntry, cidr: string | undefined): AclEntry => ({
  name: text(e.networkAclEntryName),
  policy: text(e.policy).toLowerCase(),
  protocol: text(e.protocol).toLowerCase(),
  port: text(e.port),
  cidr: text(cidr),
  entryType: text(e.entryType),
});

type WireAcl =
  | $Vpc.DescribeNetworkAclsResponseBodyNetworkAclsNetworkAcl
  | $Vpc.DescribeNetworkAclAttributesResponseBodyNetworkAclAttribute;

/** Works for the list entry and for DescribeNetworkAclAttributes (same fields). Entry order is kept: the first match decides. */
export function normaliseNetworkAcl(a: WireAcl): NetworkAcl {
  return {
    id: text(a.networkAclId),
    vpcId: text(a.vpcId),
    vswitchIds: uniqueIds(
      (a.resources?.resource ?? [])
        .filter((r) => !r.resourceType || r.resourceType.toLowerCase() === 'vswitch')
        .map((r) => r.resourceId),
    ),
    ingress: (a.ingressAclEntries?.ingressAclEntry ?? []).map((e) => aclEntry(e, e.sourceCidrIp)),
    egress: (a.egressAclEntries?.egressAclEntry ?? []).map((e) => aclEntry(e, e.destinationCidrIp)),
  };
}

type WirePermission = $Ecs.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission;

export function normaliseSecurityGroupRule(p: WirePermission): SecurityGroupRule {
  const direction = text(p.direction).toLowerCase() === 'egress' ? 'egress' : 'ingress';
  return {
    direction,
    policy: text(p.policy).toLowerCase() === 'drop' ? 'drop' : 'accept',
    // Alibaba's default priority is 1 when the rule does not say.
    priority: numberOrNull(p.priority) ?? 1,
    protocol: text(p.ipProtocol).toLowerCase(),
    portRange: text(p.portRange),
    cidr: text(direction === 'ingress' ? p.sourceCidrIp : p.destCidrIp),
    description: text(p.description),
  };
}

export function normaliseSecurityGroup(
  g: Pick<$Ecs.DescribeSecurityGroupAttributeResponseBody, 'securityGroupId' | 'securityGroupName' | 'vpcId'>,
  permissions: WirePermission[],
): SecurityGroup {
  return {
    id: text(g.securityGroupId),
    name: text(g.securityGroupName),
    vpcId: text(g.vpcId),
    rules: permissions.map(normaliseSecurityGroupRule),
  };
}

export function normaliseInstance(i: $Ecs.DescribeInstancesResponseBodyInstancesInstance): Instance {
  const eniIps = (i.networkInterfaces?.networkInterface ?? []).flatMap((n) => [
    n.primaryIpAddress,
    ...(n.privateIpSets?.privateIpSet ?? []).map((p) => p.privateIpAddress),
  ]);
  return {
    id: text(i.instanceId),
    name: text(i.instanceName),
    vpcId: text(i.vpcAttributes?.vpcId),
    vswitchId: text(i.vpcAttributes?.vSwitchId),
    privateIps: uniqueIds([...(i.vpcAttributes?.privateIpAddress?.ipAddress ?? []), ...eniIps]),
    securityGroupIds: uniqueIds(i.securityGroupIds?.securityGroupId ?? []),
    status: text(i.status),
  };
}
