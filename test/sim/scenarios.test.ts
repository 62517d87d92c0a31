// Every shipped scenario loads and validates, states its rule in a comment and in `expect:`, and
// its world really has the fault it is named after (a FailedReasonCode derived from the two sides'
// configurations, BGP down, a route unpublished, a filter that drops the on-prem CIDR…).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../src/diagnose/rules-loader.js';
import { diagnoseTunnel } from '../../src/sim/world/diagnosis.js';
import { listScenarios, loadScenario, scenarioPath } from '../../src/sim/world/load.js';
import { SimWorldState } from '../../src/sim/world/state.js';
import type { FailedReasonCode, Region } from '../../src/sim/world/types.js';

/** The table serving a vSwitch: its bound Custom table, else the VPC's System table. */
function routeTableForVSwitch(region: Region, vswitchId: string) {
  const vpcId = region.vswitches.find((s) => s.id === vswitchId)?.vpcId;
  return (
    region.routeTables.find((t) => t.vswitchIds.includes(vswitchId)) ??
    region.routeTables.find((t) => t.vpcId === vpcId && t.type === 'System')
  );
}

const T0 = Date.UTC(2026, 0, 1);

/** Rule ids a scenario may expect: the shipped rules (rules/*.yaml). */
const RULE_IDS = new Set(defaultRules().rules.map((r) => r.id));

const REQUIRED = [
  'healthy',
  'psk-mismatch',
  'ike-version-mismatch',
  'ike-mode-mismatch',
  'ike-algorithm-mismatch',
  'dh-group-mismatch',
  'peer-id-mismatch',
  'nat-traversal-mismatch',
  'lifetime-mismatch',
  'udp-blocked',
  'peer-unreachable',
  'wrong-customer-gateway-ip',
  'traffic-selector-mismatch',
  'pfs-mismatch',
  'unpublished-route',
  'missing-vpc-route',
  'security-group-blocks',
  'network-acl-blocks',
  'bgp-asn-missing',
  'bgp-tunnel-cidr-invalid',
  'bgp-local-ip-outside-cidr',
  'bgp-tunnel-cidr-duplicate',
  'bgp-session-down',
  'failover-drill',
  'demo',
];

