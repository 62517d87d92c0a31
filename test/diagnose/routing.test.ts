import { describe, expect, it } from 'vitest';
import { ROUTING_FACTS, routingFacts } from '../../src/diagnose/facts/routing.js';
import { usableTopology } from '../../src/diagnose/facts/routing-scope.js';
import type { RouteTable, Topology, VpcRouteEntry, VpnRoute } from '../../src/model/snapshot.js';
import { ADDR, connection, IDS, topology, tunnel } from '../fixtures/snapshot.js';

const entry = (dest: string, nextHopType: string, nextHopId: string, type = 'Custom'): VpcRouteEntry => ({
  dest,
  nextHopType,
  nextHopId,
  status: 'Available',
  type,
});

/** The healthy topology with the System table's on-prem entries replaced by `extra`. */
function withSystemEntries(extra: VpcRouteEntry[], overrides: Partial<Topology> = {}): Topology {
  const t = topology(overrides);
  const system = t.routeTables[0]!;
  system.entries = [...system.entries.filter((e) => e.nextHopType !== 'VpnGateway'), ...extra];
  return t;
}

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

describe('routingFacts on the healthy topology', () => {
  const facts = routingFacts(connection(), topology());
  it('is known and finds nothing wrong', () => {
    expect(facts.known).toBe(true);
    expect(facts.unknownReason).toBeNull();
    expect(facts.mode).toBe('protected-flow');
    expect(facts.onPremCidrs).toEqual([ADDR.onPrem]);
    expect(facts.missingVpnRoutes).toEqual([]);
    expect(facts.noVpnRoutes).toBe(false);
    expect(facts.unpublishedVpnRoutes).toEqual([]);
    expect(facts.missingVpcRoutes).toEqual([]);
    expect(facts.conflictingRoutes).toEqual([]);
    expect(facts.overlappingCidrs).toEqual([]);
    expect(facts.tunnelUp).toBe(true);
  });
  it('maps every vSwitch to the System table when no custom table is bound', () => {
    expect(facts.vswitches.map((v) => [v.vswitchId, v.routeTableId])).toEqual([
      [IDS.vswitchA, IDS.systemRouteTable],
      [IDS.vswitchB, IDS.systemRouteTable],
    ]);
  });
  it('lists the connection routes with their publication state', () => {
    expect(facts.vpnRoutes).toEqual([
      expect.objectContaining({ dest: ADDR.onPrem, kind: 'custom', published: true, state: 'published' }),
    ]);
  });
  it('is plain JSON data (no undefined anywhere)', () => {
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
  });
});

describe('unknown topology', () => {
  it('is unknown without a topology, but still checks LocalSubnet/RemoteSubnet overlap', () => {
    const f = routingFacts(connection({ remoteSubnets: ['10.0.5.0/24'] }), null);
    expect(f.known).toBe(false);
    expect(f.unknownReason).toMatch(/topology not collected/);
    expect(f.missingVpcRoutes).toEqual([]);
    expect(f.overlappingCidrs).toEqual([
      expect.objectContaining({ onPrem: '10.0.5.0/24', other: ADDR.vpcCidr, otherKind: 'local-subnet' }),
    ]);
  });
  it('is unknown when the gateway or the System table is missing from the topology', () => {
    expect(routingFacts(connection(), topology({ gateways: [] })).unknownReason).toBe(
      `VPN gateway ${IDS.gateway} not in the topology`,
    );
    expect(routingFacts(connection(), topology({ routeTables: [] })).unknownReason).toBe(
      `no System route table collected for ${IDS.vpc}`,
    );
  });
  it('usableTopology refuses an incomplete collection', () => {
    const data = topology();
    expect(usableTopology({ collectedAt: 1, complete: false, data })).toBeNull();
    expect(usableTopology({ collectedAt: 1, complete: true, data })).toBe(data);
    expect(usableTopology(null)).toBeNull();
  });
});

