// A world for the network/ECS/CloudMonitor operation tests: enough VPCs, vSwitches, ACLs, groups,
// rules and instances to page through, a Custom route table, an unpublished VPN route, a second
// region and a second account (isolation), and a timeline that takes both tunnels down and back.
import { expandScenario } from '../../src/sim/world/expand.js';
import { scenarioSchema } from '../../src/sim/world/schema.js';
import type { World } from '../../src/sim/world/types.js';

export const OPS_IDS = {
  vpcA: 'vpc-bp1opsa0000000000001',
  vpcB: 'vpc-bp1opsb0000000000001',
  vpcC: 'vpc-bp1opsc0000000000001',
  vswA1: 'vsw-bp1opsa1000000000001',
  vswA2: 'vsw-bp1opsa2000000000001',
  vswB1: 'vsw-bp1opsb1000000000001',
  vswC1: 'vsw-bp1opsc1000000000001',
  systemA: 'vtb-bp1opssysa00000000001',
  customA: 'vtb-bp1opscusa00000000001',
  aclA: 'nacl-bp1opsa00000000000001',
  aclB: 'nacl-bp1opsb00000000000001',
  aclC: 'nacl-bp1opsc00000000000001',
  sgA: 'sg-bp1opsa000000000000001',
  sgB: 'sg-bp1opsb000000000000001',
  gateway: 'vpn-bp1opsgw0000000000001',
  cgw: 'cgw-bp1opsdc0000000000001',
  connection: 'vco-bp1opsconn000000000001',
  otherConnection: 'vco-bp1opsconn000000000002',
  otherVpc: 'vpc-bp1other00000000000001',
} as const;

export const OPS_KEY = { accessKeyId: 'LTAI5tOpsTest000000001', accessKeySecret: 'OpsTestSecret000000001' };
export const OTHER_KEY = { accessKeyId: 'LTAI5tOpsOther00000001', accessKeySecret: 'OpsOtherSecret00000001' };

const I = OPS_IDS;

