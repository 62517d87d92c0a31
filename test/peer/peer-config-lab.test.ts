// The generator proven by a real negotiation: `alivpn-doctor peer-config` reads a simulated cloud
// connection whose tunnel 1 is the lab's gateway; its swanctl.conf, loaded into the lab's on-prem
// charon, must establish IKE and CHILD SAs with the lab gateway configured like the cloud side (that
// configuration is written here by hand in strongSwan's terms, not by the generator).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GATEWAY_SUBNET,
  type IkeSettings,
  labUnavailableReason,
  PEER_SUBNET,
  startLab,
} from '../../src/lab/index.js';
import type { TestSimulator } from '../support/sim.js';
import { type LabWorld, simAccountConfig, startLabWorld } from './world.js';

const reason = labUnavailableReason();
if (reason) console.log(`test/peer/peer-config-lab.test.ts skipped: ${reason}`);

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');
const PSK = 'lab-generated-psk-1';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Case {
  name: string;
  /** Cloud side, as Alibaba names it (the simulated world). */
  ike: Record<string, string | number>;
  ipsec: Record<string, string | number>;
  /** The same, written by hand for the lab gateway (strongSwan names). */
  gateway: Partial<IkeSettings>;
}

const CASES: Case[] = [
  {
    name: 'IKEv2, aes/sha1/group2, ESP aes256/sha256 with PFS group14',
    ike: { version: 'ikev2', encAlg: 'aes', authAlg: 'sha1', dhGroup: 'group2', lifetime: 28800 },
    ipsec: { encAlg: 'aes256', authAlg: 'sha256', pfs: 'group14', lifetime: 3600 },
    gateway: { version: 2, proposals: ['aes128-sha1-modp1024'], espProposals: ['aes256-sha256-modp2048'] },
  },
  {
    name: 'IKEv1 main mode, aes256/sha256/group14, ESP aes/sha1 without PFS',
    ike: { version: 'ikev1', mode: 'main', encAlg: 'aes256', authAlg: 'sha256', dhGroup: 'group14' },
    ipsec: { encAlg: 'aes', authAlg: 'sha1', pfs: 'disabled' },
    gateway: {
      version: 1,
      aggressive: false,
      proposals: ['aes256-sha256-modp2048'],
      espProposals: ['aes128-sha1'],
    },
  },
];

function world(c: Case, addresses: LabWorld['addresses']): LabWorld {
  return {
    name: 'peer-config-lab',
    description: 'tunnel 1 is the lab gateway',
    ids: 'lab000000000001',
    addresses,
    connections: [
      {
        id: 'vco-bp1lab000000000001',
        remoteSubnet: PEER_SUBNET,
        localSubnet: GATEWAY_SUBNET,
        ike: { ...c.ike, psk: PSK },
        ipsec: c.ipsec,
      },
    ],
  };
}

describe.skipIf(reason !== null)('peer-config negotiates with a gateway configured like the cloud', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'peer-config-lab-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(CASES)(
    '$name',
    async (c) => {
      const lab = await startLab({
        gateway: { ike: { ...c.gateway, psk: PSK } },
        peer: { load: false },
      });
      let sim: TestSimulator | undefined;
      try {
        sim = await startLabWorld(join(dir, `${c.gateway.version}.yaml`), world(c, lab.addresses));
        const config = join(dir, `config-${c.gateway.version}.yaml`);
        writeFileSync(config, simAccountConfig(sim));
        const out = await cli([
          'peer-config',
          '--config',
          config,
          '--connection',
          'vco-bp1lab000000000001',
          '--tunnel',
          '1',
          '--include-psk',
        ]);
        expect(out.code, out.stderr).toBe(0);
        // start_action = start: loading it is enough for the device to initiate.
        await lab.load('peer', out.stdout);
        const deadline = Date.now() + 30_000;
        let gw = '';
        while (Date.now() < deadline) {
          gw = await lab.listSas('gateway');
          if (/ESTABLISHED/.test(gw) && /INSTALLED/.test(gw)) break;
          await new Promise((r) => setTimeout(r, 300));
        }
        expect(gw, `${out.stdout}\n--- gateway log ---\n${lab.readLog('gateway').slice(-3000)}`).toMatch(
          new RegExp(`vco-lab: #\\d+, ESTABLISHED, IKEv${c.gateway.version}`),
        );
        expect(gw).toMatch(/INSTALLED/);
        expect(gw).toContain(`${GATEWAY_SUBNET}`);
      } finally {
        await sim?.close();
        await lab.stop();
      }
    },
    120_000,
  );
});