describe('routing mode and on-prem CIDRs', () => {
  it('destination mode takes on-prem CIDRs from the VPN routes of the connection', () => {
    const conn = connection({ localSubnets: ['0.0.0.0/0'], remoteSubnets: ['0.0.0.0/0'] });
    const topo = topology({
      vpnRoutes: [
        vpnRoute({ dest: '192.168.0.0/16' }),
        vpnRoute({ dest: '172.16.0.0/12', nextHop: 'vco-other' }),
      ],
    });
    const f = routingFacts(conn, topo);
    expect(f.mode).toBe('destination');
    expect(f.onPremCidrs).toEqual(['192.168.0.0/16']);
  });
  it('destination mode with no route to the connection says so', () => {
    const conn = connection({ localSubnets: ['0.0.0.0/0'], remoteSubnets: ['0.0.0.0/0'] });
    const f = routingFacts(conn, topology({ vpnRoutes: [] }));
    expect(f.noVpnRoutes).toBe(true);
    expect(f.onPremCidrs).toEqual([]);
    expect(f.missingVpcRoutes).toEqual([]);
  });
  it('reports unparsable RemoteSubnet entries', () => {
    const f = routingFacts(connection({ remoteSubnets: ['192.168.0.0/16', '192.168.300.0/24'] }), topology());
    expect(f.invalidCidrs).toEqual([
      `"192.168.300.0/24" is not an IPv4 CIDR block like 192.168.0.0/16 (RemoteSubnet of ${IDS.connection})`,
    ]);
    expect(f.onPremCidrs).toEqual([ADDR.onPrem]);
  });
  it('tracks BGP, tunnel state and on-demand negotiation', () => {
    const down = tunnel({ index: 1, status: 'ike_sa_not_established' });
    const bgpUp = tunnel({
      index: 2,
      bgp: {
        up: true,
        rawStatus: 'success',
        localAsn: 45104,
        localBgpIp: '169.254.10.1',
        peerAsn: 65001,
        peerBgpIp: '169.254.10.2',
        tunnelCidr: '169.254.10.0/30',
      },
    });
    const f = routingFacts(
      connection({ tunnels: [down, bgpUp], enableTunnelsBgp: true, effectImmediately: false }),
      topology(),
    );
    expect(f).toMatchObject({ dynamic: true, bgpUp: true, tunnelUp: true, negotiatesOnTraffic: true });
    const none = routingFacts(connection({ tunnels: [down] }), topology());
    expect(none).toMatchObject({ dynamic: false, bgpUp: false, tunnelUp: false, negotiatesOnTraffic: false });
  });
});

describe('VPN gateway routes', () => {
  it('an on-prem CIDR without a VPN route is missing', () => {
    const f = routingFacts(connection({ remoteSubnets: [ADDR.onPrem, '172.16.0.0/12'] }), topology());
    expect(f.missingVpnRoutes).toEqual(['172.16.0.0/12']);
  });
  it('a route of another connection does not count', () => {
    const f = routingFacts(connection(), topology({ vpnRoutes: [vpnRoute({ nextHop: 'vco-other' })] }));
    expect(f.missingVpnRoutes).toEqual([ADDR.onPrem]);
    expect(f.noVpnRoutes).toBe(true);
  });
  it('a more-specific VPN route still counts', () => {
    const f = routingFacts(connection(), topology({ vpnRoutes: [vpnRoute({ dest: '192.168.1.0/24' })] }));
    expect(f.missingVpnRoutes).toEqual([]);
  });
  it('an unpublished policy route the System table lacks must be published', () => {
    const topo = withSystemEntries([], {
      vpnRoutes: [vpnRoute({ kind: 'policy', source: ADDR.vpcCidr, state: 'normal' })],
    });
    const f = routingFacts(connection(), topo);
    expect(f.unpublishedVpnRoutes).toEqual([
      expect.objectContaining({ dest: ADDR.onPrem, kind: 'policy', source: ADDR.vpcCidr, published: false }),
    ]);
    // The System table gap is the unpublished route's doing: not reported twice.
    expect(f.missingVpcRoutes).toEqual([]);
  });
  it('lists an unpublished route once although the gateway shows it per tunnel', () => {
    const perTunnel = [IDS.tunnel1, IDS.tunnel2].map((t) =>
      vpnRoute({ state: 'normal', nextHopTunnelId: t }),
    );
    const f = routingFacts(connection(), withSystemEntries([], { vpnRoutes: perTunnel }));
    expect(f.vpnRoutes).toHaveLength(2);
    expect(f.unpublishedVpnRoutes.map((r) => r.dest)).toEqual([ADDR.onPrem]);
  });

  it('an unpublished route is fine when a VPC route was added by hand', () => {
    const topo = topology({ vpnRoutes: [vpnRoute({ state: 'normal' })] });
    expect(routingFacts(connection(), topo).unpublishedVpnRoutes).toEqual([]);
  });
});

