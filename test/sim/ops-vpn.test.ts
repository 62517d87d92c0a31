// Every VPN operation through the real @alicloud/vpc20160428 client against the simulator, asserting
// the parsed model VALUES (the SDK silently drops misspelt fields), paging across pages, account
// and region scoping, Alibaba's errors, and a timeline incident at the injected time.
import * as Vpc from '@alicloud/vpc20160428';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/world/load.js';
import { failure } from '../support/failure.js';
import { DEFAULT_START, startTestSimulator, type TestSimulator } from '../support/sim.js';

const GW = 'vpn-bp1opsgw00000000001';
const GW2 = 'vpn-bp1opsgw00000000002';
const CGW = 'cgw-bp1opsdc00000000001';
const PLAIN = 'vco-bp1opsplain0000001';
const BGP = 'vco-bp1opsbgp00000001';
const POLICY = 'vco-bp1opspolicy000001';
const OTHER = 'vco-bp1other0000000001';

const WORLD = parseScenario(
  `name: ops
timeline:
  - { at: 60s, fail: { connection: ${PLAIN}, tunnel: 1, cause: NoResponse } }
  - { at: 300s, recover: { connection: ${PLAIN}, tunnel: 1 } }
accounts:
  - name: prod
    accessKeys:
      - { id: LTAI5tOpsProdKey000001, secret: ops-prod-secret-000001 }
    regions:
      cn-hangzhou:
        gateways:
          - { id: ${GW}, name: ops-gw, internetIp: 47.96.1.1, disasterRecoveryInternetIp: 47.96.1.2, tags: { env: prod } }
          - { id: ${GW2}, name: ops-gw-2, tags: { env: dev } }
        customerGateways:
          - { id: ${CGW}, name: dc, ip: 203.0.113.10, asn: 65010, tags: { site: tokyo } }
          - { id: cgw-bp1opsdc00000000002, name: dc2, ip: 198.51.100.7, asn: null }
        connections:
          - { id: ${PLAIN}, name: plain, gateway: ${GW}, customerGateway: ${CGW}, remoteSubnet: 192.168.0.0/16, tags: { env: prod } }
          - { id: ${BGP}, name: bgp, gateway: ${GW}, customerGateway: ${CGW}, remoteSubnet: 172.20.0.0/16, enableBgp: true, tags: { env: prod, team: net } }
          - id: ${POLICY}
            name: policy
            gateway: ${GW}
            customerGateway: ${CGW}
            remoteSubnet: 10.50.0.0/16
            routes: [{ dest: 10.50.0.0/16, kind: policy, priority: 5 }]
          - { id: vco-bp1opsdev000000001, name: dev, gateway: ${GW2}, customerGateway: cgw-bp1opsdc00000000002, remoteSubnet: 10.60.0.0/16 }
      ap-northeast-1:
        gateways:
          - { id: vpn-6weopsgw0000000001 }
        customerGateways:
          - { id: cgw-6weopsdc0000000001, ip: 203.0.113.10 }
        connections:
          - { id: vco-6weops000000000001, gateway: vpn-6weopsgw0000000001, customerGateway: cgw-6weopsdc0000000001, remoteSubnet: 192.168.0.0/16 }
  - name: other
    accessKeys:
      - { id: LTAI5tOpsOtherKey00001, secret: ops-other-secret-00001 }
    regions:
      cn-hangzhou:
        gateways:
          - { id: vpn-bp1othergw00000001 }
        customerGateways:
          - { id: cgw-bp1otherdc00000001, ip: 198.51.100.99 }
        connections:
          - { id: ${OTHER}, gateway: vpn-bp1othergw00000001, customerGateway: cgw-bp1otherdc00000001, remoteSubnet: 10.99.0.0/16 }
`,
  'ops.yaml',
);

let sim: TestSimulator;
let vpc: ReturnType<TestSimulator['vpc']>;
const R = 'cn-hangzhou';
const tunnels = (id: string) => WORLD.accounts[0]!.regions[0]!.connections.find((c) => c.id === id)!.tunnels;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: WORLD });
  vpc = sim.vpc(0);
});
afterAll(async () => {
  await sim.close();
});

