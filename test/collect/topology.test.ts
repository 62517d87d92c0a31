import { afterEach, describe, expect, it } from 'vitest';
import { collectTopology } from '../../src/collect/topology.js';
import { connection, tunnel } from '../fixtures/snapshot.js';
import { type FakeRegion, fail, fakeRegion, type Handler, ok, page } from './fake-region.js';

let region: FakeRegion | undefined;
afterEach(async () => {
  await region?.close();
  region = undefined;
});

const aclEntries = {
  IngressAclEntries: {
    IngressAclEntry: [
      {
        NetworkAclEntryName: 'in',
        Policy: 'accept',
        Protocol: 'all',
        Port: '-1/-1',
        SourceCidrIp: '0.0.0.0/0',
        EntryType: 'custom',
      },
    ],
  },
  EgressAclEntries: {
    EgressAclEntry: [
      {
        NetworkAclEntryName: 'out',
        Policy: 'accept',
        Protocol: 'all',
        Port: '-1/-1',
        DestinationCidrIp: '0.0.0.0/0',
        EntryType: 'custom',
      },
    ],
  },
};

function handlers(): Record<string, Handler> {
  const gateways = [
    {
      VpnGatewayId: 'vpn-1',
      VpcId: 'vpc-1',
      VSwitchId: 'vsw-1',
      Status: 'active',
      BusinessStatus: 'Normal',
      InternetIp: '47.0.0.1',
      EnableBgp: false,
    },
    { VpnGatewayId: 'vpn-unwatched', VpcId: 'vpc-9', Status: 'active' },
  ];
  const entries = Array.from({ length: 130 }, (_, i) => ({
    DestinationCidrBlock: `10.${i}.0.0/24`,
    Status: 'Available',
    Type: 'Custom',
    NextHops: { NextHop: [{ NextHopType: 'VpnGateway', NextHopId: 'vpn-1' }] },
  }));
  return {
    DescribeVpnGateways: (c) => {
      const p = page(c, gateways);
      return ok({ TotalCount: p.total, VpnGateways: { VpnGateway: p.items } });
    },
    DescribeCustomerGateways: () =>
      ok({
        TotalCount: 2,
        CustomerGateways: {
          CustomerGateway: [
            { CustomerGatewayId: 'cgw-bp1cgw000000000001', IpAddress: '203.0.113.10', Asn: 65001 },
            { CustomerGatewayId: 'cgw-other', IpAddress: '1.1.1.1' },
          ],
        },
      }),
    DescribeVpnRouteEntries: (c) =>
      ok({
        TotalCount: 1,
        VpnRouteEntries: {
          VpnRouteEntry: [
            {
              RouteDest: '192.168.0.0/16',
              NextHop: 'vco-bp1conn00000000001',
              State: 'published',
              Weight: 100,
              RouteEntryType: c.query.RouteEntryType,
            },
          ],
        },
      }),
    DescribeVpnPbrRouteEntries: () => ok({ TotalCount: 0, VpnPbrRouteEntries: { VpnPbrRouteEntry: [] } }),
    DescribeVpcs: (c) =>
      ok({
        TotalCount: 1,
        Vpcs: {
          Vpc: [{ VpcId: c.query.VpcId, VpcName: 'main', CidrBlock: '10.0.0.0/16', VRouterId: 'vrt-1' }],
        },
      }),
    DescribeVSwitches: () =>
      ok({
        TotalCount: 2,
        VSwitches: {
          VSwitch: [
            { VSwitchId: 'vsw-1', VpcId: 'vpc-1', ZoneId: 'z-a', CidrBlock: '10.0.1.0/24' },
            {
              VSwitchId: 'vsw-2',
              VpcId: 'vpc-1',
              ZoneId: 'z-b',
              CidrBlock: '10.0.2.0/24',
              NetworkAclId: 'nacl-2',
            },
          ],
        },
      }),
    DescribeRouteTableList: () =>
      ok({
        TotalCount: 1,
        RouterTableList: {
          RouterTableListType: [
            {
              RouteTableId: 'vtb-1',
              VpcId: 'vpc-1',
              RouteTableType: 'System',
              VSwitchIds: { VSwitchId: [] },
            },
          ],
        },
      }),
    DescribeRouteEntryList: (c) => {
      const start = Number(c.query.NextToken ?? '0');
      const max = Number(c.query.MaxResult);
      const next = start + max < entries.length ? String(start + max) : '';
      return ok({ RouteEntrys: { RouteEntry: entries.slice(start, start + max) }, NextToken: next });
    },
    DescribeNetworkAcls: () =>
      ok({
        TotalCount: '2',
        PageNumber: '1',
        PageSize: '50',
        NetworkAcls: {
          NetworkAcl: [
            {
              NetworkAclId: 'nacl-1',
              VpcId: 'vpc-1',
              Resources: { Resource: [{ ResourceId: 'vsw-1', ResourceType: 'VSwitch' }] },
              ...aclEntries,
            },
            { NetworkAclId: 'nacl-2', VpcId: 'vpc-1' },
          ],
        },
      }),
    DescribeNetworkAclAttributes: (c) =>
      ok({
        NetworkAclAttribute: {
          NetworkAclId: c.query.NetworkAclId,
          VpcId: 'vpc-1',
          Resources: { Resource: [{ ResourceId: 'vsw-2', ResourceType: 'VSwitch' }] },
          ...aclEntries,
        },
      }),
    DescribeInstances: (c) =>
      c.query.NextToken
        ? ok({
            NextToken: '',
            Instances: {
              Instance: [
                {
                  InstanceId: 'i-2',
                  Status: 'Running',
                  SecurityGroupIds: { SecurityGroupId: ['sg-2'] },
                  VpcAttributes: { VpcId: 'vpc-1', VSwitchId: 'vsw-2' },
                },
              ],
            },
          })
        : ok({
            NextToken: 'tok-2',
            Instances: {
              Instance: [
                {
                  InstanceId: 'i-1',
                  Status: 'Running',
                  SecurityGroupIds: { SecurityGroupId: ['sg-1', 'sg-2'] },
                  VpcAttributes: {
                    VpcId: 'vpc-1',
                    VSwitchId: 'vsw-1',
                    PrivateIpAddress: { IpAddress: ['10.0.1.10'] },
                  },
                },
              ],
            },
          }),
    DescribeSecurityGroupAttribute: (c) =>
      ok({
        SecurityGroupId: c.query.SecurityGroupId,
        SecurityGroupName: `name-${c.query.SecurityGroupId}`,
        VpcId: 'vpc-1',
        NextToken: '',
        Permissions: {
          Permission: [
            {
              Direction: 'ingress',
              Policy: 'Accept',
              Priority: '1',
              IpProtocol: 'ALL',
              PortRange: '-1/-1',
              SourceCidrIp: '192.168.0.0/16',
            },
          ],
        },
      }),
  };
}

