// ECS operations (2014-05-26) over the world: instances and security groups, with ECS's
// MaxResults/NextToken paging (and the older PageNumber/PageSize when a caller still uses it).
import { SimApiError, type SimRequest } from '../protocol.js';
import { makeId } from '../world/ids.js';
import { paginate, requireParam } from '../world/request.js';
import type { Instance, RegionScope, SecurityGroup, SecurityGroupRule } from '../world/types.js';
import type { HandlerTable } from './index.js';
import { queryScope, tokenPage } from './token-page.js';
import { isoMinutes, isoSeconds, jsonListParam, notFound, scoped } from './wire.js';

const RESOURCE_GROUP = 'rg-acfmxazb4ph6aiy';

function optional(req: SimRequest, name: string, value: string): boolean {
  const wanted = req.params[name];
  return wanted === undefined || wanted === '' || wanted === value;
}

function createdAt(s: RegionScope, vpcId: string, offsetMs: number): string {
  return isoMinutes((s.region.vpcs.find((v) => v.id === vpcId)?.createTime ?? 0) + offsetMs);
}

/**
 * ECS pages with MaxResults/NextToken; a request that names PageNumber/PageSize (and no token
 * parameters) gets the older page-number answer.
 */
function ecsPage<T>(
  req: SimRequest,
  all: T[],
  sizes: { defaultSize: number; minSize: number; maxSize: number; pageMax: number },
): Record<string, unknown> & { items: T[] } {
  const byNumber =
    req.params['MaxResults'] === undefined &&
    req.params['NextToken'] === undefined &&
    (req.params['PageNumber'] !== undefined || req.params['PageSize'] !== undefined);
  if (byNumber) {
    const p = paginate(req, all, 10, sizes.pageMax);
    return { items: p.items, TotalCount: p.totalCount, PageNumber: p.pageNumber, PageSize: p.pageSize };
  }
  const p = tokenPage(req, all, {
    sizeParam: 'MaxResults',
    ...sizes,
    scope: queryScope(req, ['MaxResults']),
  });
  return { items: p.items, TotalCount: p.totalCount, NextToken: p.nextToken };
}

function instanceWire(s: RegionScope, i: Instance): Record<string, unknown> {
  const eni = makeId('eni', s.region.id, `${i.id}/primary`);
  return {
    InstanceId: i.id,
    InstanceName: i.name,
    HostName: i.name,
    RegionId: s.region.id,
    ZoneId: i.zone,
    Status: i.status,
    InstanceType: i.instanceType,
    InstanceNetworkType: 'vpc',
    InstanceChargeType: 'PostPaid',
    OSType: 'linux',
    OSName: 'Alibaba Cloud Linux  3.2104 LTS 64位',
    Cpu: 2,
    Memory: 4096,
    CreationTime: createdAt(s, i.vpcId, 3_600_000),
    ResourceGroupId: RESOURCE_GROUP,
    VpcAttributes: {
      VpcId: i.vpcId,
      VSwitchId: i.vswitchId,
      PrivateIpAddress: { IpAddress: [...i.privateIps] },
      NatIpAddress: '',
    },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: eni,
          Type: 'Primary',
          PrimaryIpAddress: i.privateIps[0] ?? '',
          MacAddress: `00:16:3e:${eni.slice(-6).replace(/(..)(?=.)/g, '$1:')}`,
          PrivateIpSets: {
            PrivateIpSet: i.privateIps.map((ip, n) => ({ PrivateIpAddress: ip, Primary: n === 0 })),
          },
        },
      ],
    },
    SecurityGroupIds: { SecurityGroupId: [...i.securityGroupIds] },
    InnerIpAddress: { IpAddress: [] },
    PublicIpAddress: { IpAddress: [] },
    Tags: { Tag: [] },
  };
}

function describeInstances(req: SimRequest, s: RegionScope): Record<string, unknown> {
  const ids = jsonListParam(req.params, 'InstanceIds');
  const ips = jsonListParam(req.params, 'PrivateIpAddresses');
  const all = s.region.instances.filter(
    (i) =>
      optional(req, 'VpcId', i.vpcId) &&
      optional(req, 'VSwitchId', i.vswitchId) &&
      optional(req, 'ZoneId', i.zone) &&
      optional(req, 'Status', i.status) &&
      optional(req, 'InstanceName', i.name) &&
      optional(req, 'InstanceType', i.instanceType) &&
      (!req.params['SecurityGroupId'] || i.securityGroupIds.includes(req.params['SecurityGroupId'])) &&
      (!ids || ids.includes(i.id)) &&
      (!ips || i.privateIps.some((ip) => ips.includes(ip))),
  );
  const { items, ...paging } = ecsPage(req, all, { defaultSize: 10, minSize: 1, maxSize: 100, pageMax: 100 });
  return { ...paging, Instances: { Instance: items.map((i) => instanceWire(s, i)) } };
}

