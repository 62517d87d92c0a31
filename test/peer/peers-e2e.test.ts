// Both sides end to end: a real charon of the lab is the on-prem device (read over its VICI socket
// and its swanctl.conf), the simulator serves the cloud side of the same tunnel. A matching pair shows
// both sides agreeing and no finding; each kind of disagreement is named with both values, as a
// warning that says when it bites while the tunnel is up, and as the cause once the tunnel is down.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createDoctor } from '../../src/daemon/runtime.js';
import { DEFAULT_PSK } from '../../src/lab/config.js';
import {
  GATEWAY_SUBNET,
  type Lab,
  labUnavailableReason,
  PEER_SUBNET,
  startLab,
} from '../../src/lab/index.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { ReportConnection } from '../../src/report/schema.js';
import type { TestSimulator } from '../support/sim.js';
import { type LabWorld, simAccountConfig, startLabWorld } from './world.js';

const reason = labUnavailableReason();
if (reason) console.log(`test/peer/peers-e2e.test.ts skipped: ${reason}`);

const CONN = 'vco-bp1peer00000000001';
const PEER_ID_PLACEHOLDER = '<the device address>';

interface PeerOverrides {
  version?: number;
  proposals?: string;
  esp?: string;
  psk?: string;
  localId?: string;
  rekeyTime?: string;
  localTs?: string;
}

/** The device's swanctl.conf (what a user has on the box), agreeing with the cloud unless overridden. */
function peerConf(lab: Lab, o: PeerOverrides = {}): string {
  return `connections {
  to-alibaba {
    version = ${o.version ?? 2}
    local_addrs = ${lab.addresses.peer}
    remote_addrs = ${lab.addresses.gateway}
    proposals = ${o.proposals ?? 'aes128-sha256-modp2048'}
    mobike = no
    dpd_delay = 30s
    ${o.rekeyTime ? `rekey_time = ${o.rekeyTime}` : ''}
    local {
      auth = psk
      id = ${o.localId ?? lab.addresses.peer}
    }
    remote {
      auth = psk
      id = ${lab.addresses.gateway}
    }
    children {
      to-alibaba {
        local_ts = ${o.localTs ?? PEER_SUBNET}
        remote_ts = ${GATEWAY_SUBNET}
        esp_proposals = ${o.esp ?? 'aes128-sha256'}
      }
    }
  }
}
secrets {
  ike-lab {
    secret = "${o.psk ?? DEFAULT_PSK}"
  }
}
`;
}

/** The cloud side: tunnel 1 is the lab gateway, with charon's default lifetimes (4 h IKE, 1 h CHILD). */
function world(lab: Lab): LabWorld {
  return {
    name: 'peers-e2e',
    description: 'tunnel 1 is the lab gateway',
    ids: 'peer00000000001',
    addresses: lab.addresses,
    connections: [
      {
        id: CONN,
        remoteSubnet: PEER_SUBNET,
        localSubnet: GATEWAY_SUBNET,
        ike: {
          version: 'ikev2',
          encAlg: 'aes',
          authAlg: 'sha256',
          dhGroup: 'group14',
          lifetime: 14400,
          psk: DEFAULT_PSK,
        },
        ipsec: { encAlg: 'aes', authAlg: 'sha256', pfs: 'disabled', lifetime: 3600 },
      },
    ],
  };
}

