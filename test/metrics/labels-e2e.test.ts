// The metric contract, scraped from a running daemon (docs/architecture.md, "Metrics"): no label value
// is ever empty (a label that does not apply is absent), the connection name is only on
// alivpn_connection_info, alivpn_tunnel_ipsec_sa_up equals alivpn_tunnel_up series for series, and
// every API call is counted with its account and region. The daemon is the real one (`demo`, or
// `serve`'s startDaemon), reading the simulator through the SDK, scraped over HTTP:
// - shipped scenarios with failures of each layer (the demo: per-account budgets);
// - a world with an unnamed connection, BGP, a failed tunnel, a region that becomes unreadable,
//   IKE probes, an unreachable peer and, where the strongSwan lab runs, a real peer matched to a
//   tunnel (per-region budgets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../src/cli/commands/demo.js';
import { configSchema } from '../../src/config/index.js';
import { type Daemon, startDaemon } from '../../src/daemon/runtime.js';
import { DEFAULT_PSK } from '../../src/lab/config.js';
import {
  GATEWAY_SUBNET,
  type Lab,
  labUnavailableReason,
  PEER_SUBNET,
  startLab,
} from '../../src/lab/index.js';
import { createLogger } from '../../src/log/logger.js';
import { parseScenario } from '../../src/sim/world/load.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: string;
  line: string;
}

/** Every sample of the exposition text (comments skipped), label values unescaped enough to test. */
function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    let rest = body;
    for (const lm of body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"(,|$)/g)) {
      labels[lm[1]!] = lm[2]!;
      rest = rest.replace(lm[0], '');
    }
    if (rest !== '') throw new Error(`unparsable labels in: ${line}`);
    out.push({ name: m[1]!, labels, value: m[3]!, line });
  }
  return out;
}

/** What every scrape must satisfy, whatever the world. */
function checkContract(text: string, where: string): Sample[] {
  const samples = parseExposition(text);
  const ours = samples.filter((s) => s.name.startsWith('alivpn_'));
  expect(ours.length, `${where}: alivpn_ series`).toBeGreaterThan(0);
  const empty = samples.filter((s) => Object.values(s.labels).some((v) => v === '')).map((s) => s.line);
  expect(empty, `${where}: samples with an empty label value`).toEqual([]);

  const named = ours.filter((s) => 'connection_name' in s.labels).map((s) => s.name);
  expect(new Set(named), `${where}: series carrying connection_name`).toEqual(
    new Set(named.length ? ['alivpn_connection_info'] : []),
  );
  // One info series per connection that has any series.
  const info = ours.filter((s) => s.name === 'alivpn_connection_info');
  const connections = new Set(ours.map((s) => s.labels.connection_id).filter((id) => id !== undefined));
  expect(info.map((s) => s.labels.connection_id).sort(), `${where}: info series`).toEqual(
    [...connections].sort(),
  );
  expect(new Set(info.map((s) => s.value))).toEqual(new Set(['1']));

  // The alias: the same label sets and values.
  const key = (s: Sample) => `${JSON.stringify(s.labels)} ${s.value}`;
  const up = ours
    .filter((s) => s.name === 'alivpn_tunnel_up')
    .map(key)
    .sort();
  expect(
    ours
      .filter((s) => s.name === 'alivpn_tunnel_ipsec_sa_up')
      .map(key)
      .sort(),
    `${where}: alias`,
  ).toEqual(up);

  const requests = ours.filter((s) => s.name === 'alivpn_api_requests_total');
  expect(requests.length, `${where}: API request series`).toBeGreaterThan(0);
  for (const r of requests)
    expect(Object.keys(r.labels).sort(), r.line).toEqual(['account', 'action', 'code', 'product', 'region']);
  return ours;
}

const scrape = async (url: string) => {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};