const apiError = (p: Promise<unknown>) => failure<{ code: string; statusCode: number; name: string }>(p);

describe('gateways and customer gateways', () => {
  it('DescribeVpnGateways pages with filters and tags', async () => {
    const all = await vpc.describeVpnGateways(new Vpc.DescribeVpnGatewaysRequest({ regionId: R }));
    expect(all.body!.totalCount).toBe(2);
    const p1 = await vpc.describeVpnGateways(
      new Vpc.DescribeVpnGatewaysRequest({ regionId: R, pageSize: 1 }),
    );
    const p2 = await vpc.describeVpnGateways(
      new Vpc.DescribeVpnGatewaysRequest({ regionId: R, pageSize: 1, pageNumber: 2 }),
    );
    expect([p1.body!.pageNumber, p1.body!.pageSize, p1.body!.totalCount]).toEqual([1, 1, 2]);
    expect(p1.body!.vpnGateways!.vpnGateway!.map((g) => g.vpnGatewayId)).toEqual([GW]);
    expect(p2.body!.vpnGateways!.vpnGateway!.map((g) => g.vpnGatewayId)).toEqual([GW2]);
    const gw = p1.body!.vpnGateways!.vpnGateway![0]!;
    expect(gw.internetIp).toBe('47.96.1.1');
    expect(gw.disasterRecoveryInternetIp).toBe('47.96.1.2');
    expect(gw.status).toBe('active');
    expect(gw.businessStatus).toBe('Normal');
    expect(gw.enableBgp).toBe(true);
    expect(gw.tags!.tag![0]).toMatchObject({ key: 'env', value: 'prod' });
    expect(JSON.parse(gw.tag!)).toMatchObject({ VpnEnableBgp: 'true' });
    expect(gw.disasterRecoveryVSwitchId).toMatch(/^vsw-/);
    expect(gw.disasterRecoveryVSwitchId).not.toBe(gw.vSwitchId);
    const dev = await vpc.describeVpnGateways(
      new Vpc.DescribeVpnGatewaysRequest({
        regionId: R,
        tag: [new Vpc.DescribeVpnGatewaysRequestTag({ key: 'env', value: 'dev' })],
      }),
    );
    expect(dev.body!.vpnGateways!.vpnGateway!.map((g) => g.vpnGatewayId)).toEqual([GW2]);
  });

  it('DescribeVpnGateway returns one gateway, NotFound for an unknown or foreign id', async () => {
    const one = await vpc.describeVpnGateway(
      new Vpc.DescribeVpnGatewayRequest({ regionId: R, vpnGatewayId: GW }),
    );
    expect(one.body!.name).toBe('ops-gw');
    expect(one.body!.vpcId).toMatch(/^vpc-bp1/);
    const err = await apiError(
      vpc.describeVpnGateway(
        new Vpc.DescribeVpnGatewayRequest({ regionId: R, vpnGatewayId: 'vpn-bp1othergw00000001' }),
      ),
    );
    expect([err.name, err.code, err.statusCode]).toEqual([
      'ClientError',
      'InvalidVpnGatewayInstanceId.NotFound',
      404,
    ]);
  });

  it('DescribeCustomerGateways / DescribeCustomerGateway', async () => {
    const list = await vpc.describeCustomerGateways(new Vpc.DescribeCustomerGatewaysRequest({ regionId: R }));
    expect(list.body!.totalCount).toBe(2);
    const [dc, dc2] = list.body!.customerGateways!.customerGateway!;
    expect(dc).toMatchObject({ customerGatewayId: CGW, ipAddress: '203.0.113.10', asn: 65010, name: 'dc' });
    expect(dc!.tags!.tag![0]).toMatchObject({ key: 'site', value: 'tokyo' });
    expect(dc2!.asn).toBeUndefined(); // no ASN configured
    const one = await vpc.describeCustomerGateway(
      new Vpc.DescribeCustomerGatewayRequest({ regionId: R, customerGatewayId: CGW }),
    );
    expect(one.body!.ipAddress).toBe('203.0.113.10');
    const err = await apiError(
      vpc.describeCustomerGateway(
        new Vpc.DescribeCustomerGatewayRequest({ regionId: R, customerGatewayId: 'cgw-x' }),
      ),
    );
    expect(err.code).toBe('InvalidCustomerGatewayInstanceId.NotFound');
  });
});

