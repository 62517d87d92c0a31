// Topology tier: what surrounds the watched connections — their gateways and customer gateways,
// VPN routes, and the VPCs of those gateways (vSwitches, route tables, ACLs, instances, security
// groups). Only the VPCs of watched gateways are read, so the cost follows the fleet, not the account.
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import {
  customerGatewaysPage,
  instancesPage,
  networkAclAttributes,
  networkAclsPage,
  routeEntriesPage,
  routeTablesPage,
  securityGroupAttributePage,
  vpcsPage,
  vpnGatewaysPage,
  vpnPbrRouteEntriesPage,
  vpnRouteEntriesPage,
  vswitchesPage,
} from '../cloud/page-shapes.js';
import { allPagesByNumber, allPagesByToken } from '../cloud/paging.js';
import { withPriority } from '../cloud/priority.js';
import type { RegionApi } from '../cloud/types.js';
import type {
  Collected,
  Connection,
  Instance,
  NetworkAcl,
  RouteTable,
  SecurityGroup,
  Topology,
  VpnRoute,
  VSwitch,
} from '../model/snapshot.js';
import { emptyTopology } from '../model/snapshot.js';
import { mapLimit } from './concurrency.js';
import { errorText } from './errors.js';
import {
  normaliseCustomerGateway,
  normaliseGateway,
  normaliseInstance,
  normaliseNetworkAcl,
  normalisePbrRoute,
  normaliseRouteEntries,
  normaliseRouteTable,
  normaliseSecurityGroup,
  normaliseVpc,
  normaliseVpnRoute,
  normaliseVSwitch,
} from './normalise/topology.js';
import { chunks, uniqueIds } from './values.js';

const PAGE = 50;
const CONCURRENCY = 4;
/** DescribeVpcs takes up to 20 comma-separated VpcIds. */
const VPC_IDS_PER_CALL = 20;

/** Runs one part; a failure is recorded and the part yields `fallback`, so the rest still reports. */
type Attempt = <T>(action: string, fallback: T, part: () => Promise<T>) => Promise<T>;

function attempts(errors: string[]): Attempt {
  return async (action, fallback, part) => {
    try {
      return await part();
    } catch (err) {
      errors.push(errorText(err, action));
      return fallback;
    }
  };
}

async function vpnRoutes(api: RegionApi, gatewayId: string, kind: 'custom' | 'bgp'): Promise<VpnRoute[]> {
  const rows = await allPagesByNumber(async (pageNumber, pageSize) => {
    const req = new $Vpc.DescribeVpnRouteEntriesRequest({
      regionId: api.region,
      vpnGatewayId: gatewayId,
      routeEntryType: kind,
      pageNumber,
      pageSize,
    });
    const res = await api.call(
      'vpc',
      'DescribeVpnRouteEntries',
      (rt) => api.vpc.describeVpnRouteEntriesWithOptions(req, rt),
      { shape: vpnRouteEntriesPage },
    );
    return { items: res.body?.vpnRouteEntries?.vpnRouteEntry ?? [], totalCount: res.body?.totalCount ?? 0 };
  }, PAGE);
  return rows.map((r) => normaliseVpnRoute(gatewayId, kind, r));
}

async function pbrRoutes(api: RegionApi, gatewayId: string): Promise<VpnRoute[]> {
  const rows = await allPagesByNumber(async (pageNumber, pageSize) => {
    const req = new $Vpc.DescribeVpnPbrRouteEntriesRequest({
      regionId: api.region,
      vpnGatewayId: gatewayId,
      pageNumber,
      pageSize,
    });
    const res = await api.call(
      'vpc',
      'DescribeVpnPbrRouteEntries',
      (rt) => api.vpc.describeVpnPbrRouteEntriesWithOptions(req, rt),
      { shape: vpnPbrRouteEntriesPage },
    );
    return {
      items: res.body?.vpnPbrRouteEntries?.vpnPbrRouteEntry ?? [],
      totalCount: res.body?.totalCount ?? 0,
    };
  }, PAGE);
  return rows.map((r) => normalisePbrRoute(gatewayId, r));
}

