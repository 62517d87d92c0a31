// The scenario loader: compact YAML expands to a full, healthy-by-default world, and bad input
// fails with the file and the field path.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError } from '../../src/sim/world/load.js';

const KEY = '      - { id: LTAI5tTestKey0001, secret: test-secret-0001 }';

function compact(regionBody: string, extra = ''): string {
  return `name: t
${extra}accounts:
  - name: prod
    accessKeys:
${KEY}
    regions:
      cn-hangzhou:
${regionBody}`;
}

const MINIMAL = compact(`        gateways:
          - { id: vpn-bp1gw01, internetIp: 47.96.0.1, disasterRecoveryInternetIp: 47.96.0.2 }
        customerGateways:
          - { id: cgw-bp1dc01, ip: 203.0.113.10 }
        connections:
          - { id: vco-bp1c01, name: c1, gateway: vpn-bp1gw01, customerGateway: cgw-bp1dc01, remoteSubnet: 192.168.0.0/16 }
`);

function errorOf(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('compact scenario defaults', () => {
  const world = parseScenario(MINIMAL, 'minimal.yaml');
  const region = world.accounts[0]!.regions[0]!;
  const conn = region.connections[0]!;
  const [t1, t2] = conn.tunnels;

  it('gives a connection two healthy tunnels in two zones on the gateway IPs', () => {
    expect(t1.role).toBe('master');
    expect(t2.role).toBe('slave');
    expect(t1.zone).toBe('cn-hangzhou-h');
    expect(t2.zone).toBe('cn-hangzhou-i');
    expect(t1.internetIp).toBe('47.96.0.1');
    expect(t2.internetIp).toBe('47.96.0.2');
    expect(t1.id).toMatch(/^tun-bp1[0-9a-z]{17}$/);
    expect(t1.id).not.toBe(t2.id);
    expect(t1.ike).toMatchObject({
      version: 'ikev2',
      mode: 'main',
      encAlg: 'aes256',
      authAlg: 'sha256',
      dhGroup: 'group14',
      lifetime: 86400,
      localId: '47.96.0.1',
      remoteId: '203.0.113.10',
    });
    expect(t1.ipsec).toEqual({ encAlg: 'aes256', authAlg: 'sha256', pfs: 'group14', lifetime: 86400 });
    expect(t1.enableDpd).toBe(true);
    expect(t1.enableNatTraversal).toBe(true);
    expect(t1.ike.psk).toBe(t2.ike.psk);
  });

  it('makes the peer mirror the cloud side (ids swapped, selectors swapped)', () => {
    expect(t1.peer.psk).toBe(t1.ike.psk);
    expect(t1.peer.ike.localId).toBe('203.0.113.10');
    expect(t1.peer.ike.remoteId).toBe('47.96.0.1');
    expect(t1.peer.localSubnets).toEqual(['192.168.0.0/16']);
    expect(t1.peer.remoteSubnets).toEqual(conn.localSubnets);
    expect(t1.peer.ip).toBe('203.0.113.10');
    expect(t1.peer.reachable).toBe(true);
  });

  it('builds the VPC around the gateway: vSwitches, System route table, open ACL, SG for on-prem, one ECS', () => {
    expect(region.vpcs).toHaveLength(1);
    const vpc = region.vpcs[0]!;
    expect(conn.localSubnets).toEqual([vpc.cidr]);
    expect(region.vswitches.map((s) => s.zone)).toEqual(['cn-hangzhou-h', 'cn-hangzhou-i']);
    expect(region.routeTables).toHaveLength(1);
    expect(region.routeTables[0]).toMatchObject({ type: 'System', vpcId: vpc.id, receivesVpnRoutes: true });
    expect(region.networkAcls[0]!.ingress).toEqual([
      expect.objectContaining({ policy: 'accept', protocol: 'all', cidr: '0.0.0.0/0' }),
    ]);
    expect(region.networkAcls[0]!.vswitchIds).toEqual(region.vswitches.map((s) => s.id));
    const sg = region.securityGroups[0]!;
    expect(sg.rules).toContainEqual(
      expect.objectContaining({
        direction: 'ingress',
        policy: 'accept',
        cidr: '192.168.0.0/16',
        portRange: '-1/-1',
      }),
    );
    expect(region.instances).toHaveLength(1);
    expect(region.instances[0]).toMatchObject({
      vswitchId: region.vswitches[0]!.id,
      securityGroupIds: [sg.id],
      privateIps: ['10.0.1.10'],
      status: 'Running',
    });
  });

  it('publishes one destination route per on-prem CIDR and gives the CGW an ASN', () => {
    expect(region.vpnRoutes).toEqual([
      expect.objectContaining({
        kind: 'custom',
        dest: '192.168.0.0/16',
        nextHop: 'vco-bp1c01',
        published: true,
      }),
    ]);
    expect(region.customerGateways[0]!.asn).toBe(65001);
  });

  it('switches to IKEv2 when a side has several CIDRs, and accepts explicit null ASNs', () => {
    const w = parseScenario(
      MINIMAL.replace(
        'remoteSubnet: 192.168.0.0/16',
        'remoteSubnet: [192.168.0.0/24, 192.168.1.0/24], ike: { version: ikev1 }',
      ).replace('ip: 203.0.113.10 }', 'ip: 203.0.113.10, asn: null }'),
      'x.yaml',
    );
    const r = w.accounts[0]!.regions[0]!;
    // An explicit `ike.version` wins over the multi-CIDR default.
    expect(r.connections[0]!.tunnels[0].ike.version).toBe('ikev1');
    expect(r.customerGateways[0]!.asn).toBeNull();
  });

  it('is deterministic: the same file gives the same ids', () => {
    const again = parseScenario(MINIMAL, 'minimal.yaml');
    expect(again.accounts[0]!.regions[0]!.connections[0]!.tunnels[1].id).toBe(t2.id);
    expect(again.accounts[0]!.regions[0]!.vpcs[0]!.id).toBe(region.vpcs[0]!.id);
  });

  it('parses timeline durations and loops', () => {
    const w = parseScenario(
      MINIMAL.replace(
        'accounts:',
        `loop: 10m
timeline:
  - { at: 1m30s, fail: { connection: vco-bp1c01, tunnel: 1, cause: PskMismatch } }
  - { at: 4m, recover: { connection: vco-bp1c01, tunnel: 1 } }
  - { at: 30, fail: { connection: vco-bp1c01, tunnel: 2, cause: NoResponse } }
accounts:`,
      ),
      't.yaml',
    );
    expect(w.loopSeconds).toBe(600);
    expect(w.timeline.map((e) => [e.at, e.action.kind])).toEqual([
      [30, 'fail'],
      [90, 'fail'],
      [240, 'recover'],
    ]);
  });
});

describe('validation errors name the file and the field path', () => {
  it('rejects unknown fields', () => {
    const err = errorOf(() => parseScenario(MINIMAL.replace('name: c1,', 'name: c1, psk: x,'), 'bad.yaml'));
    expect(err.file).toBe('bad.yaml');
    expect(err.issues).toContainEqual({
      path: 'accounts[0].regions.cn-hangzhou.connections[0]',
      message: 'unknown field(s): psk',
    });
    expect(err.message).toContain('invalid scenario bad.yaml');
  });

  it('rejects bad values with the path of the field', () => {
    const err = errorOf(() =>
      parseScenario(
        MINIMAL.replace(
          'remoteSubnet: 192.168.0.0/16',
          'remoteSubnet: 192.168.0.0, ike: { dhGroup: group19 }',
        ),
        'bad.yaml',
      ),
    );
    const paths = err.issues.map((i) => i.path);
    expect(paths).toContain('accounts[0].regions.cn-hangzhou.connections[0].remoteSubnet');
    expect(paths).toContain('accounts[0].regions.cn-hangzhou.connections[0].ike.dhGroup');
  });

  it('rejects references to unknown resources', () => {
    const err = errorOf(() =>
      parseScenario(MINIMAL.replace('gateway: vpn-bp1gw01', 'gateway: vpn-bp1nope'), 'ref.yaml'),
    );
    expect(err.issues).toEqual([
      {
        path: 'accounts[0].regions.cn-hangzhou.connections[0].gateway',
        message: 'unknown VPN gateway vpn-bp1nope (known: vpn-bp1gw01)',
      },
    ]);
  });

  it('rejects timeline events for unknown connections and bad causes', () => {
    const unknown = errorOf(() =>
      parseScenario(
        MINIMAL.replace(
          'accounts:',
          'timeline:\n  - { at: 60s, recover: { connection: vco-bp1zzz, tunnel: 1 } }\naccounts:',
        ),
        'tl.yaml',
      ),
    );
    expect(unknown.issues).toEqual([{ path: 'timeline[0]', message: 'unknown connection vco-bp1zzz' }]);
    const cause = errorOf(() =>
      parseScenario(
        MINIMAL.replace(
          'accounts:',
          'timeline:\n  - { at: 60s, fail: { connection: vco-bp1c01, tunnel: 3, cause: Broken } }\naccounts:',
        ),
        'tl.yaml',
      ),
    );
    expect(cause.issues.map((i) => i.path).sort()).toEqual([
      'timeline[0].fail.cause',
      'timeline[0].fail.tunnel',
    ]);
  });

  it('rejects duplicate ids and AccessKeys', () => {
    const err = errorOf(() =>
      parseScenario(
        MINIMAL.replace(
          '          - { id: vco-bp1c01,',
          '          - { id: vco-bp1c01, gateway: vpn-bp1gw01, customerGateway: cgw-bp1dc01, remoteSubnet: 10.9.0.0/16 }\n          - { id: vco-bp1c01,',
        ),
        'dup.yaml',
      ),
    );
    expect(err.issues.some((i) => i.message === 'duplicate id vco-bp1c01')).toBe(true);
  });

  it('reports YAML syntax errors and a missing accounts list', () => {
    expect(errorOf(() => parseScenario('name: [unclosed', 'syntax.yaml')).issues[0]!.message).toMatch(
      /not valid YAML/,
    );
    expect(errorOf(() => parseScenario('name: x\n', 'empty.yaml')).issues).toEqual([
      { path: 'accounts', message: expect.stringMatching(/expected array/) },
    ]);
  });

  it('loads a scenario by file path and names the file on errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alivpn-scn-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, MINIMAL);
    expect(loadScenario(good).accounts[0]!.regions[0]!.connections).toHaveLength(1);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, MINIMAL.replace('ip: 203.0.113.10', 'ip: not-an-ip'));
    const err = errorOf(() => loadScenario(bad));
    expect(err.file).toBe(bad);
    expect(err.issues[0]).toEqual({
      path: 'accounts[0].regions.cn-hangzhou.customerGateways[0].ip',
      message: 'expected an IPv4 address',
    });
    expect(() => loadScenario('no-such-scenario')).toThrow(
      /unknown scenario "no-such-scenario" \(shipped: .*healthy/,
    );
  });
});