describe('connections', () => {
  it('DescribeVpnConnections: dual-tunnel options as the SDK parses them', async () => {
    const res = await vpc.describeVpnConnections(
      new Vpc.DescribeVpnConnectionsRequest({ regionId: R, vpnConnectionId: PLAIN }),
    );
    const c = res.body!.vpnConnections!.vpnConnection![0]!;
    expect(c.vpnGatewayId).toBe(GW);
    expect(c.remoteSubnet).toBe('192.168.0.0/16');
    expect(c.localSubnet).toBe('10.0.0.0/16');
    expect(c.tag!.tag![0]).toMatchObject({ key: 'env', value: 'prod' });
    const [o1, o2] = c.tunnelOptionsSpecification!.tunnelOptions!;
    expect(o1!.role).toBe('master');
    expect(o2!.role).toBe('slave');
    expect(o1!.tunnelId).toBe(tunnels(PLAIN)[0].id);
    expect(o1!.internetIp).toBe('47.96.1.1');
    expect(o2!.internetIp).toBe('47.96.1.2');
    expect(o1!.zoneNo).toBe('cn-hangzhou-h');
    expect(o2!.zoneNo).toBe('cn-hangzhou-i');
    expect(o1!.status).toBe('ipsec_sa_established');
    expect(o1!.state).toBe('active');
    expect(o1!.enableDpd).toBe('true');
    expect(o1!.enableNatTraversal).toBe('true');
    expect(o1!.customerGatewayId).toBe(CGW);
    expect(o1!.tunnelIkeConfig).toMatchObject({
      ikeVersion: 'ikev2',
      ikeMode: 'main',
      ikeEncAlg: 'aes256',
      ikeAuthAlg: 'sha256',
      ikePfs: 'group14',
      ikeLifetime: '86400',
      localId: '47.96.1.1',
      remoteId: '203.0.113.10',
    });
    expect(o1!.tunnelIkeConfig!.psk).toBe(tunnels(PLAIN)[0].ike.psk);
    expect(o2!.tunnelIpsecConfig).toMatchObject({
      ipsecEncAlg: 'aes256',
      ipsecAuthAlg: 'sha256',
      ipsecPfs: 'group14',
      ipsecLifetime: '86400',
    });
    expect(o1!.tunnelBgpConfig).toBeUndefined();
    expect(c.ikeConfig!.ikeLifetime).toBe(86400);
    expect(c.enableTunnelsBgp).toBe(false);
  });

  it('DescribeVpnConnections pages and filters (gateway, customer gateway, tags)', async () => {
    const p1 = await vpc.describeVpnConnections(
      new Vpc.DescribeVpnConnectionsRequest({ regionId: R, vpnGatewayId: GW, pageSize: 2 }),
    );
    const p2 = await vpc.describeVpnConnections(
      new Vpc.DescribeVpnConnectionsRequest({ regionId: R, vpnGatewayId: GW, pageSize: 2, pageNumber: 2 }),
    );
    expect(p1.body!.totalCount).toBe(3);
    expect(p1.body!.vpnConnections!.vpnConnection!.map((c) => c.vpnConnectionId)).toEqual([PLAIN, BGP]);
    expect(p2.body!.vpnConnections!.vpnConnection!.map((c) => c.vpnConnectionId)).toEqual([POLICY]);
    const byCgw = await vpc.describeVpnConnections(
      new Vpc.DescribeVpnConnectionsRequest({ regionId: R, customerGatewayId: 'cgw-bp1opsdc00000000002' }),
    );
    expect(byCgw.body!.vpnConnections!.vpnConnection!.map((c) => c.name)).toEqual(['dev']);
    const byTag = await vpc.describeVpnConnections(
      new Vpc.DescribeVpnConnectionsRequest({
        regionId: R,
        tag: [
          new Vpc.DescribeVpnConnectionsRequestTag({ key: 'env', value: 'prod' }),
          new Vpc.DescribeVpnConnectionsRequestTag({ key: 'team' }),
        ],
      }),
    );
    expect(byTag.body!.vpnConnections!.vpnConnection!.map((c) => c.vpnConnectionId)).toEqual([BGP]);
    const err = await apiError(
      vpc.describeVpnConnections(new Vpc.DescribeVpnConnectionsRequest({ regionId: R, pageSize: 51 })),
    );
    expect([err.code, err.statusCode]).toEqual(['InvalidParameter', 400]);
  });

  it('scopes by account and region', async () => {
    const tokyo = await vpc.describeVpnConnections(
      new Vpc.DescribeVpnConnectionsRequest({ regionId: 'ap-northeast-1' }),
    );
    expect(tokyo.body!.vpnConnections!.vpnConnection!.map((c) => c.vpnConnectionId)).toEqual([
      'vco-6weops000000000001',
    ]);
    const empty = await vpc.describeVpnConnections(
      new Vpc.DescribeVpnConnectionsRequest({ regionId: 'eu-central-1' }),
    );
    expect(empty.body!.totalCount).toBe(0);
    const other = sim.vpc(1);
    const theirs = await other.describeVpnConnections(new Vpc.DescribeVpnConnectionsRequest({ regionId: R }));
    expect(theirs.body!.vpnConnections!.vpnConnection!.map((c) => c.vpnConnectionId)).toEqual([OTHER]);
    const err = await apiError(
      vpc.describeVpnConnection(
        new Vpc.DescribeVpnConnectionRequest({ regionId: R, vpnConnectionId: OTHER }),
      ),
    );
    expect([err.code, err.statusCode]).toEqual(['InvalidVpnConnectionInstanceId.NotFound', 404]);
  });

  it('DescribeVpnConnection: Tags wrapper, BGP per tunnel, required parameters', async () => {
    const res = await vpc.describeVpnConnection(
      new Vpc.DescribeVpnConnectionRequest({ regionId: R, vpnConnectionId: BGP }),
    );
    expect(res.body!.tags!.tag!.map((t) => t.key)).toEqual(['env', 'team']);
    expect(res.body!.enableTunnelsBgp).toBe(true);
    expect(res.body!.vpnBgpConfig!.enableBgp).toBe('true');
    expect(res.body!.zoneNo).toBe('cn-hangzhou-h');
    const [o1, o2] = res.body!.tunnelOptionsSpecification!.tunnelOptions!;
    expect(o1!.tunnelBgpConfig).toMatchObject({
      bgpStatus: 'success',
      localAsn: '45104',
      peerAsn: '65010',
      tunnelCidr: '169.254.11.0/30',
      localBgpIp: '169.254.11.1',
      peerBgpIp: '169.254.11.2',
    });
    expect(o2!.tunnelBgpConfig!.tunnelCidr).toBe('169.254.11.4/30');
    const missing = await apiError(
      vpc.describeVpnConnection(new Vpc.DescribeVpnConnectionRequest({ regionId: R })),
    );
    expect([missing.code, missing.statusCode]).toEqual(['MissingVpnConnectionId', 400]);
    const noRegion = await apiError(
      vpc.describeVpnConnection(new Vpc.DescribeVpnConnectionRequest({ vpnConnectionId: BGP })),
    );
    expect(noRegion.code).toBe('MissingRegionId');
  });
});