async function routeTables(api: RegionApi, vpcId: string, attempt: Attempt): Promise<RouteTable[]> {
  const tables = await allPagesByNumber(async (pageNumber, pageSize) => {
    const req = new $Vpc.DescribeRouteTableListRequest({ regionId: api.region, vpcId, pageNumber, pageSize });
    const res = await api.call(
      'vpc',
      'DescribeRouteTableList',
      (rt) => api.vpc.describeRouteTableListWithOptions(req, rt),
      { shape: routeTablesPage },
    );
    return {
      items: res.body?.routerTableList?.routerTableListType ?? [],
      totalCount: res.body?.totalCount ?? 0,
    };
  }, PAGE);
  return mapLimit(tables, CONCURRENCY, async (t) => {
    const entries = await attempt('DescribeRouteEntryList', [], () =>
      allPagesByToken(async (nextToken) => {
        const req = new $Vpc.DescribeRouteEntryListRequest({
          regionId: api.region,
          routeTableId: t.routeTableId,
          maxResult: 100,
          ...(nextToken ? { nextToken } : {}),
        });
        const res = await api.call(
          'vpc',
          'DescribeRouteEntryList',
          (rt) => api.vpc.describeRouteEntryListWithOptions(req, rt),
          { shape: routeEntriesPage },
        );
        return { items: res.body?.routeEntrys?.routeEntry ?? [], nextToken: res.body?.nextToken ?? null };
      }),
    );
    return normaliseRouteTable(t, entries.flatMap(normaliseRouteEntries));
  });
}

async function vswitches(api: RegionApi, vpcId: string): Promise<VSwitch[]> {
  const rows = await allPagesByNumber(async (pageNumber, pageSize) => {
    const req = new $Vpc.DescribeVSwitchesRequest({ regionId: api.region, vpcId, pageNumber, pageSize });
    const res = await api.call(
      'vpc',
      'DescribeVSwitches',
      (rt) => api.vpc.describeVSwitchesWithOptions(req, rt),
      { shape: vswitchesPage },
    );
    return { items: res.body?.vSwitches?.vSwitch ?? [], totalCount: res.body?.totalCount ?? 0 };
  }, PAGE);
  return rows.map(normaliseVSwitch);
}

/** The list carries the entries; DescribeNetworkAclAttributes is asked only when an ACL comes back without them. */
async function networkAcls(api: RegionApi, vpcId: string, attempt: Attempt): Promise<NetworkAcl[]> {
  const rows = await allPagesByNumber(async (pageNumber, pageSize) => {
    const req = new $Vpc.DescribeNetworkAclsRequest({ regionId: api.region, vpcId, pageNumber, pageSize });
    const res = await api.call(
      'vpc',
      'DescribeNetworkAcls',
      (rt) => api.vpc.describeNetworkAclsWithOptions(req, rt),
      { shape: networkAclsPage },
    );
    return { items: res.body?.networkAcls?.networkAcl ?? [], totalCount: res.body?.totalCount ?? 0 };
  }, PAGE);
  return mapLimit(rows, CONCURRENCY, async (acl) => {
    if (acl.ingressAclEntries || acl.egressAclEntries) return normaliseNetworkAcl(acl);
    const attr = await attempt('DescribeNetworkAclAttributes', undefined, async () => {
      const req = new $Vpc.DescribeNetworkAclAttributesRequest({
        regionId: api.region,
        networkAclId: acl.networkAclId,
      });
      const res = await api.call(
        'vpc',
        'DescribeNetworkAclAttributes',
        (rt) => api.vpc.describeNetworkAclAttributesWithOptions(req, rt),
        { shape: networkAclAttributes },
      );
      return res.body?.networkAclAttribute;
    });
    return normaliseNetworkAcl(attr ?? acl);
  });
}