export function opsWorld(): World {
  const sgRules = Array.from({ length: 23 }, (_, n) => ({
    direction: n % 2 === 0 ? ('ingress' as const) : ('egress' as const),
    policy: n === 22 ? ('drop' as const) : ('accept' as const),
    priority: (n % 100) + 1,
    protocol: 'udp' as const,
    portRange: `${1000 + n}/${1000 + n}`,
    cidr: `192.168.${n}.0/24`,
    description: `rule ${n}`,
  }));
  return expandScenario(
    scenarioSchema.parse({
      name: 'ops-test',
      timeline: [
        { at: 600, fail: { connection: I.connection, tunnel: 1, cause: 'PskMismatch' } },
        { at: 900, fail: { connection: I.connection, tunnel: 2, cause: 'TrafficSelectorMismatch' } },
        { at: 1200, recover: { connection: I.connection, tunnel: 1 } },
        { at: 1300, recover: { connection: I.connection, tunnel: 2 } },
      ],
      accounts: [
        {
          name: 'ops',
          uid: '1234567890123456',
          accessKeys: [{ id: OPS_KEY.accessKeyId, secret: OPS_KEY.accessKeySecret }],
          regions: {
            'cn-hangzhou': {
              vpcs: [
                { id: I.vpcA, name: 'alpha', cidr: '10.10.0.0/16', secondaryCidrs: ['10.99.0.0/16'] },
                { id: I.vpcB, name: 'beta', cidr: '10.20.0.0/16' },
                { id: I.vpcC, name: 'gamma', cidr: '10.30.0.0/16' },
              ],
              vswitches: [
                { id: I.vswA1, name: 'a1', vpc: I.vpcA, zone: 'cn-hangzhou-h', cidr: '10.10.1.0/24' },
                { id: I.vswA2, name: 'a2', vpc: I.vpcA, zone: 'cn-hangzhou-i', cidr: '10.10.2.0/24' },
                { id: I.vswB1, name: 'b1', vpc: I.vpcB, zone: 'cn-hangzhou-h', cidr: '10.20.1.0/24' },
                { id: I.vswC1, name: 'c1', vpc: I.vpcC, zone: 'cn-hangzhou-i', cidr: '10.30.1.0/24' },
              ],
              routeTables: [
                {
                  id: I.systemA,
                  vpc: I.vpcA,
                  type: 'System',
                  entries: [{ dest: '10.50.0.0/16', nextHop: 'i-bp1opsrouter000000001' }],
                },
                {
                  id: I.customA,
                  name: 'custom-a2',
                  vpc: I.vpcA,
                  type: 'Custom',
                  vswitches: [I.vswA2],
                  entries: [{ dest: '0.0.0.0/0', nextHop: 'ngw-bp1opsnat0000000001' }],
                },
              ],
              networkAcls: [
                {
                  id: I.aclA,
                  name: 'acl-a',
                  vpc: I.vpcA,
                  vswitches: [I.vswA1],
                  ingress: [
                    {
                      name: 'ike',
                      policy: 'accept',
                      protocol: 'udp',
                      port: '500/500',
                      cidr: '203.0.113.10/32',
                    },
                    { name: 'deny-rest', policy: 'drop', cidr: '0.0.0.0/0' },
                  ],
                  egress: [{ name: 'out', policy: 'accept', cidr: '0.0.0.0/0' }],
                },
                { id: I.aclB, name: 'acl-b', vpc: I.vpcB, vswitches: [I.vswB1] },
                { id: I.aclC, name: 'acl-c', vpc: I.vpcC, vswitches: [I.vswC1] },
              ],
              securityGroups: [
                { id: I.sgA, name: 'sg-a', vpc: I.vpcA, rules: sgRules },
                { id: I.sgB, name: 'sg-b', vpc: I.vpcB, innerAccessPolicy: 'Drop' },
              ],
              instances: [
                ...Array.from({ length: 5 }, (_, n) => ({
                  id: `i-bp1opsinst00000000000${n}`,
                  name: `app-${n}`,
                  vswitch: n < 3 ? I.vswA1 : I.vswA2,
                  ip: n < 3 ? `10.10.1.${10 + n}` : `10.10.2.${10 + n}`,
                  securityGroups: [I.sgA],
                })),
                {
                  id: 'i-bp1opsinstb0000000001',
                  vswitch: I.vswB1,
                  securityGroups: [I.sgB],
                  status: 'Stopped',
                },
              ],
              gateways: [{ id: I.gateway, name: 'ops-gw', vpc: I.vpcA, vswitch: I.vswA1 }],
              customerGateways: [{ id: I.cgw, name: 'dc', ip: '203.0.113.10', asn: 65010 }],
              connections: [
                {
                  id: I.connection,
                  name: 'ops-conn',
                  gateway: I.gateway,
                  customerGateway: I.cgw,
                  remoteSubnet: ['192.168.0.0/16', '172.16.0.0/12'],
                  routes: [{ dest: '192.168.0.0/16' }, { dest: '172.16.0.0/12', published: false }],
                  traffic: { rxBps: 8_000_000, txBps: 4_000_000 },
                },
                {
                  id: I.otherConnection,
                  name: 'ops-conn-2',
                  gateway: I.gateway,
                  customerGateway: I.cgw,
                  remoteSubnet: '192.169.0.0/16',
                  traffic: { rxBps: 1_000_000, txBps: 500_000 },
                },
              ],
            },
            'ap-northeast-1': {},
          },
        },
        {
          name: 'other',
          accessKeys: [{ id: OTHER_KEY.accessKeyId, secret: OTHER_KEY.accessKeySecret }],
          regions: { 'cn-hangzhou': { vpcs: [{ id: I.otherVpc, name: 'other', cidr: '10.40.0.0/16' }] } },
        },
      ],
    }),
  );
}
