// `serve` with the probe tier on, against the simulator whose customer gateway IP is a real charon
// in the lab (linked to this namespace). The daemon probes it on its schedule: per-tunnel
// alivpn_ike_probe_success, a NoResponse from Alibaba set aside while the peer answers, and a
// peer-unreachable finding whose evidence is the probe once UDP 500/4500 are dropped at the peer.
// Needs root and strongSwan; elsewhere it skips and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { type Daemon, startDaemon } from '../../src/daemon/runtime.js';
import { type Lab, labUnavailableReason, startLab } from '../../src/lab/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { Finding } from '../../src/model/finding.js';
import { parseScenario } from '../../src/sim/world/load.js';
import { responderSide } from '../support/ike-responder.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

const reason = labUnavailableReason();
if (reason) console.log(`test/probe/serve.test.ts skipped: ${reason}`);

const CONNECTION = 'vco-bp1probe0000000001';

function world(customerGatewayIp: string) {
  return parseScenario(
    `name: probe-lab
description: One dual-tunnel connection whose customer gateway is a lab charon.
expect: []
accounts:
  - name: prod
    accessKeys:
      - { id: LTAI5tSimFake000000001, secret: SimFakeSecretDoNotUse000000001 }
    regions:
      cn-hangzhou:
        gateways:
          - { id: vpn-bp1probe0000000001, name: probe-gw }
        customerGateways:
          - { id: cgw-bp1probe0000000001, name: lab-charon, ip: ${customerGatewayIp}, asn: 65010 }
        connections:
          - id: ${CONNECTION}
            name: to-lab
            gateway: vpn-bp1probe0000000001
            customerGateway: cgw-bp1probe0000000001
            remoteSubnet: 192.168.0.0/16
`,
    'probe-lab (test)',
  );
}