describe('routes', () => {
  it('DescribeVpnRouteEntries custom: one entry per tunnel, weight on the active one', async () => {
    const res = await vpc.describeVpnRouteEntries(
      new Vpc.DescribeVpnRouteEntriesRequest({ regionId: R, vpnGatewayId: GW }),
    );
    const entries = res.body!.vpnRouteEntries!.vpnRouteEntry!;
    const plain = entries.filter((e) => e.nextHop === PLAIN);
    expect(plain.map((e) => [e.routeDest, e.nextHopTunnelId, e.weight, e.state, e.routeEntryType])).toEqual([
      ['192.168.0.0/16', tunnels(PLAIN)[0].id, 100, 'published', 'custom'],
      ['192.168.0.0/16', tunnels(PLAIN)[1].id, 0, 'published', 'custom'],
    ]);
    expect(res.body!.totalCount).toBe(4);
    expect(
      res.body!.vpnRouteCounts!.vpnRouteCount!.find((c) => c.routeEntryType === 'custom')!.routeCount,
    ).toBe(4);
    const page2 = await vpc.describeVpnRouteEntries(
      new Vpc.DescribeVpnRouteEntriesRequest({ regionId: R, vpnGatewayId: GW, pageSize: 3, pageNumber: 2 }),
    );
    expect(page2.body!.vpnRouteEntries!.vpnRouteEntry).toHaveLength(1);
  });

  it('DescribeVpnRouteEntries bgp: learned and cloud routes', async () => {
    const res = await vpc.describeVpnRouteEntries(
      new Vpc.DescribeVpnRouteEntriesRequest({ regionId: R, vpnGatewayId: GW, routeEntryType: 'bgp' }),
    );
    const learned = res.body!.vpnRouteEntries!.vpnRouteEntry!.filter((e) => e.source === 'VPN_BGP');
    expect(learned.map((e) => [e.routeDest, e.nextHop, e.asPath, e.weight])).toEqual([
      ['172.20.0.0/16', BGP, '65010', 100],
      ['172.20.0.0/16', BGP, '65010', 0],
    ]);
    expect(
      res.body!.vpnRouteEntries!.vpnRouteEntry!.some(
        (e) => e.source === 'CLOUD' && e.routeDest === '10.0.0.0/16',
      ),
    ).toBe(true);
    expect(res.body!.vpnRouteCounts!.vpnRouteCount!.find((c) => c.source === 'VPN_BGP')!.routeCount).toBe(2);
  });

  it('DescribeVpnPbrRouteEntries', async () => {
    const res = await vpc.describeVpnPbrRouteEntries(
      new Vpc.DescribeVpnPbrRouteEntriesRequest({ regionId: R, vpnGatewayId: GW }),
    );
    expect(res.body!.totalCount).toBe(2);
    expect(res.body!.vpnPbrRouteEntries!.vpnPbrRouteEntry![0]).toMatchObject({
      routeDest: '10.50.0.0/16',
      routeSource: '10.0.0.0/16',
      nextHop: POLICY,
      priority: 5,
      state: 'published',
      weight: 100,
      vpnInstanceId: GW,
    });
  });
});

