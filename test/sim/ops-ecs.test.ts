// ECS operations through the REAL SDK against the simulator: instances and security groups with
// MaxResults/NextToken paging across pages, filters, and the permission model values.
import * as Ecs from '@alicloud/ecs20140526';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsHandlers } from '../../src/sim/ops/ecs.js';
import { handlers } from '../../src/sim/ops/index.js';
import { failure } from '../support/failure.js';
import { OPS_IDS as I, opsWorld } from '../support/ops-world.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

let sim: TestSimulator;
let ecs: ReturnType<TestSimulator['ecs']>;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: opsWorld() });
  ecs = sim.ecs(0, 'cn-hangzhou');
});
afterAll(async () => {
  await sim.close();
});

it('dispatches every ECS operation to its handler', () => {
  for (const [action, handler] of Object.entries(ecsHandlers)) expect(handlers.ecs[action]).toBe(handler);
});

describe('DescribeInstances', () => {
  it('pages with MaxResults/NextToken and fills VPC attributes, ENIs and security groups', async () => {
    const seen: Ecs.DescribeInstancesResponseBodyInstancesInstance[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await ecs.describeInstances(
        new Ecs.DescribeInstancesRequest({
          regionId: 'cn-hangzhou',
          vpcId: I.vpcA,
          maxResults: 2,
          ...(token ? { nextToken: token } : {}),
        }),
      );
      pages++;
      expect(res.body?.totalCount).toBe(5);
      seen.push(...(res.body?.instances?.instance ?? []));
      token = res.body?.nextToken || undefined;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.map((i) => i.instanceId)).toEqual([0, 1, 2, 3, 4].map((n) => `i-bp1opsinst00000000000${n}`));
    const first = seen[0]!;
    expect(first.instanceName).toBe('app-0');
    expect(first.status).toBe('Running');
    expect(first.zoneId).toBe('cn-hangzhou-h');
    expect(first.vpcAttributes?.vpcId).toBe(I.vpcA);
    expect(first.vpcAttributes?.vSwitchId).toBe(I.vswA1);
    expect(first.vpcAttributes?.privateIpAddress?.ipAddress).toEqual(['10.10.1.10']);
    expect(first.securityGroupIds?.securityGroupId).toEqual([I.sgA]);
    const eni = first.networkInterfaces?.networkInterface?.[0];
    expect(eni?.primaryIpAddress).toBe('10.10.1.10');
    expect(eni?.networkInterfaceId).toMatch(/^eni-/);
    expect(eni?.privateIpSets?.privateIpSet?.[0]).toMatchObject({
      privateIpAddress: '10.10.1.10',
      primary: true,
    });
  });

  it('filters by vSwitch, JSON id lists, private IPs and status; rejects a malformed list', async () => {
    const req = (o: Partial<Ecs.DescribeInstancesRequest>) =>
      ecs.describeInstances(
        new Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', maxResults: 100, ...o }),
      );
    const ids = async (o: Partial<Ecs.DescribeInstancesRequest>) =>
      (await req(o)).body?.instances?.instance?.map((i) => i.instanceId);
    expect(await ids({ vSwitchId: I.vswA2 })).toEqual([
      'i-bp1opsinst000000000003',
      'i-bp1opsinst000000000004',
    ]);
    expect(await ids({ instanceIds: JSON.stringify(['i-bp1opsinst000000000001', 'i-nope']) })).toEqual([
      'i-bp1opsinst000000000001',
    ]);
    expect(await ids({ privateIpAddresses: JSON.stringify(['10.10.2.14']) })).toEqual([
      'i-bp1opsinst000000000004',
    ]);
    expect(await ids({ status: 'Stopped' })).toEqual(['i-bp1opsinstb0000000001']);
    expect(await ids({ securityGroupId: I.sgB })).toEqual(['i-bp1opsinstb0000000001']);
    const bad = await failure(req({ instanceIds: 'i-not-json' }));
    expect(bad).toMatchObject({ code: 'InvalidInstanceIds.Malformed', statusCode: 400 });
  });

  it('still answers the older PageNumber/PageSize style', async () => {
    const res = await ecs.describeInstances(
      new Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', pageNumber: 2, pageSize: 4 }),
    );
    expect([res.body?.totalCount, res.body?.pageNumber, res.body?.pageSize]).toEqual([6, 2, 4]);
    expect(res.body?.instances?.instance?.map((i) => i.instanceId)).toEqual([
      'i-bp1opsinst000000000004',
      'i-bp1opsinstb0000000001',
    ]);
  });
});