describe('VPC route tables', () => {
  const custom = (entries: VpcRouteEntry[], vswitchIds = [IDS.vswitchB]): RouteTable => ({
    id: 'vtb-custom0000000000001',
    vpcId: IDS.vpc,
    type: 'Custom',
    vswitchIds,
    entries,
  });

  it('a vSwitch bound to a custom table without the route is missing it, named with table and vSwitch', () => {
    const t = topology();
    t.routeTables.push(custom([entry('0.0.0.0/0', 'NatGateway', 'ngw-1')]));
    const f = routingFacts(connection(), t);
    expect(f.vswitches.find((v) => v.vswitchId === IDS.vswitchB)?.routeTableId).toBe(
      'vtb-custom0000000000001',
    );
    expect(f.missingVpcRoutes).toEqual([
      {
        cidr: ADDR.onPrem,
        routeTableId: 'vtb-custom0000000000001',
        routeTableType: 'Custom',
        vswitchIds: [IDS.vswitchB],
        lookup: '0.0.0.0/0 → NatGateway ngw-1',
        text: `route table vtb-custom0000000000001 (Custom, ${IDS.vswitchB}) sends ${ADDR.onPrem} to 0.0.0.0/0 → NatGateway ngw-1, not ${IDS.gateway}`,
      },
    ]);
  });

  it('groups the gaps of one table into one fix', () => {
    const t = topology();
    t.routeTables.push(custom([]));
    const f = routingFacts(connection({ remoteSubnets: [ADDR.onPrem, '172.16.0.0/12'] }), t);
    expect(f.missingVpcRoutes.map((m) => m.cidr)).toEqual([ADDR.onPrem, '172.16.0.0/12']);
    expect(f.missingVpcRouteTables).toEqual([
      {
        routeTableId: 'vtb-custom0000000000001',
        routeTableType: 'Custom',
        vswitchIds: [IDS.vswitchB],
        cidrs: [ADDR.onPrem, '172.16.0.0/12'],
      },
    ]);
    expect(f.missingVpcRouteCidrs).toEqual([ADDR.onPrem, '172.16.0.0/12']);
  });

  it('a custom table with the route is fine', () => {
    const t = topology();
    t.routeTables.push(custom([entry(ADDR.onPrem, 'VpnGateway', IDS.gateway)]));
    expect(routingFacts(connection(), t).missingVpcRoutes).toEqual([]);
  });

  it('the System table misses a published route when the entry is gone', () => {
    const f = routingFacts(connection(), withSystemEntries([]));
    expect(f.missingVpcRoutes).toEqual([
      expect.objectContaining({
        cidr: ADDR.onPrem,
        routeTableId: IDS.systemRouteTable,
        vswitchIds: [IDS.vswitchA, IDS.vswitchB],
        lookup: 'no route',
      }),
    ]);
  });

  it('a more-specific VPC route to the VPN gateway still counts', () => {
    const f = routingFacts(
      connection(),
      withSystemEntries([entry('192.168.1.0/24', 'VpnGateway', IDS.gateway)]),
    );
    expect(f.missingVpcRoutes).toEqual([]);
  });

  it('a less-specific VPC route to the VPN gateway covers the CIDR', () => {
    const f = routingFacts(
      connection(),
      withSystemEntries([entry('192.0.0.0/8', 'VpnGateway', IDS.gateway)]),
    );
    expect(f.missingVpcRoutes).toEqual([]);
    expect(f.conflictingRoutes).toEqual([]);
  });

  it('a route to another VPN gateway is not a route to ours', () => {
    const f = routingFacts(connection(), withSystemEntries([entry(ADDR.onPrem, 'VpnGateway', 'vpn-other')]));
    expect(f.missingVpcRoutes[0]?.lookup).toBe(`${ADDR.onPrem} → VpnGateway vpn-other`);
  });

  it('an entry being deleted does not count', () => {
    const e = { ...entry(ADDR.onPrem, 'VpnGateway', IDS.gateway), status: 'Deleting' };
    expect(routingFacts(connection(), withSystemEntries([e])).missingVpcRoutes).toHaveLength(1);
  });
});

