// Rule-level tests: the routing rules fire through the real engine and stay silent on near misses.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import type { Connection, Snapshot, Topology, VpcRouteEntry, VpnRoute } from '../../src/model/snapshot.js';
import {
  ADDR,
  connection,
  healthySnapshot,
  IDS,
  snapshotWith,
  topology,
  tunnel,
} from '../fixtures/snapshot.js';

const ROUTING_RULES = [
  'vpn-route-missing',
  'vpn-route-not-published',
  'vpc-route-missing',
  'route-conflict',
  'cidr-overlap',
];

const entry = (dest: string, nextHopType: string, nextHopId: string): VpcRouteEntry => ({
  dest,
  nextHopType,
  nextHopId,
  status: 'Available',
  type: 'Custom',
});

const vpnRoute = (o: Partial<VpnRoute>): VpnRoute => ({
  vpnGatewayId: IDS.gateway,
  kind: 'custom',
  dest: ADDR.onPrem,
  source: null,
  nextHop: IDS.connection,
  nextHopTunnelId: null,
  state: 'published',
  weight: 100,
  priority: null,
  ...o,
});

/** The healthy topology with the System table's VPN entries replaced by `extra`. */
function systemEntries(extra: VpcRouteEntry[], overrides: Partial<Topology> = {}): Topology {
  const t = topology(overrides);
  const system = t.routeTables[0]!;
  system.entries = [...system.entries.filter((e) => e.nextHopType !== 'VpnGateway'), ...extra];
  return t;
}

const run = (topo: Topology | null, conn: Connection = connection()): Snapshot =>
  snapshotWith({ connections: [conn], topology: topo });
const fired = (s: Snapshot, rule: string) => diagnose(s).findings.filter((f) => f.rule === rule);
const downConnection = () =>
  connection({
    tunnels: [
      tunnel({ index: 1, status: 'ike_sa_not_established' }),
      tunnel({ index: 2, status: 'ike_sa_not_established' }),
    ],
  });

describe('healthy', () => {
  it('the healthy snapshot has no routing finding and an ok routing layer', () => {
    const d = diagnose(healthySnapshot());
    expect(d.findings.filter((f) => ROUTING_RULES.includes(f.rule))).toEqual([]);
    expect(d.ladders.every((l) => l.layers.find((x) => x.layer === 'routing')?.state === 'ok')).toBe(true);
  });
  it('without topology the routing rules are silent and the layer is unknown', () => {
    const d = diagnose(run(null, connection({ remoteSubnets: ['172.16.0.0/12'] })));
    expect(d.findings.filter((f) => ROUTING_RULES.includes(f.rule))).toEqual([]);
    expect(d.ladders[0]?.layers.find((x) => x.layer === 'routing')?.state).toBe('unknown');
  });
});

describe('vpn-route-missing', () => {
  it('fires for an on-prem CIDR with no VPN route, naming gateway, CIDR and connection', () => {
    const s = run(topology(), connection({ remoteSubnets: [ADDR.onPrem, '172.16.0.0/12'] }));
    const [f, ...rest] = fired(s, 'vpn-route-missing');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', layer: 'routing', tunnelId: null });
    expect(f?.text.en.remediation).toContain(
      `On Alibaba Cloud, add a destination-based route on VPN gateway ${IDS.gateway} for 172.16.0.0/12 with next hop ${IDS.connection}, and publish it to the VPC.`,
    );
    expect(f?.text.ja.remediation[0]).toContain('宛先ベースルートを追加し、VPC に公開してください');
    expect(f?.text.en.remediation[1]).toBe(
      `In protected-data-flow mode the policy-based routes (source ${ADDR.vpcCidr}, destination 172.16.0.0/12, next hop ${IDS.connection}) are normally generated from LocalSubnet/RemoteSubnet: if they were deleted, add them back as policy-based routes on ${IDS.gateway} and publish them.`,
    );
    expect(f?.text.en.remediation).toHaveLength(2);
    // The System-table gap for that CIDR is the VPN route's fault: no second finding for it.
    expect(fired(s, 'vpc-route-missing')).toEqual([]);
    expect(diagnose(s).ladders[0]?.firstFailingLayer).toBe('routing');
  });
  it('fires in destination mode when the gateway has no route to the connection', () => {
    const conn = connection({ localSubnets: ['0.0.0.0/0'], remoteSubnets: ['0.0.0.0/0'] });
    const [f] = fired(run(topology({ vpnRoutes: [] }), conn), 'vpn-route-missing');
    expect(f?.text.en.evidence).toContain(
      `VPN gateway ${IDS.gateway} has no route (custom, BGP or policy) with next hop ${IDS.connection}`,
    );
    expect(f?.text.en.remediation[0]).toContain('for each on-prem CIDR with next hop');
  });
  it('silent while the tunnels are down and negotiate immediately (a lower layer is at fault)', () => {
    const s = run(topology(), { ...downConnection(), remoteSubnets: ['172.16.0.0/12'] });
    expect(fired(s, 'vpn-route-missing')).toEqual([]);
  });
  it('near miss: a more-specific VPN route for the CIDR counts', () => {
    const s = run(topology({ vpnRoutes: [vpnRoute({ dest: '192.168.1.0/24' })] }));
    expect(fired(s, 'vpn-route-missing')).toEqual([]);
  });
});

