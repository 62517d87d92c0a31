// VPC network operations (2016-04-28) over the world: VPCs, vSwitches, route tables and their
// entries, network ACLs — in Alibaba's PascalCase wire shape with its paging conventions.
import { SimApiError, type SimRequest } from '../protocol.js';
import { paginate, requireParam, requireScope } from '../world/request.js';
import type {
  AclEntry,
  NetworkAcl,
  Region,
  RegionScope,
  RouteTable,
  RouteTableEntry,
  Vpc,
  WorldState,
} from '../world/types.js';
import type { HandlerTable } from './index.js';
import { routeTableEntriesAt, routeTableForVSwitch, tableVSwitchIds } from './route-view.js';
import { queryScope, tokenPage } from './token-page.js';
import { isoSeconds, notFound, ownerId, scoped, spaced, vpcTags } from './wire.js';

const RESOURCE_GROUP = 'rg-acfmxazb4ph6aiy';

function vpcCreated(region: Region, vpcId: string): number {
  return region.vpcs.find((v) => v.id === vpcId)?.createTime ?? 0;
}

/** An optional equality filter: no parameter matches everything. */
function filter(req: SimRequest, name: string, value: string): boolean {
  const wanted = req.params[name];
  return wanted === undefined || wanted === '' || wanted === value;
}

function vpcWire(s: RegionScope, v: Vpc): Record<string, unknown> {
  const { region } = s;
  return {
    VpcId: v.id,
    VpcName: v.name,
    RegionId: region.id,
    Status: 'Available',
    CidrBlock: v.cidr,
    SecondaryCidrBlocks: { SecondaryCidrBlock: [...v.secondaryCidrs] },
    UserCidrs: { UserCidr: [] },
    VRouterId: v.vRouterId,
    VSwitchIds: { VSwitchId: region.vswitches.filter((w) => w.vpcId === v.id).map((w) => w.id) },
    RouterTableIds: { RouterTableIds: region.routeTables.filter((t) => t.vpcId === v.id).map((t) => t.id) },
    NatGatewayIds: { NatGatewayIds: [] },
    CreationTime: isoSeconds(v.createTime),
    IsDefault: false,
    Description: '',
    OwnerId: ownerId(s.account.uid),
    ResourceGroupId: RESOURCE_GROUP,
    CenStatus: 'Detached',
    DnsHostnameStatus: 'DISABLED',
    Tags: vpcTags(),
  };
}