describe('every shipped scenario', () => {
  const names = listScenarios();

  it('includes the required set', () => {
    for (const n of REQUIRED) expect(names).toContain(n);
  });

  for (const name of names) {
    it(`${name} loads, documents its rule and expects valid rule ids`, () => {
      const world = loadScenario(name);
      expect(world.name).toBe(name);
      const text = readFileSync(scenarioPath(name), 'utf8');
      expect(text).toMatch(/^# Diagnosed as/m);
      expect(text).toMatch(/AccessKeyId/);
      const connections = new Map(
        world.accounts.flatMap((a) => a.regions.flatMap((r) => r.connections.map((c) => [c.id, c] as const))),
      );
      for (const e of world.expect) {
        expect(RULE_IDS.has(e.rule), `${name}: unknown rule id ${e.rule}`).toBe(true);
        expect(connections.has(e.connection)).toBe(true);
      }
      expect(world.accounts[0]!.accessKeys[0]!.id).toMatch(/^LTAI5t/);
      if (name !== 'healthy') expect(world.expect.length).toBeGreaterThan(0);
    });
  }
});

/** Scenario → the FailedReasonCode the simulator derives on both tunnels at t = 0. */
const DERIVED: Record<string, FailedReasonCode> = {
  'psk-mismatch': 'PskMismatch',
  'ike-version-mismatch': 'IkeVersionMismatch',
  'ike-mode-mismatch': 'NegotiationModeMismatch',
  'ike-algorithm-mismatch': 'AlgorithmMismatch',
  'dh-group-mismatch': 'DhGroupMismatch',
  'peer-id-mismatch': 'PeerIdMismatch',
  'nat-traversal-mismatch': 'NatTMismatch',
  'lifetime-mismatch': 'LifetimeMismatch',
  'udp-blocked': 'NoResponse',
  'peer-unreachable': 'NoResponse',
  'wrong-customer-gateway-ip': 'PeerMismatch',
  'traffic-selector-mismatch': 'TrafficSelectorMismatch',
  'pfs-mismatch': 'PfsMismatch',
  'ipsec-proposal-mismatch': 'EncryptionAlgorithmMismatch',
  'old-gateway': 'PskMismatch',
};

function open(name: string) {
  const world = loadScenario(name);
  const state = new SimWorldState(world, T0);
  const region = world.accounts[0]!.regions[0]!;
  return { world, state, region, conn: region.connections[0]! };
}

describe('each FAQ scenario has its fault', () => {
  for (const [name, code] of Object.entries(DERIVED)) {
    it(`${name}: ${code} on both tunnels, nothing carries traffic`, () => {
      const { state, region, conn } = open(name);
      for (const t of [1, 2] as const) {
        expect(state.tunnelAt(conn, t, T0).failure?.code).toBe(code);
        expect(diagnoseTunnel(state, region, conn, t, T0 + 30_000)?.code).toBe(code);
      }
      expect(state.trafficAt(conn, T0).activeTunnelId).toBeNull();
    });
  }

  it('healthy and failover-drill start with every tunnel up and nothing to diagnose', () => {
    for (const name of ['healthy', 'failover-drill', 'demo']) {
      const { world, state } = open(name);
      for (const region of world.accounts[0]!.regions) {
        for (const c of region.connections) {
          expect(state.tunnelAt(c, 1, T0).up && state.tunnelAt(c, 2, T0).up).toBe(true);
          if (c.enableTunnelsBgp) expect(state.tunnelAt(c, 1, T0).bgpUp).toBe(true);
          expect(diagnoseTunnel(state, region, c, 1, T0)).toBeNull();
        }
        expect(new Set(region.connections.flatMap((c) => c.tunnels.map((t) => t.zone))).size).toBe(2);
      }
    }
  });

  it('BGP scenarios: IPsec up, BGP down where the mistake is', () => {
    const down = (name: string) => {
      const { state, conn } = open(name);
      expect(state.tunnelAt(conn, 1, T0).up).toBe(true);
      return [state.tunnelAt(conn, 1, T0).bgpUp, state.tunnelAt(conn, 2, T0).bgpUp];
    };
    expect(down('bgp-asn-missing')).toEqual([false, false]);
    expect(down('bgp-tunnel-cidr-invalid')).toEqual([false, true]);
    expect(down('bgp-local-ip-outside-cidr')).toEqual([false, true]);
    expect(down('bgp-tunnel-cidr-duplicate')).toEqual([false, true]);
    expect(down('bgp-session-down')).toEqual([false, true]);
    const dup = open('bgp-tunnel-cidr-duplicate');
    expect(dup.region.connections.map((c) => c.tunnels[0].bgp.tunnelCidr)).toEqual([
      '169.254.30.0/30',
      '169.254.30.0/30',
    ]);
    expect(open('bgp-asn-missing').region.customerGateways[0]!.asn).toBeNull();
  });

  it('routing and filtering scenarios: tunnels up, the path broken where the name says', () => {
    const unpublished = open('unpublished-route');
    expect(unpublished.state.tunnelAt(unpublished.conn, 1, T0).up).toBe(true);
    expect(unpublished.region.vpnRoutes).toEqual([
      expect.objectContaining({ dest: '192.168.0.0/16', published: false }),
    ]);

    const missing = open('missing-vpc-route');
    const instance = missing.region.instances[0]!;
    const table = routeTableForVSwitch(missing.region, instance.vswitchId)!;
    expect(table.type).toBe('Custom');
    expect(table.receivesVpnRoutes).toBe(false);
    expect(table.entries.map((e) => e.dest)).toEqual(['0.0.0.0/0']);

    const sg = open('security-group-blocks');
    const group = sg.region.securityGroups.find((g) =>
      sg.region.instances[0]!.securityGroupIds.includes(g.id),
    )!;
    expect(group.rules[0]).toMatchObject({
      direction: 'ingress',
      policy: 'drop',
      cidr: '192.168.0.0/16',
      priority: 1,
    });

    const acl = open('network-acl-blocks');
    const nacl = acl.region.networkAcls.find((a) =>
      a.vswitchIds.includes(acl.region.instances[0]!.vswitchId),
    )!;
    expect(nacl.ingress[0]).toMatchObject({ policy: 'drop', cidr: '192.168.0.0/16' });
  });

  it('timeline scenarios fail at their time', () => {
    for (const [name, code] of [
      ['dpd-timeout', 'DpdTimeout'],
      ['peer-deleted-sa', 'ReceiveDeleteNotify'],
      ['failover-drill', 'NoResponse'],
    ] as const) {
      const { world, state } = open(name);
      const conn = world.accounts[0]!.regions[0]!.connections.find(
        (c) => c.id === world.expect[0]!.connection,
      )!;
      const at = T0 + world.timeline[0]!.at * 1000;
      state.advance(at - 1);
      expect(state.tunnelAt(conn, 1, at - 1).up).toBe(true);
      state.advance(at);
      expect(state.tunnelAt(conn, 1, at).failure?.code).toBe(code);
      expect(state.trafficAt(conn, at).activeTunnelId).toBe(conn.tunnels[1].id);
    }
  });
});
