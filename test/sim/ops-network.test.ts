// VPC network operations through the REAL SDK against the simulator: parsed model values, paging
// (PageNumber/PageSize, MaxResult/NextToken, string counts of DescribeNetworkAcls) and isolation.
import * as Vpc from '@alicloud/vpc20160428';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../src/sim/ops/index.js';
import { networkHandlers } from '../../src/sim/ops/network.js';
import { failure } from '../support/failure.js';
import { OPS_IDS as I, opsWorld } from '../support/ops-world.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

let sim: TestSimulator;
let vpc: ReturnType<TestSimulator['vpc']>;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: opsWorld() });
  vpc = sim.vpc(0, 'cn-hangzhou');
});
afterAll(async () => {
  await sim.close();
});

it('dispatches every network operation to its handler', () => {
  for (const [action, handler] of Object.entries(networkHandlers)) expect(handlers.vpc[action]).toBe(handler);
});

describe('DescribeVpcs', () => {
  it('pages with PageNumber/PageSize and fills the model', async () => {
    const p1 = await vpc.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou', pageSize: 2 }));
    const p2 = await vpc.describeVpcs(
      new Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou', pageSize: 2, pageNumber: 2 }),
    );
    expect([p1.body?.totalCount, p1.body?.pageNumber, p1.body?.pageSize]).toEqual([3, 1, 2]);
    expect(p2.body?.pageNumber).toBe(2);
    const all = [...(p1.body?.vpcs?.vpc ?? []), ...(p2.body?.vpcs?.vpc ?? [])];
    expect(all.map((v) => v.vpcId)).toEqual([I.vpcA, I.vpcB, I.vpcC]);
    const a = all[0]!;
    expect(a.vpcName).toBe('alpha');
    expect(a.cidrBlock).toBe('10.10.0.0/16');
    expect(a.secondaryCidrBlocks?.secondaryCidrBlock).toEqual(['10.99.0.0/16']);
    expect(a.VRouterId).toMatch(/^vrt-/);
    expect(a.vSwitchIds?.vSwitchId).toEqual([I.vswA1, I.vswA2]);
    expect(a.routerTableIds?.routerTableIds).toEqual(expect.arrayContaining([I.systemA, I.customA]));
    expect(a.status).toBe('Available');
    expect(a.ownerId).toBe(1234567890123456);
    expect(a.regionId).toBe('cn-hangzhou');
  });

  it('filters by a comma-separated VpcId list and stays within the account and region', async () => {
    const some = await vpc.describeVpcs(
      new Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou', vpcId: `${I.vpcA},${I.vpcC}` }),
    );
    expect(some.body?.vpcs?.vpc?.map((v) => v.vpcId)).toEqual([I.vpcA, I.vpcC]);
    const tokyo = await sim
      .vpc(0, 'ap-northeast-1')
      .describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: 'ap-northeast-1' }));
    expect(tokyo.body?.vpcs?.vpc?.map((v) => v.vpcId)).not.toContain(I.vpcA);
    const other = await sim.vpc(1).describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }));
    expect(other.body?.vpcs?.vpc?.map((v) => v.vpcId)).toEqual([I.otherVpc]);
  });
});

describe('DescribeVSwitches', () => {
  it('returns each vSwitch with its zone, ACL and effective route table', async () => {
    const res = await vpc.describeVSwitches(
      new Vpc.DescribeVSwitchesRequest({ regionId: 'cn-hangzhou', vpcId: I.vpcA }),
    );
    const [a1, a2] = res.body?.vSwitches?.vSwitch ?? [];
    expect(res.body?.totalCount).toBe(2);
    expect(a1).toMatchObject({
      vSwitchId: I.vswA1,
      vpcId: I.vpcA,
      zoneId: 'cn-hangzhou-h',
      cidrBlock: '10.10.1.0/24',
    });
    expect(a1?.networkAclId).toBe(I.aclA);
    expect(a1?.routeTable).toMatchObject({ routeTableId: I.systemA, routeTableType: 'System' });
    expect(a1?.availableIpAddressCount).toBe(256 - 4 - 3);
    expect(a2?.routeTable).toMatchObject({ routeTableId: I.customA, routeTableType: 'Custom' });
    expect(a2?.networkAclId).toBe('');
  });

  it('pages one at a time', async () => {
    const ids: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const res = await vpc.describeVSwitches(
        new Vpc.DescribeVSwitchesRequest({ regionId: 'cn-hangzhou', pageNumber: page, pageSize: 1 }),
      );
      expect(res.body?.totalCount).toBe(4);
      ids.push(...(res.body?.vSwitches?.vSwitch ?? []).map((s) => s.vSwitchId ?? ''));
    }
    expect(ids).toEqual([I.vswA1, I.vswA2, I.vswB1, I.vswC1]);
  });
});