async function instances(api: RegionApi, vpcId: string): Promise<Instance[]> {
  const rows = await allPagesByToken(async (nextToken) => {
    const req = new $Ecs.DescribeInstancesRequest({
      regionId: api.region,
      vpcId,
      maxResults: 100,
      ...(nextToken ? { nextToken } : {}),
    });
    const res = await api.call(
      'ecs',
      'DescribeInstances',
      (rt) => api.ecs.describeInstancesWithOptions(req, rt),
      { shape: instancesPage },
    );
    return { items: res.body?.instances?.instance ?? [], nextToken: res.body?.nextToken ?? null };
  });
  return rows.map(normaliseInstance);
}

async function securityGroup(api: RegionApi, securityGroupId: string): Promise<SecurityGroup> {
  let head: $Ecs.DescribeSecurityGroupAttributeResponseBody | undefined;
  const permissions = await allPagesByToken(async (nextToken) => {
    const req = new $Ecs.DescribeSecurityGroupAttributeRequest({
      regionId: api.region,
      securityGroupId,
      direction: 'all',
      maxResults: 1000,
      ...(nextToken ? { nextToken } : {}),
    });
    const res = await api.call(
      'ecs',
      'DescribeSecurityGroupAttribute',
      (rt) => api.ecs.describeSecurityGroupAttributeWithOptions(req, rt),
      { shape: securityGroupAttributePage },
    );
    head ??= res.body;
    return { items: res.body?.permissions?.permission ?? [], nextToken: res.body?.nextToken ?? null };
  });
  return normaliseSecurityGroup(
    { securityGroupId, securityGroupName: head?.securityGroupName, vpcId: head?.vpcId },
    permissions,
  );
}

/** Everything the VPC side of the watched gateways needs. */
async function vpcParts(api: RegionApi, vpcIds: string[], attempt: Attempt): Promise<Partial<Topology>> {
  const vpcs = (
    await mapLimit(chunks(vpcIds, VPC_IDS_PER_CALL), CONCURRENCY, (ids) =>
      attempt('DescribeVpcs', [], async () => {
        const rows = await allPagesByNumber(async (pageNumber, pageSize) => {
          const req = new $Vpc.DescribeVpcsRequest({
            regionId: api.region,
            vpcId: ids.join(','),
            pageNumber,
            pageSize,
          });
          const res = await api.call(
            'vpc',
            'DescribeVpcs',
            (rt) => api.vpc.describeVpcsWithOptions(req, rt),
            { shape: vpcsPage },
          );
          return { items: res.body?.vpcs?.vpc ?? [], totalCount: res.body?.totalCount ?? 0 };
        }, PAGE);
        return rows.map(normaliseVpc);
      }),
    )
  ).flat();
  const perVpc = await mapLimit(vpcIds, CONCURRENCY, async (vpcId) => {
    const [sw, rts, acls, inst] = await Promise.all([
      attempt('DescribeVSwitches', [], () => vswitches(api, vpcId)),
      attempt('DescribeRouteTableList', [], () => routeTables(api, vpcId, attempt)),
      attempt('DescribeNetworkAcls', [], () => networkAcls(api, vpcId, attempt)),
      attempt('DescribeInstances', [], () => instances(api, vpcId)),
    ]);
    return { sw, rts, acls, inst };
  });
  const instanceList = perVpc.flatMap((p) => p.inst);
  const groupIds = uniqueIds(instanceList.flatMap((i) => i.securityGroupIds));
  const groups = (
    await mapLimit(groupIds, CONCURRENCY, (id) =>
      attempt('DescribeSecurityGroupAttribute', [] as SecurityGroup[], async () => [
        await securityGroup(api, id),
      ]),
    )
  ).flat();
  const acls = perVpc.flatMap((p) => p.acls);
  return {
    vpcs,
    vswitches: withAclIds(
      perVpc.flatMap((p) => p.sw),
      acls,
    ),
    routeTables: perVpc.flatMap((p) => p.rts),
    networkAcls: acls,
    instances: instanceList,
    securityGroups: groups,
  };
}

/** A vSwitch that does not name its ACL gets it from the ACL's bound resources. */
function withAclIds(vsw: VSwitch[], acls: NetworkAcl[]): VSwitch[] {
  const aclOf = new Map<string, string>();
  for (const a of acls) for (const id of a.vswitchIds) aclOf.set(id, a.id);
  return vsw.map((v) => (v.networkAclId ? v : { ...v, networkAclId: aclOf.get(v.id) ?? null }));
}