const watched = [connection({ tunnels: [tunnel({ index: 1 }), tunnel({ index: 2 })] })].map((c) => ({
  ...c,
  vpnGatewayId: 'vpn-1',
}));

describe('collectTopology', () => {
  it('reads the topology of the watched gateways and their VPC only', async () => {
    region = await fakeRegion(handlers());
    const result = await collectTopology(region.api, watched);
    expect(result.error).toBeUndefined();
    expect(result.complete).toBe(true);
    const t = result.data;
    expect(t.gateways.map((g) => g.id)).toEqual(['vpn-1']);
    expect(t.customerGateways).toEqual([
      { id: 'cgw-bp1cgw000000000001', name: '', ip: '203.0.113.10', asn: 65001 },
    ]);
    expect(t.vpnRoutes.map((r) => [r.kind, r.dest, r.state])).toEqual([
      ['custom', '192.168.0.0/16', 'published'],
    ]);
    expect(t.vpcs.map((v) => [v.id, v.cidrBlocks])).toEqual([['vpc-1', ['10.0.0.0/16']]]);
    expect(t.vswitches.map((v) => [v.id, v.networkAclId])).toEqual([
      ['vsw-1', 'nacl-1'],
      ['vsw-2', 'nacl-2'],
    ]);
    expect(t.routeTables[0]?.entries).toHaveLength(130);
    expect(t.networkAcls.map((a) => [a.id, a.vswitchIds, a.ingress.length, a.egress.length])).toEqual([
      ['nacl-1', ['vsw-1'], 1, 1],
      ['nacl-2', ['vsw-2'], 1, 1],
    ]);
    expect(t.instances.map((i) => [i.id, i.securityGroupIds])).toEqual([
      ['i-1', ['sg-1', 'sg-2']],
      ['i-2', ['sg-2']],
    ]);
    expect(t.securityGroups.map((g) => [g.id, g.name, g.rules.length])).toEqual([
      ['sg-1', 'name-sg-1', 1],
      ['sg-2', 'name-sg-2', 1],
    ]);
    // No BGP on this gateway: only custom routes are asked for; only the watched VPC is read.
    const calls = region.fake.calls;
    expect(
      calls.filter((c) => c.action === 'DescribeVpnRouteEntries').map((c) => c.query.RouteEntryType),
    ).toEqual(['custom']);
    expect(calls.filter((c) => c.action === 'DescribeVpcs').map((c) => c.query.VpcId)).toEqual(['vpc-1']);
    expect(
      calls
        .filter((c) => c.action === 'DescribeRouteEntryList')
        .map((c) => [c.query.MaxResult, c.query.NextToken]),
    ).toEqual([
      ['100', undefined],
      ['100', '100'],
    ]);
    expect(
      calls.filter((c) => c.action === 'DescribeNetworkAclAttributes').map((c) => c.query.NetworkAclId),
    ).toEqual(['nacl-2']);
    expect(calls.filter((c) => c.action === 'DescribeSecurityGroupAttribute')).toHaveLength(2);
    expect(calls.every((c) => c.query.RegionId === 'cn-hangzhou')).toBe(true);
  });

  it('keeps what succeeded and reports every failed part when some calls fail', async () => {
    region = await fakeRegion({
      ...handlers(),
      DescribeInstances: () =>
        fail(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource.'),
      DescribeVpnPbrRouteEntries: () => fail(503, 'ServiceUnavailable'),
    });
    const result = await collectTopology(region.api, watched);
    expect(result.complete).toBe(false);
    expect(result.error).toMatch(/DescribeInstances: Forbidden\.RAM/);
    expect(result.error).toMatch(/DescribeVpnPbrRouteEntries: ServiceUnavailable/);
    expect(result.data.instances).toEqual([]);
    expect(result.data.securityGroups).toEqual([]);
    expect(result.data.gateways).toHaveLength(1);
    expect(result.data.routeTables).toHaveLength(1);
    expect(result.data.vpnRoutes).toHaveLength(1);
  });

  it('makes no calls and is complete for a region without connections', async () => {
    region = await fakeRegion(handlers());
    const result = await collectTopology(region.api, []);
    expect(result.complete).toBe(true);
    expect(region.fake.calls).toHaveLength(0);
  });
});