function describeVpcs(req: SimRequest, s: RegionScope): Record<string, unknown> {
  const ids = (req.params['VpcId'] ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (ids.length > 20)
    throw new SimApiError(400, 'InvalidParameter', 'The specified VpcId exceeds 20 items.');
  const isDefault = req.params['IsDefault'];
  const vpcs = s.region.vpcs.filter(
    (v) => (ids.length === 0 || ids.includes(v.id)) && filter(req, 'VpcName', v.name) && isDefault !== 'true',
  );
  const page = paginate(req, vpcs, 10, 50);
  return {
    TotalCount: page.totalCount,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    Vpcs: { Vpc: page.items.map((v) => vpcWire(s, v)) },
  };
}

function describeVSwitches(req: SimRequest, s: RegionScope): Record<string, unknown> {
  const { region } = s;
  const aclOf = (id: string) => region.networkAcls.find((a) => a.vswitchIds.includes(id))?.id ?? '';
  const all = region.vswitches.filter(
    (w) =>
      filter(req, 'VpcId', w.vpcId) &&
      filter(req, 'VSwitchId', w.id) &&
      filter(req, 'ZoneId', w.zone) &&
      filter(req, 'VSwitchName', w.name) &&
      filter(req, 'RouteTableId', routeTableForVSwitch(region, w.id)?.id ?? '') &&
      req.params['IsDefault'] !== 'true',
  );
  const page = paginate(req, all, 10, 50);
  return {
    TotalCount: page.totalCount,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    VSwitches: {
      VSwitch: page.items.map((w) => {
        const table = routeTableForVSwitch(region, w.id);
        const used = region.instances.filter((i) => i.vswitchId === w.id).length;
        const prefix = Number(w.cidr.split('/')[1] ?? '24');
        return {
          VSwitchId: w.id,
          VSwitchName: w.name,
          VpcId: w.vpcId,
          ZoneId: w.zone,
          CidrBlock: w.cidr,
          Status: 'Available',
          AvailableIpAddressCount: Math.max(0, 2 ** (32 - prefix) - 4 - used),
          CreationTime: isoSeconds(vpcCreated(region, w.vpcId) + 600_000),
          Description: '',
          IsDefault: false,
          NetworkAclId: aclOf(w.id),
          OwnerId: ownerId(s.account.uid),
          ResourceGroupId: RESOURCE_GROUP,
          RouteTable: { RouteTableId: table?.id ?? '', RouteTableType: table?.type ?? '' },
          ShareType: 'Sharing',
          Tags: vpcTags(),
        };
      }),
    },
  };
}

function routeTableWire(s: RegionScope, t: RouteTable): Record<string, unknown> {
  const vpc = s.region.vpcs.find((v) => v.id === t.vpcId);
  return {
    RouteTableId: t.id,
    RouteTableName: t.name,
    RouteTableType: t.type,
    VpcId: t.vpcId,
    RouterId: vpc?.vRouterId ?? '',
    RouterType: 'VRouter',
    AssociateType: 'VSwitch',
    Status: 'Available',
    CreationTime: isoSeconds((vpc?.createTime ?? 0) + (t.type === 'System' ? 0 : 1_200_000)),
    Description: '',
    OwnerId: ownerId(s.account.uid),
    ResourceGroupId: RESOURCE_GROUP,
    RoutePropagationEnable: t.receivesVpnRoutes,
    VSwitchIds: { VSwitchId: tableVSwitchIds(s.region, t) },
    GatewayIds: { GatewayIds: [] },
    Tags: vpcTags(),
  };
}

function describeRouteTableList(req: SimRequest, s: RegionScope): Record<string, unknown> {
  const routerType = req.params['RouterType'];
  const vrouterOf = (t: RouteTable) => s.region.vpcs.find((v) => v.id === t.vpcId)?.vRouterId ?? '';
  const all = s.region.routeTables.filter(
    (t) =>
      (routerType === undefined || routerType === '' || routerType === 'VRouter') &&
      filter(req, 'VpcId', t.vpcId) &&
      filter(req, 'RouteTableId', t.id) &&
      filter(req, 'RouteTableType', t.type) &&
      filter(req, 'RouteTableName', t.name) &&
      filter(req, 'RouterId', vrouterOf(t)),
  );
  const page = paginate(req, all, 10, 50);
  return {
    TotalCount: page.totalCount,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    RouterTableList: { RouterTableListType: page.items.map((t) => routeTableWire(s, t)) },
  };
}

function routeEntryWire(region: Region, table: RouteTable, e: RouteTableEntry): Record<string, unknown> {
  return {
    RouteEntryId: e.id,
    RouteEntryName: '',
    RouteTableId: table.id,
    DestinationCidrBlock: e.dest,
    Type: e.type,
    Status: e.status,
    Origin: e.origin,
    Description: e.description,
    IpVersion: 'ipv4',
    ServiceType: '',
    GmtModified: spaced(vpcCreated(region, table.vpcId) + 1_800_000),
    NextHops: {
      NextHop: [
        {
          NextHopType: e.nextHopType,
          NextHopId: e.nextHopId,
          NextHopRegionId: e.nextHopId ? region.id : '',
          Enabled: 1,
          Weight: 0,
          NextHopRelatedInfo: {},
        },
      ],
    },
  };
}

function describeRouteEntryList(
  world: WorldState,
  req: SimRequest,
  s: RegionScope,
  now: number,
): Record<string, unknown> {
  const tableId = requireParam(req, 'RouteTableId');
  const table = s.region.routeTables.find((t) => t.id === tableId);
  if (!table) throw notFound('InvalidRouteTableId.NotFound', 'The specified route table does not exist.');
  const destList = Object.entries(req.params)
    .filter(([k]) => /^DestCidrBlockList\.\d+$/.test(k))
    .map(([, v]) => v);
  const ipVersion = (req.params['IpVersion'] ?? '').toLowerCase();
  const all = routeTableEntriesAt(world, s.region, table, now).filter(
    (e) =>
      filter(req, 'DestinationCidrBlock', e.dest) &&
      (destList.length === 0 || destList.includes(e.dest)) &&
      filter(req, 'NextHopId', e.nextHopId) &&
      filter(req, 'NextHopType', e.nextHopType) &&
      filter(req, 'RouteEntryType', e.type) &&
      filter(req, 'RouteEntryId', e.id) &&
      (ipVersion === '' || ipVersion === 'ipv4'),
  );
  const page = tokenPage(req, all, {
    sizeParam: 'MaxResult',
    defaultSize: 10,
    minSize: 1,
    maxSize: 100,
    scope: queryScope(req, ['MaxResult']),
  });
  return {
    TotalCount: page.totalCount,
    NextToken: page.nextToken,
    RouteEntrys: { RouteEntry: page.items.map((e) => routeEntryWire(s.region, table, e)) },
  };
}

function aclEntryWire(e: AclEntry, direction: 'ingress' | 'egress'): Record<string, unknown> {
  return {
    NetworkAclEntryId: e.id,
    NetworkAclEntryName: e.name,
    Policy: e.policy,
    Protocol: e.protocol,
    Port: e.port,
    ...(direction === 'ingress' ? { SourceCidrIp: e.cidr } : { DestinationCidrIp: e.cidr }),
    EntryType: e.entryType,
    Description: e.description,
    IpVersion: 'IPV4',
  };
}

function aclWire(s: RegionScope, a: NetworkAcl): Record<string, unknown> {
  return {
    NetworkAclId: a.id,
    NetworkAclName: a.name,
    VpcId: a.vpcId,
    RegionId: s.region.id,
    Status: 'Available',
    CreationTime: isoSeconds(vpcCreated(s.region, a.vpcId) + 900_000),
    Description: '',
    OwnerId: ownerId(s.account.uid),
    Resources: {
      Resource: a.vswitchIds.map((id) => ({ ResourceId: id, ResourceType: 'VSwitch', Status: 'BINDED' })),
    },
    IngressAclEntries: { IngressAclEntry: a.ingress.map((e) => aclEntryWire(e, 'ingress')) },
    EgressAclEntries: { EgressAclEntry: a.egress.map((e) => aclEntryWire(e, 'egress')) },
    Tags: vpcTags(),
  };
}

function describeNetworkAcls(req: SimRequest, s: RegionScope): Record<string, unknown> {
  const resourceId = req.params['ResourceId'];
  const resourceType = req.params['ResourceType'];
  if (resourceId && resourceType && resourceType.toLowerCase() !== 'vswitch') {
    throw new SimApiError(400, 'InvalidParameter', 'The specified ResourceType is invalid.');
  }
  const all = s.region.networkAcls.filter(
    (a) =>
      filter(req, 'VpcId', a.vpcId) &&
      filter(req, 'NetworkAclId', a.id) &&
      filter(req, 'NetworkAclName', a.name) &&
      (!resourceId || a.vswitchIds.includes(resourceId)),
  );
  const page = paginate(req, all, 10, 50);
  // DescribeNetworkAcls returns its paging numbers as strings.
  return {
    TotalCount: String(page.totalCount),
    PageNumber: String(page.pageNumber),
    PageSize: String(page.pageSize),
    NetworkAcls: { NetworkAcl: page.items.map((a) => aclWire(s, a)) },
  };
}

function describeNetworkAclAttributes(req: SimRequest, s: RegionScope): Record<string, unknown> {
  const id = requireParam(req, 'NetworkAclId');
  const acl = s.region.networkAcls.find((a) => a.id === id);
  if (!acl) throw notFound('InvalidNetworkAcl.NotFound', 'The specified network ACL does not exist.');
  return { NetworkAclAttribute: aclWire(s, acl) };
}

export const networkHandlers: HandlerTable = {
  DescribeVpcs: scoped(describeVpcs),
  DescribeVSwitches: scoped(describeVSwitches),
  DescribeRouteTableList: scoped(describeRouteTableList),
  DescribeRouteEntryList: (world, req, now) =>
    describeRouteEntryList(world, req, requireScope(world, req), now),
  DescribeNetworkAcls: scoped(describeNetworkAcls),
  DescribeNetworkAclAttributes: scoped(describeNetworkAclAttributes),
};