/**
 * Topology around `connections` (the region's status-tier result). A failed part makes the result
 * `complete: false` with every error listed; the parts that succeeded are kept.
 */
export async function collectTopology(
  regionApi: RegionApi,
  connections: readonly Connection[],
): Promise<Collected<Topology>> {
  // Background work: the status tier's calls never wait behind the topology pass.
  const api = withPriority(regionApi, 'low');
  const errors: string[] = [];
  const attempt = attempts(errors);
  const gatewayIds = uniqueIds(connections.map((c) => c.vpnGatewayId));
  const customerGatewayIds = new Set(
    uniqueIds(connections.flatMap((c) => c.tunnels.map((t) => t.customerGatewayId))),
  );
  const topology = emptyTopology();
  if (gatewayIds.length === 0) return { collectedAt: Date.now(), complete: true, data: topology };

  const wanted = new Set(gatewayIds);
  const [gateways, customerGateways] = await Promise.all([
    attempt('DescribeVpnGateways', [], async () => {
      const rows = await allPagesByNumber(async (pageNumber, pageSize) => {
        const req = new $Vpc.DescribeVpnGatewaysRequest({ regionId: api.region, pageNumber, pageSize });
        const res = await api.call(
          'vpc',
          'DescribeVpnGateways',
          (rt) => api.vpc.describeVpnGatewaysWithOptions(req, rt),
          { shape: vpnGatewaysPage },
        );
        return { items: res.body?.vpnGateways?.vpnGateway ?? [], totalCount: res.body?.totalCount ?? 0 };
      }, PAGE);
      return rows.map(normaliseGateway).filter((g) => wanted.has(g.id));
    }),
    attempt('DescribeCustomerGateways', [], async () => {
      const rows = await allPagesByNumber(async (pageNumber, pageSize) => {
        const req = new $Vpc.DescribeCustomerGatewaysRequest({ regionId: api.region, pageNumber, pageSize });
        const res = await api.call(
          'vpc',
          'DescribeCustomerGateways',
          (rt) => api.vpc.describeCustomerGatewaysWithOptions(req, rt),
          { shape: customerGatewaysPage },
        );
        return {
          items: res.body?.customerGateways?.customerGateway ?? [],
          totalCount: res.body?.totalCount ?? 0,
        };
      }, PAGE);
      return rows.map(normaliseCustomerGateway).filter((g) => customerGatewayIds.has(g.id));
    }),
  ]);
  topology.gateways = gateways;
  topology.customerGateways = customerGateways;

  const usesBgp = (gatewayId: string): boolean =>
    gateways.some((g) => g.id === gatewayId && g.enableBgp) ||
    connections.some(
      (c) => c.vpnGatewayId === gatewayId && (c.enableTunnelsBgp || c.tunnels.some((t) => t.bgp !== null)),
    );
  const routes = await mapLimit(gatewayIds, CONCURRENCY, async (id) => {
    const [custom, bgp, policy] = await Promise.all([
      attempt('DescribeVpnRouteEntries', [], () => vpnRoutes(api, id, 'custom')),
      usesBgp(id)
        ? attempt('DescribeVpnRouteEntries', [], () => vpnRoutes(api, id, 'bgp'))
        : Promise.resolve([]),
      attempt('DescribeVpnPbrRouteEntries', [], () => pbrRoutes(api, id)),
    ]);
    return [...custom, ...bgp, ...policy];
  });
  topology.vpnRoutes = routes.flat();

  // Gateways we could not read leave their VPC unknown: the error above already marks the result incomplete.
  const vpcIds = uniqueIds(gateways.map((g) => g.vpcId));
  Object.assign(topology, await vpcParts(api, vpcIds, attempt));

  const collectedAt = Date.now();
  return errors.length === 0
    ? { collectedAt, complete: true, data: topology }
    : { collectedAt, complete: false, error: errors.join('; '), data: topology };
}