describe('DescribeRouteTableList', () => {
  it('lists the System and Custom tables of a VPC with their vSwitches', async () => {
    const res = await vpc.describeRouteTableList(
      new Vpc.DescribeRouteTableListRequest({ regionId: 'cn-hangzhou', vpcId: I.vpcA }),
    );
    const tables = res.body?.routerTableList?.routerTableListType ?? [];
    expect(res.body?.totalCount).toBe(2);
    expect(tables.map((t) => [t.routeTableId, t.routeTableType, t.vSwitchIds?.vSwitchId])).toEqual([
      [I.systemA, 'System', [I.vswA1]],
      [I.customA, 'Custom', [I.vswA2]],
    ]);
    expect(tables[0]).toMatchObject({
      vpcId: I.vpcA,
      routerType: 'VRouter',
      status: 'Available',
      ownerId: 1234567890123456,
    });
    expect(tables[0]?.routerId).toMatch(/^vrt-/);
    expect(tables[1]?.routeTableName).toBe('custom-a2');
  });

  it('filters by type and pages', async () => {
    const custom = await vpc.describeRouteTableList(
      new Vpc.DescribeRouteTableListRequest({ regionId: 'cn-hangzhou', routeTableType: 'Custom' }),
    );
    expect(custom.body?.routerTableList?.routerTableListType?.map((t) => t.routeTableId)).toEqual([
      I.customA,
    ]);
    const page2 = await vpc.describeRouteTableList(
      new Vpc.DescribeRouteTableListRequest({ regionId: 'cn-hangzhou', pageSize: 3, pageNumber: 2 }),
    );
    expect(page2.body?.totalCount).toBe(4);
    expect(page2.body?.routerTableList?.routerTableListType).toHaveLength(1);
  });
});

describe('DescribeRouteEntryList', () => {
  async function allEntries(routeTableId: string, extra: Partial<Vpc.DescribeRouteEntryListRequest> = {}) {
    const entries: Vpc.DescribeRouteEntryListResponseBodyRouteEntrysRouteEntry[] = [];
    const tokens: string[] = [];
    let token: string | undefined;
    do {
      const res = await vpc.describeRouteEntryList(
        new Vpc.DescribeRouteEntryListRequest({
          regionId: 'cn-hangzhou',
          routeTableId,
          maxResult: 2,
          ...extra,
          ...(token ? { nextToken: token } : {}),
        }),
      );
      entries.push(...(res.body?.routeEntrys?.routeEntry ?? []));
      token = res.body?.nextToken || undefined;
      if (token) tokens.push(token);
    } while (token);
    return { entries, tokens };
  }

  it('pages with MaxResult/NextToken through vSwitch, custom and published VPN routes', async () => {
    const { entries, tokens } = await allEntries(I.systemA);
    expect(tokens).toHaveLength(2);
    const view = entries.map((e) => [
      e.destinationCidrBlock,
      e.type,
      e.nextHops?.nextHop?.[0]?.nextHopType,
      e.nextHops?.nextHop?.[0]?.nextHopId,
    ]);
    expect(view).toEqual([
      ['10.10.1.0/24', 'System', 'local', ''],
      ['10.10.2.0/24', 'System', 'local', ''],
      ['10.50.0.0/16', 'Custom', 'Instance', 'i-bp1opsrouter000000001'],
      ['192.168.0.0/16', 'Custom', 'VpnGateway', I.gateway],
      ['192.169.0.0/16', 'Custom', 'VpnGateway', I.gateway],
    ]);
    // The unpublished VPN route (172.16.0.0/12) does not reach the VPC.
    expect(entries.every((e) => e.routeTableId === I.systemA && e.status === 'Available')).toBe(true);
    expect(entries[0]?.routeEntryId).toMatch(/^rte-/);
  });

  it('a Custom table gets no VPN routes; filters by next hop type', async () => {
    const custom = await allEntries(I.customA);
    expect(custom.entries.map((e) => e.destinationCidrBlock)).toEqual([
      '10.10.1.0/24',
      '10.10.2.0/24',
      '0.0.0.0/0',
    ]);
    expect(custom.entries[2]?.nextHops?.nextHop?.[0]?.nextHopType).toBe('NatGateway');
    const vpn = await allEntries(I.systemA, { nextHopType: 'VpnGateway' });
    expect(vpn.entries.map((e) => e.destinationCidrBlock)).toEqual(['192.168.0.0/16', '192.169.0.0/16']);
  });

  it('rejects an unknown table and a foreign token', async () => {
    const missing = await failure(
      vpc.describeRouteEntryList(
        new Vpc.DescribeRouteEntryListRequest({ regionId: 'cn-hangzhou', routeTableId: 'vtb-nope' }),
      ),
    );
    expect(missing).toMatchObject({ code: 'InvalidRouteTableId.NotFound', statusCode: 404 });
    const { tokens } = await allEntries(I.systemA);
    const foreign = await failure(
      vpc.describeRouteEntryList(
        new Vpc.DescribeRouteEntryListRequest({
          regionId: 'cn-hangzhou',
          routeTableId: I.customA,
          nextToken: tokens[0]!,
        }),
      ),
    );
    expect(foreign).toMatchObject({ code: 'InvalidNextToken', statusCode: 400 });
  });
});