async function until<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('no empty label value in shipped scenarios (demo: per-account budgets)', () => {
  // One per layer of failures, plus the healthy world and a gateway without the diagnosis API.
  const SCENARIOS = [
    'healthy',
    'psk-mismatch',
    'bgp-session-down',
    'old-gateway',
    'peer-unreachable',
    'security-group-blocks',
  ];
  for (const scenario of SCENARIOS) {
    it(scenario, { timeout: 90_000 }, async () => {
      const demo = await startDemo({ port: 0, statusSchedule: '* * * * * *', scenario, log: false });
      try {
        // Wait for what the scenario is diagnosed as: the evidence tier has run and findings are out.
        const rules = [...new Set(demo.world.expect.map((e) => e.rule))];
        const text = await until(`${scenario}: ${rules.join(', ') || 'the first status cycle'}`, async () => {
          const t = await scrape(demo.url);
          const ready =
            t.includes('alivpn_connection_info{') && rules.every((r) => t.includes(`rule="${r}"`));
          return ready ? t : null;
        });
        const ours = checkContract(text, scenario);
        // Budgets are per account by default: no region label rather than region="".
        const budgets = ours.filter((s) => s.name === 'alivpn_api_budget_rate_per_second');
        expect(budgets.length).toBeGreaterThan(0);
        for (const b of budgets) expect(b.labels).not.toHaveProperty('region');
        // A connection-scoped finding has no tunnel_id; a tunnel's has one.
        for (const f of ours.filter((s) => s.name === 'alivpn_finding')) {
          const scoped = demo.world.expect.find((e) => e.rule === f.labels.rule);
          if (scoped && scoped.tunnel === undefined) expect(f.labels, f.line).not.toHaveProperty('tunnel_id');
        }
      } finally {
        await demo.stop();
      }
    });
  }
});

const labReason = labUnavailableReason();
const KEY = { id: 'LTAI5tSimFake000000001', secret: 'SimFakeSecretDoNotUse000000001' };
const NAMED = 'vco-bp1labels000000001';
const UNNAMED = 'vco-bp1labels000000002';
const FAILING = 'vco-bp1labels000000003';
const TOKYO = 'vco-gw5labels000000001';
const LAB_CONN = 'vco-bp1labels00000000l';

function world(lab: Lab | null): string {
  const labPart = lab
    ? `
          - id: ${LAB_CONN}
            name: to-lab
            gateway: vpn-bp1labels00000002
            customerGateway: cgw-bp1labels00000002
            remoteSubnet: ${PEER_SUBNET}
            localSubnet: ${GATEWAY_SUBNET}
            ike: { version: ikev2, encAlg: aes, authAlg: sha256, dhGroup: group14, lifetime: 14400, psk: "${DEFAULT_PSK}" }
            ipsec: { encAlg: aes, authAlg: sha256, pfs: disabled, lifetime: 3600 }`
    : '';
  const labGateway = lab
    ? `
          - { id: vpn-bp1labels00000002, internetIp: ${lab.addresses.gateway}, disasterRecoveryInternetIp: 198.18.9.9 }`
    : '';
  const labCgw = lab
    ? `
          - { id: cgw-bp1labels00000002, ip: ${lab.addresses.peer} }`
    : '';
  return `name: labels
description: "every kind of series: unnamed, BGP, failing, an unreadable region, probes, peers"
accounts:
  - name: prod
    accessKeys: [{ id: ${KEY.id}, secret: ${KEY.secret} }]
    regions:
      cn-hangzhou:
        gateways:
          - { id: vpn-bp1labels00000001, name: hz-gw }${labGateway}
        customerGateways:
          - { id: cgw-bp1labels00000001, name: dc, ip: 127.0.0.1, asn: 65010 }${labCgw}
        connections:
          - { id: ${NAMED}, name: named-bgp, gateway: vpn-bp1labels00000001, customerGateway: cgw-bp1labels00000001, remoteSubnet: 192.168.0.0/16, enableBgp: true }
          - { id: ${UNNAMED}, name: "", gateway: vpn-bp1labels00000001, customerGateway: cgw-bp1labels00000001, remoteSubnet: 192.169.0.0/16 }
          - { id: ${FAILING}, name: failing, gateway: vpn-bp1labels00000001, customerGateway: cgw-bp1labels00000001, remoteSubnet: 192.170.0.0/16 }${labPart}
      ap-northeast-1:
        gateways:
          - { id: vpn-gw5labels00000001, name: tokyo-gw }
        customerGateways:
          - { id: cgw-gw5labels00000001, name: tokyo-dc, ip: 127.0.0.2 }
        connections:
          - { id: ${TOKYO}, name: tokyo, gateway: vpn-gw5labels00000001, customerGateway: cgw-gw5labels00000001, remoteSubnet: 172.16.0.0/16 }
`;
}