function securityGroupWire(s: RegionScope, g: SecurityGroup, withCounts: boolean): Record<string, unknown> {
  return {
    SecurityGroupId: g.id,
    SecurityGroupName: g.name,
    SecurityGroupType: 'normal',
    VpcId: g.vpcId,
    Description: '',
    CreationTime: createdAt(s, g.vpcId, 1_800_000),
    ResourceGroupId: RESOURCE_GROUP,
    ServiceManaged: false,
    RuleCount: g.rules.length,
    GroupToGroupRuleCount: 0,
    ...(withCounts
      ? { EcsCount: s.region.instances.filter((i) => i.securityGroupIds.includes(g.id)).length }
      : {}),
    Tags: { Tag: [] },
  };
}

function describeSecurityGroups(req: SimRequest, s: RegionScope): Record<string, unknown> {
  const ids = jsonListParam(req.params, 'SecurityGroupIds');
  const networkType = req.params['NetworkType'];
  const all = s.region.securityGroups.filter(
    (g) =>
      optional(req, 'VpcId', g.vpcId) &&
      optional(req, 'SecurityGroupId', g.id) &&
      optional(req, 'SecurityGroupName', g.name) &&
      (!ids || ids.includes(g.id)) &&
      (networkType === undefined || networkType === '' || networkType === 'vpc'),
  );
  const { items, ...paging } = ecsPage(req, all, { defaultSize: 10, minSize: 1, maxSize: 100, pageMax: 50 });
  const withCounts = req.params['IsQueryEcsCount'] === 'true';
  return {
    ...paging,
    RegionId: s.region.id,
    SecurityGroups: { SecurityGroup: items.map((g) => securityGroupWire(s, g, withCounts)) },
  };
}

function permissionWire(s: RegionScope, g: SecurityGroup, r: SecurityGroupRule): Record<string, unknown> {
  const ingress = r.direction === 'ingress';
  return {
    SecurityGroupRuleId: r.id,
    Direction: r.direction,
    Policy: r.policy === 'accept' ? 'Accept' : 'Drop',
    Priority: String(r.priority),
    IpProtocol: r.protocol.toUpperCase(),
    PortRange: r.portRange,
    SourcePortRange: '',
    SourceCidrIp: ingress ? r.cidr : '',
    DestCidrIp: ingress ? '' : r.cidr,
    SourceGroupId: '',
    DestGroupId: '',
    SourcePrefixListId: '',
    DestPrefixListId: '',
    Ipv6SourceCidrIp: '',
    Ipv6DestCidrIp: '',
    NicType: 'intranet',
    Description: r.description,
    CreateTime: isoSeconds((s.region.vpcs.find((v) => v.id === g.vpcId)?.createTime ?? 0) + 2_400_000),
  };
}

function describeSecurityGroupAttribute(req: SimRequest, s: RegionScope): Record<string, unknown> {
  const id = requireParam(req, 'SecurityGroupId');
  const group = s.region.securityGroups.find((g) => g.id === id);
  if (!group)
    throw notFound('InvalidSecurityGroupId.NotFound', 'The specified SecurityGroupId does not exist.');
  const direction = req.params['Direction'] ?? 'all';
  if (!['ingress', 'egress', 'all'].includes(direction)) {
    throw new SimApiError(
      400,
      'InvalidDirection.Malformed',
      'The specified parameter Direction is not valid.',
    );
  }
  const nicType = req.params['NicType'];
  const rules = group.rules.filter(
    (r) =>
      (direction === 'all' || r.direction === direction) && (nicType === undefined || nicType !== 'internet'),
  );
  const page = tokenPage(req, rules, {
    sizeParam: 'MaxResults',
    defaultSize: 500,
    minSize: 10,
    maxSize: 1000,
    scope: queryScope(req, ['MaxResults']),
  });
  return {
    RegionId: s.region.id,
    SecurityGroupId: group.id,
    SecurityGroupName: group.name,
    VpcId: group.vpcId,
    Description: '',
    InnerAccessPolicy: group.innerAccessPolicy,
    NextToken: page.nextToken,
    Permissions: { Permission: page.items.map((r) => permissionWire(s, group, r)) },
  };
}

export const ecsHandlers: HandlerTable = {
  DescribeInstances: scoped(describeInstances),
  DescribeSecurityGroups: scoped(describeSecurityGroups),
  DescribeSecurityGroupAttribute: scoped(describeSecurityGroupAttribute),
};
