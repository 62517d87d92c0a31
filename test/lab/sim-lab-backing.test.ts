// A simulated tunnel backed by the strongSwan lab: real charons negotiate, and the Alibaba API the
// daemon reads (through the real SDK) shows that negotiation's Status and the gateway charon's own
// log lines. The parsing and mapping parts run everywhere; the live part needs root and strongSwan.
import * as Vpc from '@alicloud/vpc20160428';
import { afterEach, describe, expect, it } from 'vitest';
import { readCorpusFile } from '../../scripts/gen-ike-corpus.js';
import { labUnavailableReason, SCENARIOS } from '../../src/lab/index.js';
import {
  backTunnelWithLab,
  causeOf,
  codeOf,
  gatewayLogLines,
  parseLabBinding,
} from '../../src/sim/lab-backing.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

const reason = labUnavailableReason();
if (reason) console.log(`test/lab/sim-lab-backing.test.ts: live part skipped: ${reason}`);

const CONN = 'vco-bp1hztokyo00000001';
let sim: TestSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function tunnelView(s: TestSimulator) {
  const vpc = s.vpc(0, 'cn-hangzhou');
  const conns = await vpc.describeVpnConnections(
    new Vpc.DescribeVpnConnectionsRequest({ regionId: 'cn-hangzhou', vpnConnectionId: CONN }),
  );
  const tunnels = conns.body!.vpnConnections!.vpnConnection![0]!.tunnelOptionsSpecification!.tunnelOptions!;
  const nowS = Math.floor(s.now() / 1000);
  const logs = await vpc.describeVpnConnectionLogs(
    new Vpc.DescribeVpnConnectionLogsRequest({
      regionId: 'cn-hangzhou',
      vpnConnectionId: CONN,
      tunnelId: tunnels[0]!.tunnelId!,
      from: nowS - 540,
      to: nowS + 1,
      pageSize: 50,
    }),
  );
  return { status: tunnels.map((t) => t.status), logs: logs.body!.data!.logs ?? [] };
}

describe('lab-backed tunnels', () => {
  it('parses --lab bindings and rejects unknown scenarios by name', () => {
    expect(parseLabBinding('psk-mismatch-ikev2')).toEqual({ tunnel: 1, scenario: 'psk-mismatch-ikev2' });
    expect(parseLabBinding(`${CONN}:2=dpd-dead-peer`)).toEqual({
      connection: CONN,
      tunnel: 2,
      scenario: 'dpd-dead-peer',
    });
    expect(() => parseLabBinding('no-such-scenario')).toThrow(/unknown lab scenario "no-such-scenario"/);
    expect(() => parseLabBinding('vco-x:3=psk')).toThrow(/expected \[vco-…:\]1\|2=SCENARIO/);
  });

  it('maps every lab scenario to a FailedReasonCode the simulator knows, or to up', () => {
    for (const s of SCENARIOS) {
      const cause = causeOf(s);
      if (cause === null) expect(s.outcome, s.name).toBe('established');
      else expect(codeOf(cause), s.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
    expect(codeOf('psk-mismatch')).toBe('PskMismatch');
    expect(causeOf(SCENARIOS.find((s) => s.name === 'dpd-dead-peer')!)).toBe('dpd-timeout');
    // A host whose kernel installs the SA after all: the real negotiation established.
    const kernel = SCENARIOS.find((s) => s.name === 'child-install-failure-gateway')!;
    expect(causeOf(kernel, { outcome: 'established' })).toBeNull();
  });

  it('turns a recorded gateway charon log into Alibaba log lines that keep charon`s text', () => {
    const log = readCorpusFile('psk-mismatch-ikev2', 'gateway.log');
    const lines = gatewayLogLines(log, CONN, Date.UTC(2026, 0, 1, 0, 0, 10));
    expect(lines.length).toBeGreaterThan(10);
    const mac = lines.find((l) => l.line.includes('but MAC mismatched'))!;
    expect(mac.level).toBe('PROTO_ERR');
    expect(mac.line).toMatch(
      /^2026-01-01 08:00:\d\d vco-bp1hztokyo00000001 \[PROTO_ERR\]: \d\d\[IKE\] <vco-lab\|1> tried 1 shared key for '198\.18\.0\.1' - '198\.18\.0\.2', but MAC mismatched$/,
    );
    expect(lines[lines.length - 1]!.at).toBe(Date.UTC(2026, 0, 1, 0, 0, 10));
    // Daemon start-up and VICI chatter are not part of a tunnel's log.
    expect(lines.some((l) => /Starting IKE charon|vici client/.test(l.line))).toBe(false);
  });

  it.skipIf(reason !== null)(
    'a real PSK mismatch takes the tunnel down, and its logs are the gateway charon`s lines',
    async () => {
      sim = await startTestSimulator({ scenario: 'healthy', clock: 'real' });
      expect((await tunnelView(sim)).status).toEqual(['ipsec_sa_established', 'ipsec_sa_established']);
      const backed = await backTunnelWithLab(sim.sim, {
        connection: CONN,
        tunnel: 1,
        scenario: 'psk-mismatch-ikev2',
      });
      expect(backed).toMatchObject({ outcome: 'failed', code: 'PskMismatch' });
      const view = await tunnelView(sim);
      expect(view.status).toEqual(['ike_sa_not_established', 'ipsec_sa_established']);
      expect(view.logs.join('\n')).toMatch(
        /\[PROTO_ERR\]: \d\d\[IKE\] <vco-lab\|1> tried 1 shared key .* but MAC mismatched/,
      );
      // Nothing invented: every line is one charon printed.
      for (const l of view.logs)
        expect(l).toMatch(/^\S+ \S+ vco-\w+ \[(DEBUG|PROTO_ERR)\]: \d\d\[[A-Z]{3}\] <[^>]*> /);
    },
    60_000,
  );
});