describe('DescribeSecurityGroups', () => {
  it('lists groups with MaxResults/NextToken and filters by VPC', async () => {
    const p1 = await ecs.describeSecurityGroups(
      new Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', maxResults: 1 }),
    );
    expect(p1.body?.totalCount).toBe(2);
    expect(p1.body?.regionId).toBe('cn-hangzhou');
    const sg = p1.body?.securityGroups?.securityGroup?.[0];
    expect(sg).toMatchObject({
      securityGroupId: I.sgA,
      securityGroupName: 'sg-a',
      vpcId: I.vpcA,
      securityGroupType: 'normal',
    });
    expect(sg?.ruleCount).toBe(23);
    const p2 = await ecs.describeSecurityGroups(
      new Ecs.DescribeSecurityGroupsRequest({
        regionId: 'cn-hangzhou',
        maxResults: 1,
        nextToken: p1.body?.nextToken,
      }),
    );
    expect(p2.body?.securityGroups?.securityGroup?.map((g) => g.securityGroupId)).toEqual([I.sgB]);
    expect(p2.body?.nextToken).toBe('');
    const inB = await ecs.describeSecurityGroups(
      new Ecs.DescribeSecurityGroupsRequest({
        regionId: 'cn-hangzhou',
        vpcId: I.vpcB,
        isQueryEcsCount: true,
      }),
    );
    expect(inB.body?.securityGroups?.securityGroup?.map((g) => [g.securityGroupId, g.ecsCount])).toEqual([
      [I.sgB, 1],
    ]);
  });
});

describe('DescribeSecurityGroupAttribute', () => {
  it('pages the permissions with MaxResults/NextToken and keeps the wire values', async () => {
    const perms: Ecs.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission[] = [];
    let token: string | undefined;
    let pages = 0;
    let head: Ecs.DescribeSecurityGroupAttributeResponseBody | undefined;
    do {
      const res = await ecs.describeSecurityGroupAttribute(
        new Ecs.DescribeSecurityGroupAttributeRequest({
          regionId: 'cn-hangzhou',
          securityGroupId: I.sgA,
          maxResults: 10,
          ...(token ? { nextToken: token } : {}),
        }),
      );
      head ??= res.body;
      pages++;
      perms.push(...(res.body?.permissions?.permission ?? []));
      token = res.body?.nextToken || undefined;
    } while (token);
    expect(pages).toBe(3);
    expect(perms).toHaveLength(23);
    expect(head).toMatchObject({
      securityGroupId: I.sgA,
      securityGroupName: 'sg-a',
      vpcId: I.vpcA,
      innerAccessPolicy: 'Accept',
    });
    expect(perms[0]).toMatchObject({
      direction: 'ingress',
      policy: 'Accept',
      priority: '1',
      ipProtocol: 'UDP',
      portRange: '1000/1000',
      sourceCidrIp: '192.168.0.0/24',
      destCidrIp: '',
      nicType: 'intranet',
      description: 'rule 0',
    });
    expect(perms[1]).toMatchObject({ direction: 'egress', destCidrIp: '192.168.1.0/24', sourceCidrIp: '' });
    expect(perms[22]).toMatchObject({ policy: 'Drop', priority: '23' });
    expect(perms[0]?.securityGroupRuleId).toMatch(/^sgr-/);
  });

  it('filters by direction and rejects an unknown group or a bad page size', async () => {
    const ingress = await ecs.describeSecurityGroupAttribute(
      new Ecs.DescribeSecurityGroupAttributeRequest({
        regionId: 'cn-hangzhou',
        securityGroupId: I.sgA,
        direction: 'ingress',
      }),
    );
    const list = ingress.body?.permissions?.permission ?? [];
    expect(list).toHaveLength(12);
    expect(list.every((p) => p.direction === 'ingress')).toBe(true);
    const drop = await ecs.describeSecurityGroupAttribute(
      new Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: I.sgB }),
    );
    expect(drop.body?.innerAccessPolicy).toBe('Drop');
    expect(drop.body?.permissions?.permission).toEqual([]);
    await expect(
      ecs.describeSecurityGroupAttribute(
        new Ecs.DescribeSecurityGroupAttributeRequest({
          regionId: 'cn-hangzhou',
          securityGroupId: 'sg-nope',
        }),
      ),
    ).rejects.toMatchObject({ code: 'InvalidSecurityGroupId.NotFound', statusCode: 404 });
    await expect(
      ecs.describeSecurityGroupAttribute(
        new Ecs.DescribeSecurityGroupAttributeRequest({
          regionId: 'cn-hangzhou',
          securityGroupId: I.sgA,
          maxResults: 5,
        }),
      ),
    ).rejects.toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
  });
});