describe('DescribeNetworkAcls / DescribeNetworkAclAttributes', () => {
  it('pages with string PageNumber/PageSize/TotalCount and returns the entries in order', async () => {
    const p1 = await vpc.describeNetworkAcls(
      new Vpc.DescribeNetworkAclsRequest({ regionId: 'cn-hangzhou', pageSize: 2 }),
    );
    const p2 = await vpc.describeNetworkAcls(
      new Vpc.DescribeNetworkAclsRequest({ regionId: 'cn-hangzhou', pageSize: 2, pageNumber: 2 }),
    );
    expect([p1.body?.totalCount, p1.body?.pageNumber, p1.body?.pageSize]).toEqual(['3', '1', '2']);
    expect(p1.body?.toMap()).toMatchObject({ TotalCount: '3', PageNumber: '1', PageSize: '2' });
    const acls = [...(p1.body?.networkAcls?.networkAcl ?? []), ...(p2.body?.networkAcls?.networkAcl ?? [])];
    expect(acls.map((a) => a.networkAclId)).toEqual([I.aclA, I.aclB, I.aclC]);
    const a = acls[0]!;
    expect(a.resources?.resource).toEqual([
      expect.objectContaining({ resourceId: I.vswA1, resourceType: 'VSwitch', status: 'BINDED' }),
    ]);
    expect(
      a.ingressAclEntries?.ingressAclEntry?.map((e) => [
        e.networkAclEntryName,
        e.policy,
        e.protocol,
        e.port,
        e.sourceCidrIp,
      ]),
    ).toEqual([
      ['ike', 'accept', 'udp', '500/500', '203.0.113.10/32'],
      ['deny-rest', 'drop', 'all', '-1/-1', '0.0.0.0/0'],
    ]);
    expect(a.egressAclEntries?.egressAclEntry?.[0]).toMatchObject({
      policy: 'accept',
      destinationCidrIp: '0.0.0.0/0',
    });
  });

  it('filters by the bound vSwitch and describes one ACL', async () => {
    const byVsw = await vpc.describeNetworkAcls(
      new Vpc.DescribeNetworkAclsRequest({
        regionId: 'cn-hangzhou',
        resourceId: I.vswB1,
        resourceType: 'VSwitch',
      }),
    );
    expect(byVsw.body?.networkAcls?.networkAcl?.map((a) => a.networkAclId)).toEqual([I.aclB]);
    const attr = await vpc.describeNetworkAclAttributes(
      new Vpc.DescribeNetworkAclAttributesRequest({ regionId: 'cn-hangzhou', networkAclId: I.aclA }),
    );
    const acl = attr.body?.networkAclAttribute;
    expect(acl?.networkAclName).toBe('acl-a');
    expect(acl?.vpcId).toBe(I.vpcA);
    expect(acl?.ingressAclEntries?.ingressAclEntry?.[1]?.policy).toBe('drop');
    const missing = await failure(
      vpc.describeNetworkAclAttributes(
        new Vpc.DescribeNetworkAclAttributesRequest({ regionId: 'cn-hangzhou', networkAclId: 'nacl-nope' }),
      ),
    );
    expect(missing).toMatchObject({ code: 'InvalidNetworkAcl.NotFound', statusCode: 404 });
  });
});