describe.skipIf(reason !== null)(
  'both sides of a tunnel: lab charon as the device, simulator as the cloud',
  () => {
    let lab: Lab;
    let sim: TestSimulator;
    let dir: string;
    let configPath: string;

    beforeAll(async () => {
      lab = await startLab({ peer: { load: false } });
      dir = mkdtempSync(join(tmpdir(), 'peers-e2e-'));
      await lab.load('peer', peerConf(lab));
      const init = await lab.initiate({ timeoutS: 20 });
      if (!init.ok) throw new Error(`lab did not establish: ${init.output}`);
      sim = await startLabWorld(join(dir, 'world.yaml'), world(lab));
      configPath = join(dir, 'config.yaml');
      writeFileSync(
        configPath,
        simAccountConfig(
          sim,
          `peers:
  - name: lab-dc
    vici: "${lab.sides.peer.viciUri}"
    swanctlConf: ${lab.sides.peer.swanctlConfPath}
    timeoutMs: 2000
`,
        ),
      );
    }, 90_000);
    afterAll(async () => {
      await sim?.close();
      await lab?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function diagnoseOnce(): Promise<{ conn: ReportConnection; metrics: string; markdown: string }> {
      const { doctor, close } = createDoctor(loadConfig(configPath, {}));
      try {
        await doctor.collectOnce();
        const report = buildReport(reportInputFromView(doctor));
        const metrics = await createMetrics(doctor, { version: 'test', defaultMetrics: false }).render();
        expect(report.peers).toEqual([expect.objectContaining({ name: 'lab-dc', reachable: true })]);
        return {
          conn: report.connections.find((c) => c.id === CONN)!,
          metrics,
          markdown: renderMarkdown(report),
        };
      } finally {
        close();
      }
    }

    it('a matching pair: both sides agree field by field, no finding, peer metrics up', async () => {
      await lab.load('peer', peerConf(lab));
      const { conn, metrics } = await diagnoseOnce();
      const side = conn.tunnels[0]!.peer!;
      expect(side).toMatchObject({
        name: 'lab-dc',
        ikeConnection: 'to-alibaba',
        ikeSaState: 'ESTABLISHED',
        childSaUp: true,
      });
      const disagreeing = side.rows.filter((r) => r.agree !== true);
      expect(disagreeing, JSON.stringify(side.rows, null, 1)).toEqual([]);
      expect(side.rows.map((r) => r.field)).toEqual(
        expect.arrayContaining(['ike-version', 'ike-dh-group', 'psk', 'pfs', 'local-ts', 'ike-lifetime']),
      );
      expect(conn.tunnels[1]!.peer).toBeUndefined(); // tunnel 2 (198.18.9.9) is served by no device
      expect(conn.findings).toEqual([]);
      expect(metrics).toContain('alivpn_peer_up{peer="lab-dc"} 1');
      expect(metrics).toMatch(/alivpn_peer_ike_sa_up\{[^}]*tunnel_id="[^"]+"[^}]*peer="lab-dc"\} 1/);
      expect(metrics).toMatch(/alivpn_peer_child_sa_bytes_total\{[^}]*direction="in"\} \d+/);
      // The PSK itself never leaves the device: only fingerprints are shown.
      expect(JSON.stringify(conn)).not.toContain(DEFAULT_PSK);
    });

    it.each([
      {
        what: 'PSK',
        o: { psk: 'a-different-psk' },
        rule: 'psk-mismatch',
        values: [/sha256:[0-9a-f]{12}/, /sha256:[0-9a-f]{12}/],
      },
      {
        what: 'DH group',
        o: { proposals: 'aes128-sha256-modp1024' },
        rule: 'dh-group-mismatch',
        values: ['group14', 'group2'],
      },
      {
        what: 'encryption',
        o: { proposals: 'aes256-sha256-modp2048' },
        rule: 'ike-algorithm-mismatch',
        values: ['says aes,', 'says aes256'],
      },
      { what: 'IKE version', o: { version: 1 }, rule: 'ike-version-mismatch', values: ['ikev2', 'ikev1'] },
      {
        what: 'IDs',
        o: { localId: 'dc1.example' },
        rule: 'peer-id-mismatch',
        values: [PEER_ID_PLACEHOLDER, 'dc1.example'],
      },
      { what: 'lifetime', o: { rekeyTime: '1h' }, rule: 'lifetime-mismatch', values: ['14400s', '3600s'] },
      {
        what: 'PFS',
        o: { esp: 'aes128-sha256-modp2048' },
        rule: 'pfs-mismatch',
        values: ['disabled', 'group14'],
      },
      {
        what: 'traffic selectors',
        o: { localTs: '198.19.3.0/24' },
        rule: 'traffic-selector-mismatch',
        values: [PEER_SUBNET, '198.19.3.0/24'],
      },
    ] as { what: string; o: PeerOverrides; rule: string; values: (string | RegExp)[] }[])(
      '$what: named with both values while the tunnel is up, saying when it bites',
      async ({ o, rule, values }) => {
        await lab.load('peer', peerConf(lab, o));
        const { conn } = await diagnoseOnce();
        const f = conn.findings.find((x) => x.rule === rule);
        expect(f, JSON.stringify(conn.findings.map((x) => x.rule))).toBeDefined();
        expect(f!.severity).toBe('warning');
        expect(f!.tunnelId).toBe(conn.tunnels[0]!.id);
        for (const v of values) {
          const value = v === PEER_ID_PLACEHOLDER ? lab.addresses.peer : v;
          expect(f!.summary).toMatch(typeof value === 'string' ? value : value);
        }
        expect(f!.evidence.some((e) => e.startsWith('When: it '))).toBe(true);
        expect(f!.remediation[0]).toMatch(/^On the device \(swanctl\.conf/);
        expect(JSON.stringify(conn)).not.toContain('a-different-psk');
      },
    );

    it("reads the device's own log through the classifier (side peer) and adds its lines to the cause", async () => {
      await lab.load('peer', peerConf(lab, { localTs: '198.19.3.0/24' }));
      expect((await sim.control.fail(CONN, 1, 'NegotiationFailed')).status).toBe(200);
      const { doctor, close } = createDoctor(loadConfig(configPath, {}));
      try {
        await doctor.collectOnce(); // opens the device's log subscription
        await lab.swanctl('peer', ['--terminate', '--ike', 'to-alibaba']);
        const init = await lab.initiate({ timeoutS: 10 });
        expect(init.ok).toBe(false);
        await doctor.collectOnce();
        const report = buildReport(reportInputFromView(doctor));
        const conn = report.connections.find((c) => c.id === CONN)!;
        const f = conn.findings.find((x) => x.rule === 'traffic-selector-mismatch');
        expect(f, JSON.stringify(conn.findings.map((x) => x.rule))).toBeDefined();
        expect(
          f!.evidence.some((e) => /The device's log .*TS_UNACCEPTABLE/i.test(e)),
          f!.evidence.join('\n'),
        ).toBe(true);
      } finally {
        close();
        await sim.control.recover(CONN, 1);
        await lab.load('peer', peerConf(lab));
        await lab.initiate({ timeoutS: 20 });
      }
    });

    it('once the tunnel is down, the difference is the cause and replaces negotiation-failed', async () => {
      await lab.load('peer', peerConf(lab, { proposals: 'aes128-sha256-modp1024' }));
      const failed = await sim.control.fail(CONN, 1, 'NegotiationFailed');
      expect(failed.status).toBe(200);
      try {
        const { conn } = await diagnoseOnce();
        const t1 = conn.tunnels[0]!;
        expect(t1.up).toBe(false);
        const rules = conn.findings.filter((f) => f.tunnelId === t1.id).map((f) => f.rule);
        expect(rules).toContain('dh-group-mismatch');
        expect(rules).not.toContain('negotiation-failed');
        const f = conn.findings.find((x) => x.rule === 'dh-group-mismatch')!;
        expect(f.summary).toMatch(/This is why the tunnel does not negotiate/);
        expect(f.remediation[0]).toContain('proposals = aes128-sha256-modp2048');
        expect(t1.ladder?.find((l) => l.layer === 'ike')).toMatchObject({
          state: 'fail',
          rules: ['dh-group-mismatch'],
        });
      } finally {
        await sim.control.recover(CONN, 1);
      }
    });
  },
);