describe('a timeline incident at the injected time', () => {
  it('changes status, routes, diagnosis and logs at t+60 s, and fails back at t+300 s', async () => {
    const [t1, t2] = tunnels(PLAIN);
    const status = async () =>
      (
        await vpc.describeVpnConnection(
          new Vpc.DescribeVpnConnectionRequest({ regionId: R, vpnConnectionId: PLAIN }),
        )
      ).body!.tunnelOptionsSpecification!.tunnelOptions!.map((o) => o.status);
    const diagnose = async () =>
      (
        await vpc.diagnoseVpnConnections(
          new Vpc.DiagnoseVpnConnectionsRequest({ regionId: R, tunnelIds: [t1.id, t2.id] }),
        )
      ).body!;

    sim.advance(59);
    expect(await status()).toEqual(['ipsec_sa_established', 'ipsec_sa_established']);
    expect((await diagnose()).totalCount).toBe(0);

    sim.advance(1 + 110); // t+170 s: failed at t+60, gave up at t+110
    expect(await status()).toEqual(['ike_sa_not_established', 'ipsec_sa_established']);
    const d = await diagnose();
    expect(d.totalCount).toBe(1);
    const entry = d.vpnConnections![0]!;
    expect(entry).toMatchObject({
      vpnConnectionId: PLAIN,
      tunnelId: t1.id,
      failedReasonCode: 'NoResponse',
      failedReason: 'The peer gateway does not respond',
      severity: 'Critical',
      mismatchLocalParam: '',
    });
    // Attempts at t+60 and t+120 s, each giving up 50 s later: the latest failure is at t+170 s.
    expect(entry.failedTime).toBe(DEFAULT_START + 170_000);
    expect(entry.sourceLog).toContain('giving up after 5 retransmits');

    const routes = await vpc.describeVpnRouteEntries(
      new Vpc.DescribeVpnRouteEntriesRequest({ regionId: R, vpnGatewayId: GW }),
    );
    const plain = routes.body!.vpnRouteEntries!.vpnRouteEntry!.filter((e) => e.nextHop === PLAIN);
    expect(plain.map((e) => [e.nextHopTunnelId, e.weight])).toEqual([
      [t1.id, 0],
      [t2.id, 100],
    ]);

    const nowS = Math.floor(sim.now() / 1000);
    const logs = await vpc.describeVpnConnectionLogs(
      new Vpc.DescribeVpnConnectionLogsRequest({
        regionId: R,
        vpnConnectionId: PLAIN,
        tunnelId: t1.id,
        from: nowS - 600,
        to: nowS,
        pageSize: 50,
      }),
    );
    const lines = logs.body!.data!.logs!;
    expect(lines.some((l) => l.includes('[PROTO_ERR]') && l.includes('sending retransmit') === false)).toBe(
      true,
    );
    expect(lines.join('\n')).toContain('retransmit 1 of request with message ID 0');
    expect(lines.every((l) => l.includes(PLAIN))).toBe(true);
    expect(logs.body!.isCompleted).toBe(false);

    sim.advance(130); // t+300 s: recovery
    expect(await status()).toEqual(['ipsec_sa_established', 'ipsec_sa_established']);
    expect((await diagnose()).vpnConnections![0]!.severity).toBe('Warn');
    sim.advance(240);
    expect((await diagnose()).totalCount).toBe(0);
  });

  it('fails and recovers a tunnel through the control endpoints', async () => {
    const [, t2] = tunnels(BGP);
    const fail = await sim.control.fail(BGP, 2, 'PfsMismatch');
    expect(fail.body).toMatchObject({
      status: 'ipsec_sa_not_established',
      cause: 'PfsMismatch',
      tunnelId: t2.id,
    });
    const res = await vpc.describeVpnConnection(
      new Vpc.DescribeVpnConnectionRequest({ regionId: R, vpnConnectionId: BGP }),
    );
    const o2 = res.body!.tunnelOptionsSpecification!.tunnelOptions![1]!;
    expect(o2.status).toBe('ipsec_sa_not_established');
    expect(o2.tunnelBgpConfig!.bgpStatus).toBe('false');
    sim.advance(40);
    const d = await vpc.diagnoseVpnConnections(
      new Vpc.DiagnoseVpnConnectionsRequest({ regionId: R, vpnConnectionIds: [BGP] }),
    );
    expect(
      d.body!.vpnConnections!.map((v) => [
        v.tunnelId,
        v.failedReasonCode,
        v.mismatchLocalParam,
        v.mismatchRemoteParam,
      ]),
    ).toEqual([[t2.id, 'PfsMismatch', 'group14', 'disabled']]);
    expect((await sim.control.recover(BGP, 2)).body.status).toBe('ipsec_sa_established');
    const bad = await sim.control.post('incidents', { connectionId: BGP, tunnel: 3, cause: 'Nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/tunnel/);
    expect((await sim.control.fail('vco-unknown', 1, 'PskMismatch')).status).toBe(404);
  });
});

describe('logs and diagnosis parameters', () => {
  it('DescribeVpnConnectionLogs pages, accepts MinutePeriod, rejects windows over 10 minutes', async () => {
    await sim.control.fail(POLICY, 1, 'PskMismatch');
    sim.advance(300);
    const nowS = Math.floor(sim.now() / 1000);
    const req = (extra: Partial<Vpc.DescribeVpnConnectionLogsRequest>) =>
      new Vpc.DescribeVpnConnectionLogsRequest({ regionId: R, vpnConnectionId: POLICY, ...extra });
    const p1 = await vpc.describeVpnConnectionLogs(req({ from: nowS - 300, to: nowS - 1, pageSize: 5 }));
    const p2 = await vpc.describeVpnConnectionLogs(
      req({ from: nowS - 300, to: nowS - 1, pageSize: 5, pageNumber: 2 }),
    );
    expect(p1.body!.count).toBe(5);
    expect(p1.body!.pageSize).toBe(5);
    expect(p1.body!.isCompleted).toBe(true);
    expect(p2.body!.pageNumber).toBe(2);
    expect(p2.body!.data!.logs![0]).not.toBe(p1.body!.data!.logs![0]);
    expect(p1.body!.data!.logs!.every((l) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} vco-/.test(l))).toBe(true);
    const minute = await vpc.describeVpnConnectionLogs(req({ minutePeriod: 2, pageSize: 50 }));
    expect(minute.body!.data!.logs!.join('\n')).toMatch(/but MAC mismatched|HASH_V1/);
    const wide = await apiError(vpc.describeVpnConnectionLogs(req({ from: nowS - 601, to: nowS })));
    expect([wide.code, wide.statusCode]).toEqual(['InvalidParameter', 400]);
    const none = await apiError(vpc.describeVpnConnectionLogs(req({})));
    expect(none.code).toBe('InvalidParameter');
    const badTunnel = await apiError(
      vpc.describeVpnConnectionLogs(req({ minutePeriod: 1, tunnelId: 'tun-nope' })),
    );
    expect(badTunnel.code).toBe('InvalidTunnelId.NotFound');
    await sim.control.recover(POLICY, 1);
  });

  it('DiagnoseVpnConnections pages over failing tunnels and rejects unknown ids', async () => {
    sim.advance(200); // let earlier tests' recovered failures leave the 3-minute window
    await sim.control.fail(PLAIN, 1, 'IkeVersionMismatch');
    await sim.control.fail(PLAIN, 2, 'DhGroupMismatch');
    await sim.control.fail(BGP, 1, 'PskMismatch');
    sim.advance(10);
    const all = await vpc.diagnoseVpnConnections(
      new Vpc.DiagnoseVpnConnectionsRequest({ regionId: R, vpnGatewayId: GW, pageSize: 2 }),
    );
    expect(all.body!.totalCount).toBe(3);
    expect(all.body!.vpnConnections).toHaveLength(2);
    const page2 = await vpc.diagnoseVpnConnections(
      new Vpc.DiagnoseVpnConnectionsRequest({ regionId: R, vpnGatewayId: GW, pageSize: 2, pageNumber: 2 }),
    );
    expect(page2.body!.vpnConnections!.map((v) => v.failedReasonCode)).toEqual(['PskMismatch']);
    expect(all.body!.vpnConnections!.map((v) => v.failedReasonCode)).toEqual([
      'IkeVersionMismatch',
      'DhGroupMismatch',
    ]);
    const err = await apiError(
      vpc.diagnoseVpnConnections(
        new Vpc.DiagnoseVpnConnectionsRequest({ regionId: R, tunnelIds: ['tun-nope'] }),
      ),
    );
    expect([err.code, err.statusCode]).toEqual(['InvalidTunnelId.NotFound', 404]);
    for (const [c, t] of [
      [PLAIN, 1],
      [PLAIN, 2],
      [BGP, 1],
    ] as const) {
      await sim.control.recover(c, t);
    }
  });

  it('DiagnoseVpnGateway + GetVpnGatewayDiagnoseResult progress over time', async () => {
    const start = await vpc.diagnoseVpnGateway(
      new Vpc.DiagnoseVpnGatewayRequest({
        regionId: R,
        vpnGatewayId: GW,
        resourceId: PLAIN,
        resourceType: 'IPsec',
        IPsecExtendInfo: JSON.stringify({
          PrivateSourceIp: '10.0.1.10',
          PrivateDestinationIp: '192.168.1.10',
        }),
      }),
    );
    const id = start.body!.diagnoseId!;
    expect(id).toMatch(/^vpndgn-/);
    const get = async () =>
      (
        await vpc.getVpnGatewayDiagnoseResult(
          new Vpc.GetVpnGatewayDiagnoseResultRequest({ regionId: R, diagnoseId: id }),
        )
      ).body!;
    const first = await get();
    expect([first.finishedCount, first.totalCount, first.finishTime]).toEqual([0, 7, '']);
    sim.advance(5);
    expect((await get()).finishedCount).toBe(2);
    sim.advance(10);
    const done = await get();
    expect(done.finishedCount).toBe(7);
    expect(done.resourceInstanceId).toBe(PLAIN);
    expect(done.beginTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const internet = done.diagnoseResult!.find((r) => r.diagnoseName === 'VcoUserInternetIpConnectivity')!;
    expect(internet.diagnoseResultLevel).toBe('normal');
    expect(JSON.parse(internet.diagnoseResultDescription!)).toMatchObject({
      targetIp: '203.0.113.10',
      lossRate: 0,
    });
    const priv = done.diagnoseResult!.find((r) => r.diagnoseName === 'VcoPrivateConnectivity')!;
    expect(JSON.parse(priv.diagnoseResultDescription!)).toMatchObject({
      targetIp: '192.168.1.10',
      srcIp: '10.0.1.10',
    });
    const byGateway = await vpc.getVpnGatewayDiagnoseResult(
      new Vpc.GetVpnGatewayDiagnoseResultRequest({ regionId: R, vpnGatewayId: GW }),
    );
    expect(byGateway.body!.diagnoseId).toBe(id);
    const unknown = await apiError(
      vpc.getVpnGatewayDiagnoseResult(
        new Vpc.GetVpnGatewayDiagnoseResultRequest({ regionId: R, diagnoseId: 'vpndgn-x' }),
      ),
    );
    expect(unknown.code).toBe('InvalidDiagnoseId.NotFound');
  });

  it('answers an action it does not have as Alibaba does', async () => {
    const err = await apiError(
      vpc.describeVpnAttachments(new Vpc.DescribeVpnAttachmentsRequest({ regionId: R })),
    );
    expect([err.code, err.statusCode]).toEqual(['InvalidAction.NotFound', 404]);
  });
});

describe('an old gateway', () => {
  it('answers OperationUnsupported.DiagnoseVpn but still serves logs', async () => {
    const old = await startTestSimulator({ scenario: 'old-gateway' });
    try {
      const client = old.vpc();
      const conn = old.world.accounts[0]!.regions[0]!.connections[0]!;
      const err = await apiError(
        client.diagnoseVpnConnections(
          new Vpc.DiagnoseVpnConnectionsRequest({ regionId: R, vpnConnectionIds: [conn.id] }),
        ),
      );
      expect([err.name, err.code, err.statusCode]).toEqual([
        'ClientError',
        'OperationUnsupported.DiagnoseVpn',
        400,
      ]);
      const gw = await apiError(
        client.diagnoseVpnGateway(
          new Vpc.DiagnoseVpnGatewayRequest({
            regionId: R,
            vpnGatewayId: conn.vpnGatewayId,
            resourceId: conn.id,
            resourceType: 'IPsec',
          }),
        ),
      );
      expect(gw.code).toBe('OperationUnsupported.DiagnoseVpn');
      const logs = await client.describeVpnConnectionLogs(
        new Vpc.DescribeVpnConnectionLogsRequest({
          regionId: R,
          vpnConnectionId: conn.id,
          minutePeriod: 5,
          pageSize: 50,
        }),
      );
      const text = logs.body!.data!.logs!.join('\n');
      expect(text).toContain('invalid HASH_V1 payload length, decryption failed?'); // IKEv1 → racoon style
      expect(text).toContain('oakley.c');
    } finally {
      await old.close();
    }
  });
});