describe('vpn-route-not-published', () => {
  const unpublishedPolicy = () =>
    systemEntries([], { vpnRoutes: [vpnRoute({ kind: 'policy', source: ADDR.vpcCidr, state: 'normal' })] });
  it('fires for an unpublished policy route the VPC lacks, telling to publish it', () => {
    const [f] = fired(run(unpublishedPolicy()), 'vpn-route-not-published');
    expect(f?.severity).toBe('critical');
    expect(f?.text.en.remediation[0]).toBe(
      `On Alibaba Cloud, publish VPN route(s) ${ADDR.onPrem} of ${IDS.gateway} to the VPC (VPN gateway → route table → Publish, or PublishVpnRouteEntry).`,
    );
    expect(f?.text.en.remediation[1]).toContain('not published by default');
    expect(f?.text.ja.remediation[0]).toContain('VPC に公開してください');
    expect(fired(run(unpublishedPolicy()), 'vpc-route-missing')).toEqual([]);
  });
  it('near miss: the same route with a VPC route added by hand is fine', () => {
    const t = topology({ vpnRoutes: [vpnRoute({ kind: 'policy', source: ADDR.vpcCidr, state: 'normal' })] });
    expect(fired(run(t), 'vpn-route-not-published')).toEqual([]);
  });
});

describe('vpc-route-missing', () => {
  const withCustomTable = (entries: VpcRouteEntry[]) => {
    const t = topology();
    t.routeTables.push({
      id: 'vtb-custom0000000000001',
      vpcId: IDS.vpc,
      type: 'Custom',
      vswitchIds: [IDS.vswitchB],
      entries,
    });
    return t;
  };
  it('fires for a vSwitch bound to a custom table without the route, with the exact fix', () => {
    const [f] = fired(run(withCustomTable([entry('0.0.0.0/0', 'NatGateway', 'ngw-1')])), 'vpc-route-missing');
    expect(f?.severity).toBe('critical');
    expect(f?.text.en.remediation[0]).toBe(
      `On Alibaba Cloud: add a route ${ADDR.onPrem} → ${IDS.gateway} (next hop type VPN gateway) to route table vtb-custom0000000000001 bound to ${IDS.vswitchB}.`,
    );
    expect(f?.text.en.evidence[0]).toContain('sends 192.168.0.0/16 to 0.0.0.0/0 → NatGateway ngw-1');
    expect(f?.text.ja.remediation[0]).toContain('ルートテーブル vtb-custom0000000000001');
  });
  it('fires when the published route is missing from the System table', () => {
    expect(fired(run(systemEntries([])), 'vpc-route-missing')).toHaveLength(1);
  });
  it('near miss: a more-specific route to the VPN gateway in the custom table counts', () => {
    const t = withCustomTable([entry('192.168.0.0/17', 'VpnGateway', IDS.gateway)]);
    expect(fired(run(t), 'vpc-route-missing')).toEqual([]);
  });
  it('with EffectImmediately off and tunnels down, a missing route matters (no traffic will start them)', () => {
    const conn = { ...downConnection(), effectImmediately: false };
    expect(fired(run(systemEntries([]), conn), 'vpc-route-missing')).toHaveLength(1);
  });
});

describe('route-conflict', () => {
  it('fires for a more-specific route with another next hop', () => {
    const t = systemEntries([
      entry(ADDR.onPrem, 'VpnGateway', IDS.gateway),
      entry('192.168.5.0/24', 'Instance', 'i-fw'),
    ]);
    const [f] = fired(run(t), 'route-conflict');
    expect(f?.severity).toBe('warning');
    expect(f?.text.en.summary).toContain('192.168.5.0/24 → Instance i-fw');
    expect(f?.text.en.remediation[0]).toContain(
      `in route table ${IDS.systemRouteTable}, delete or narrow the route 192.168.5.0/24`,
    );
  });
  it('near miss: an unrelated route with another next hop does not conflict', () => {
    const t = systemEntries([
      entry(ADDR.onPrem, 'VpnGateway', IDS.gateway),
      entry('172.16.0.0/12', 'Instance', 'i-fw'),
    ]);
    expect(fired(run(t), 'route-conflict')).toEqual([]);
  });
});

describe('cidr-overlap', () => {
  it('fires when the on-prem CIDR lies inside the VPC', () => {
    const conn = connection({ localSubnets: ['10.0.1.0/24'], remoteSubnets: ['10.0.8.0/24'] });
    const [f] = fired(
      run(topology({ vpnRoutes: [vpnRoute({ dest: '10.0.8.0/24' })] }), conn),
      'cidr-overlap',
    );
    expect(f?.text.en.evidence).toEqual([
      `on-prem 10.0.8.0/24 overlaps CIDR block ${ADDR.vpcCidr} of ${IDS.vpc}`,
    ]);
    expect(f?.text.ja.title).toBe('オンプレミスの CIDR ブロックが VPC と重複しています');
  });
  it('near miss: an adjacent on-prem block is fine', () => {
    const conn = connection({ remoteSubnets: ['10.1.0.0/16'] });
    expect(
      fired(run(topology({ vpnRoutes: [vpnRoute({ dest: '10.1.0.0/16' })] }), conn), 'cidr-overlap'),
    ).toEqual([]);
  });
});