describe('route conflicts', () => {
  it('a more-specific route to another next hop inside the on-prem CIDR conflicts', () => {
    const f = routingFacts(
      connection(),
      withSystemEntries([
        entry(ADDR.onPrem, 'VpnGateway', IDS.gateway),
        entry('192.168.5.0/24', 'Instance', 'i-fw'),
      ]),
    );
    expect(f.conflictingRoutes).toEqual([
      {
        cidr: ADDR.onPrem,
        dest: '192.168.5.0/24',
        nextHopType: 'Instance',
        nextHopId: 'i-fw',
        routeTableId: IDS.systemRouteTable,
        vswitchIds: [IDS.vswitchA, IDS.vswitchB],
        text: `route table ${IDS.systemRouteTable}: 192.168.5.0/24 → Instance i-fw takes part of on-prem ${ADDR.onPrem} away from ${IDS.gateway}`,
      },
    ]);
    expect(f.missingVpcRoutes).toEqual([]);
  });

  it('a route equal to the on-prem CIDR that shadows a wider VPN route conflicts', () => {
    const f = routingFacts(
      connection({ remoteSubnets: ['192.168.1.0/24'] }),
      withSystemEntries(
        [entry('192.168.0.0/16', 'VpnGateway', IDS.gateway), entry('192.168.1.0/24', 'HaVip', 'havip-1')],
        { vpnRoutes: [vpnRoute({ dest: '192.168.1.0/24' })] },
      ),
    );
    expect(f.conflictingRoutes.map((c) => c.dest)).toEqual(['192.168.1.0/24']);
  });

  it('a more-specific route to another VPN gateway is a deliberate split, not a conflict', () => {
    const f = routingFacts(
      connection(),
      withSystemEntries([
        entry(ADDR.onPrem, 'VpnGateway', IDS.gateway),
        entry('192.168.200.0/24', 'VpnGateway', 'vpn-lab'),
      ]),
    );
    expect(f.conflictingRoutes).toEqual([]);
    expect(f.missingVpcRoutes).toEqual([]);
  });

  it('less-specific or unrelated routes with other next hops do not conflict', () => {
    const f = routingFacts(
      connection(),
      withSystemEntries([
        entry(ADDR.onPrem, 'VpnGateway', IDS.gateway),
        entry('0.0.0.0/0', 'NatGateway', 'ngw-1'),
        entry('172.16.0.0/12', 'Instance', 'i-fw'),
      ]),
    );
    expect(f.conflictingRoutes).toEqual([]);
  });
});

describe('CIDR overlap', () => {
  it('an on-prem CIDR inside the VPC CIDR overlaps', () => {
    const t = topology({ vpnRoutes: [vpnRoute({ dest: '10.0.8.0/24' })] });
    const f = routingFacts(connection({ localSubnets: ['10.0.1.0/24'], remoteSubnets: ['10.0.8.0/24'] }), t);
    expect(f.overlappingCidrs).toEqual([
      {
        onPrem: '10.0.8.0/24',
        other: ADDR.vpcCidr,
        otherKind: 'vpc',
        otherId: IDS.vpc,
        text: `on-prem 10.0.8.0/24 overlaps CIDR block ${ADDR.vpcCidr} of ${IDS.vpc}`,
      },
    ]);
  });
  it('an adjacent block does not overlap, and a default route is never an overlap', () => {
    const adjacent = routingFacts(connection({ remoteSubnets: ['10.1.0.0/16'] }), topology());
    expect(adjacent.overlappingCidrs).toEqual([]);
    const conn = connection({ localSubnets: ['0.0.0.0/0'], remoteSubnets: ['0.0.0.0/0'] });
    const f = routingFacts(conn, topology({ vpnRoutes: [vpnRoute({ dest: '0.0.0.0/0' })] }));
    expect(f.overlappingCidrs).toEqual([]);
  });
});

describe('ROUTING_FACTS', () => {
  it('documents every field of RoutingFacts, and nothing else', () => {
    const names = ROUTING_FACTS.map((d) => d.name.replace(/^routing\./, '')).sort();
    expect(names).toEqual(Object.keys(routingFacts(connection(), topology())).sort());
    for (const d of ROUTING_FACTS) expect(d.doc.length).toBeGreaterThan(10);
  });
});