async function until<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 45_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(reason !== null)('serve with IKE probes against a lab charon', { timeout: 180_000 }, () => {
  let lab: Lab;
  let sim: TestSimulator;
  let daemon: Daemon;
  let cgw: string;

  beforeAll(async () => {
    lab = await startLab({ hostLink: 'peer', peer: responderSide() });
    cgw = lab.addresses.hostLink!.remote;
    sim = await startTestSimulator({ scenario: world(cgw), clock: 'real' });
    const key = sim.keys[0]!;
    const config = configSchema.parse({
      storage: { path: ':memory:' },
      poll: { status: '*/2 * * * * *', adaptive: { enabled: false } },
      api: { retries: { max: 1, baseDelayMs: 1, maxDelayMs: 2 } },
      probe: { enabled: true, schedule: '*/2 * * * * *', timeoutMs: 300, retries: 1 },
      accounts: [
        {
          name: 'prod',
          accessKeyId: key.accessKeyId,
          accessKeySecret: key.accessKeySecret,
          regions: ['cn-hangzhou'],
          endpoint: sim.url,
        },
      ],
    });
    daemon = await startDaemon(config, {
      listen: { host: '127.0.0.1', port: 0 },
      logger: createLogger({ level: 'silent' }),
    });
  }, 90_000);
  afterAll(async () => {
    await daemon?.stop();
    await sim?.close();
    await lab?.stop();
  });

  const metrics = async () => (await fetch(`${daemon.url}/metrics`)).text();
  const probeSeries = (text: string) =>
    text.split('\n').filter((l) => l.startsWith('alivpn_ike_probe_success{'));
  const findingsOf = (tunnelId: string): Finding[] =>
    daemon.doctor.diagnosis().findings.filter((f) => f.tunnelId === tunnelId);

  it('exports alivpn_ike_probe_success per tunnel and port, from probes charon really answered', async () => {
    const series = await until('probe metrics for both tunnels', async () => {
      const lines = probeSeries(await metrics());
      return lines.length === 4 && lines.every((l) => l.endsWith(' 1')) ? lines : null;
    });
    const tunnels = daemon.doctor.snapshot()!.regions[0]!.connections.data[0]!.tunnels;
    for (const t of tunnels)
      for (const port of ['500', '4500'])
        expect(
          series.some(
            (l) =>
              l.includes(`tunnel_id="${t.id}"`) &&
              l.includes(`port="${port}"`) &&
              l.includes('target="customer-gateway"'),
          ),
        ).toBe(true);
    expect(await metrics()).toMatch(/alivpn_ike_probe_duration_seconds\{[^}]*port="4500"\} 0\.\d+/);
    expect(lab.readLog('peer')).toMatch(/parsed IKE_SA_INIT request 0/);
  });

  it('a NoResponse from Alibaba while the peer answers the probe is not peer-unreachable', async () => {
    const tunnel1 = daemon.doctor.snapshot()!.regions[0]!.connections.data[0]!.tunnels[0]!.id;
    expect((await sim.control.fail(CONNECTION, 1, 'NoResponse')).status).toBe(200);
    const failed = await until('negotiation-failed with the probe answer', () =>
      findingsOf(tunnel1).find(
        (f) =>
          f.rule === 'negotiation-failed' &&
          f.text.en.evidence.some((e) => e.startsWith('Set aside: the evidence reads as no answer')),
      ),
    );
    expect(findingsOf(tunnel1).map((f) => f.rule)).not.toContain('peer-unreachable');
    expect(failed.text.en.evidence.find((e) => e.startsWith('IKE probe'))).toMatch(
      new RegExp(
        `^IKE probe \\(\\d+ s ago\\): UDP 500 to ${cgw.replace(/\./g, '\\.')}: answered IKE_SA_INIT \\(proposal accepted: AES_CBC-128/AUTH_HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048\\) in [\\d.]+ ms; UDP 4500: answered`,
      ),
    );
    const ladder = daemon.doctor.diagnosis().ladders.find((l) => l.tunnelId === tunnel1)!;
    expect(ladder.layers[0]).toMatchObject({ layer: 'reachability', state: 'ok' });
    expect(ladder.layers[0]!.note).toMatch(/^IKE probe: UDP 500 to .*answered/);
  });

  it('with UDP 500 and 4500 dropped at the peer: probe metrics 0 and a peer-unreachable finding whose evidence is the probe', async () => {
    const tunnel1 = daemon.doctor.snapshot()!.regions[0]!.connections.data[0]!.tunnels[0]!.id;
    await lab.dropUdp('peer', 500);
    await lab.dropUdp('peer', 4500);
    try {
      const finding = await until('peer-unreachable from the probe', () =>
        findingsOf(tunnel1).find(
          (f) => f.rule === 'peer-unreachable' && f.text.en.evidence.some((e) => e.startsWith('IKE probe')),
        ),
      );
      expect(finding.text.en.evidence).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^IKE probe \\(\\d+ s ago\\): UDP 500 to ${cgw.replace(/\./g, '\\.')}: no answer to 2 IKE_SA_INIT in 0\\.6 s; UDP 4500: no answer to 2 IKE_SA_INIT in 0\\.6 s$`,
          ),
        ),
      );
      expect(findingsOf(tunnel1).map((f) => f.rule)).not.toContain('negotiation-failed');
      const text = await metrics();
      expect(text).toMatch(
        new RegExp(`alivpn_ike_probe_success\\{[^}]*tunnel_id="${tunnel1}"[^}]*port="500"\\} 0`),
      );
      expect(text).toMatch(
        new RegExp(`alivpn_finding\\{rule="peer-unreachable"[^}]*tunnel_id="${tunnel1}"\\} 1`),
      );
      const ladder = daemon.doctor.diagnosis().ladders.find((l) => l.tunnelId === tunnel1)!;
      expect(ladder.layers[0]).toMatchObject({
        layer: 'reachability',
        state: 'fail',
        rules: ['peer-unreachable'],
      });
      expect(ladder.layers[0]!.note).toMatch(/no answer to 2 IKE_SA_INIT/);
      // The report (HTTP API) carries the same evidence.
      const report = (await (await fetch(`${daemon.url}/api/v1/report`)).json()) as {
        connections: { findings: { rule: string; evidence: string[] }[] }[];
      };
      const reported = report.connections[0]!.findings.find((f) => f.rule === 'peer-unreachable')!;
      expect(reported.evidence.some((e) => e.includes('no answer to 2 IKE_SA_INIT'))).toBe(true);
    } finally {
      await lab.allowUdp('peer', 500);
      await lab.allowUdp('peer', 4500);
    }
  });
});