describe('no empty label value with probes, peers, failures and an unreadable region (serve: per-region budgets)', {
  timeout: 180_000,
}, () => {
  let lab: Lab | null = null;
  let sim: TestSimulator;
  let daemon: Daemon;

  beforeAll(async () => {
    if (labReason) console.log(`test/metrics/labels-e2e.test.ts: no lab peer (${labReason})`);
    else lab = await startLab();
    sim = await startTestSimulator({ scenario: parseScenario(world(lab), 'labels (test)'), clock: 'real' });
    const config = configSchema.parse({
      storage: { path: ':memory:' },
      poll: { status: '* * * * * *', peers: '*/2 * * * * *', adaptive: { enabled: false } },
      api: { retries: { max: 0, baseDelayMs: 1, maxDelayMs: 2 }, budget: { scope: 'region' } },
      probe: { enabled: true, schedule: '*/2 * * * * *', timeoutMs: 200, retries: 0 },
      accounts: [
        {
          name: 'prod',
          accessKeyId: KEY.id,
          accessKeySecret: KEY.secret,
          regions: ['cn-hangzhou', 'ap-northeast-1'],
          endpoint: sim.url,
        },
      ],
      peers: [
        { name: 'gone', vici: 'unix:///nonexistent/alivpn-labels-test.vici', timeoutMs: 300 },
        ...(lab ? [{ name: 'lab-dc', vici: lab.sides.peer.viciUri, timeoutMs: 2000 }] : []),
      ],
    });
    daemon = await startDaemon(config, {
      listen: { host: '127.0.0.1', port: 0 },
      logger: createLogger({ level: 'silent' }),
    });
  }, 120_000);
  afterAll(async () => {
    await daemon?.stop();
    await sim?.close();
    await lab?.stop();
  });

  const samplesOf = (ours: Sample[], name: string) => ours.filter((s) => s.name === name);

  it('exports every kind of series with no empty label value, before and after a region turns unreadable', async () => {
    expect((await sim.control.fail(FAILING, 1, 'PskMismatch')).status).toBe(200);
    const text = await until('probes, peers, BGP and the failing tunnel diagnosed', async () => {
      const t = await scrape(daemon.url);
      const ready =
        t.includes('alivpn_ike_probe_success{') &&
        t.includes('alivpn_peer_up{peer="gone"} 0') &&
        t.includes('alivpn_tunnel_bgp_up{') &&
        t.includes('rule="failover-active"') &&
        (!lab || t.includes('alivpn_peer_ike_sa_up{'));
      return ready ? t : null;
    });
    const ours = checkContract(text, 'serve');

    // The unnamed connection: an info series without connection_name, and nothing empty.
    expect(
      samplesOf(ours, 'alivpn_connection_info').find((s) => s.labels.connection_id === UNNAMED)?.labels,
    ).toEqual({
      account: 'prod',
      region: 'cn-hangzhou',
      vpn_gateway_id: 'vpn-bp1labels00000001',
      connection_id: UNNAMED,
    });
    const failover = samplesOf(ours, 'alivpn_finding').find(
      (s) => s.labels.rule === 'failover-active' && s.labels.connection_id === FAILING,
    );
    expect(failover?.labels).not.toHaveProperty('tunnel_id');
    for (const b of samplesOf(ours, 'alivpn_api_budget_rate_per_second'))
      expect(b.labels.region).toMatch(/\S/);
    const tokyoCalls = samplesOf(ours, 'alivpn_api_requests_total').filter(
      (s) => s.labels.region === 'ap-northeast-1' && s.labels.action === 'DescribeVpnConnections',
    );
    expect(tokyoCalls.map((s) => s.labels.code)).toContain('200');
    if (lab) {
      const peerSeries = samplesOf(ours, 'alivpn_peer_child_sa_bytes_total');
      expect(peerSeries.length).toBeGreaterThan(0);
      expect(peerSeries[0]!.labels).toMatchObject({ peer: 'lab-dc', connection_id: LAB_CONN });
    }

    // Tokyo becomes unreadable: collection fails there, the last known state stays (fresh), and still
    // nothing is empty.
    const fault = await sim.control.post('faults', {
      kind: 'apiError',
      product: 'vpc',
      action: 'DescribeVpnConnections',
      region: 'ap-northeast-1',
      status: 503,
      code: 'ServiceUnavailable',
      message: 'The request has failed due to a temporary failure of the server.',
    });
    expect(fault.status).toBe(200);
    const blind = await until('ap-northeast-1 status collection failing', async () => {
      const t = await scrape(daemon.url);
      return t.includes('alivpn_collect_success{account="prod",region="ap-northeast-1",tier="status"} 0')
        ? t
        : null;
    });
    const after = checkContract(blind, 'serve, a region unreadable');
    expect(
      samplesOf(after, 'alivpn_api_requests_total').find(
        (s) =>
          s.labels.region === 'ap-northeast-1' &&
          s.labels.action === 'DescribeVpnConnections' &&
          s.labels.code === 'ServiceUnavailable',
      ),
    ).toBeDefined();
    // The unreadable region's connection keeps its name and identity while its state is last-known.
    expect(samplesOf(after, 'alivpn_connection_info').map((s) => s.labels.connection_id)).toContain(TOKYO);
  });
});
