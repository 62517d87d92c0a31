// serve with peers that misbehave: one answers (a lab charon with 50 IKE connections, matched to 50
// cloud connections on the same gateway), one has no socket any more, one hangs (SIGSTOPped charon:
// its socket accepts, nothing answers), and the answering one disappears mid-run. Throughout, the
// cloud side keeps being collected and the bad peers are unknown (alivpn_peer_up 0), never healthy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { type Daemon, startDaemon } from '../../src/daemon/runtime.js';
import { DEFAULT_PSK } from '../../src/lab/config.js';
import { type Lab, labUnavailableReason, startLab } from '../../src/lab/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { Report } from '../../src/report/schema.js';
import type { TestSimulator } from '../support/sim.js';
import { type LabWorld, SIM_KEY, startLabWorld } from './world.js';

const reason = labUnavailableReason();
if (reason) console.log(`test/peer/peers-serve.test.ts skipped: ${reason}`);

const N = 50;
const connId = (i: number) => `vco-bp1many${String(i).padStart(11, '0')}`;
const onPrem = (i: number) => `10.100.${i}.0/24`;

function world(lab: Lab): LabWorld {
  return {
    name: 'peers-serve',
    description: '50 connections on the lab gateway',
    ids: 'many00000000001',
    addresses: lab.addresses,
    connections: Array.from({ length: N }, (_, i) => ({
      id: connId(i),
      remoteSubnet: onPrem(i),
      localSubnet: '198.19.1.0/24',
      ike: { psk: DEFAULT_PSK },
    })),
  };
}

/** 50 IKE connections on the device, one per cloud connection (same addresses, own selectors). */
function peerConf(lab: Lab): string {
  const conns = Array.from(
    { length: N },
    (_, i) => `  dc-${i} {
    version = 2
    local_addrs = ${lab.addresses.peer}
    remote_addrs = ${lab.addresses.gateway}
    proposals = aes256-sha256-modp2048
    local { auth = psk
      id = ${lab.addresses.peer} }
    remote { auth = psk
      id = ${lab.addresses.gateway} }
    children { dc-${i} { local_ts = ${onPrem(i)}
      remote_ts = 198.19.1.0/24
      esp_proposals = aes256-sha256-modp2048 } }
  }`,
  );
  return `connections {\n${conns.join('\n')}\n}\nsecrets { ike-lab { secret = "${DEFAULT_PSK}" } }\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(
  what: string,
  fn: () => Promise<T | null> | T | null,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe.skipIf(reason !== null)('serve with misbehaving peers', { timeout: 180_000 }, () => {
  let lab: Lab;
  let sim: TestSimulator;
  let daemon: Daemon;
  let dir: string;

  beforeAll(async () => {
    lab = await startLab({ peer: { load: false } });
    await lab.load('peer', peerConf(lab));
    dir = mkdtempSync(join(tmpdir(), 'peers-serve-'));
    sim = await startLabWorld(join(dir, 'world.yaml'), world(lab));
    // The gateway's charon stands in for a device whose daemon hangs.
    process.kill(lab.sides.gateway.pid!, 'SIGSTOP');
    const config = configSchema.parse({
      storage: { path: ':memory:' },
      poll: { status: '*/2 * * * * *', peers: '*/2 * * * * *', adaptive: { enabled: false } },
      api: { retries: { max: 1, baseDelayMs: 1, maxDelayMs: 2 } },
      accounts: [
        {
          name: 'prod',
          accessKeyId: SIM_KEY.id,
          accessKeySecret: SIM_KEY.secret,
          regions: ['cn-hangzhou'],
          endpoint: sim.url,
        },
      ],
      peers: [
        {
          name: 'dc',
          vici: lab.sides.peer.viciUri,
          swanctlConf: lab.sides.peer.swanctlConfPath,
          timeoutMs: 2000,
        },
        { name: 'gone', vici: `unix://${join(dir, 'no-such.vici')}`, timeoutMs: 500 },
        { name: 'hung', vici: lab.sides.gateway.viciUri, timeoutMs: 500 },
      ],
    });
    daemon = await startDaemon(config, {
      listen: { host: '127.0.0.1', port: 0 },
      logger: createLogger({ level: 'silent' }),
    });
  }, 90_000);
  afterAll(async () => {
    if (lab?.sides.gateway.pid) process.kill(lab.sides.gateway.pid, 'SIGCONT');
    await daemon?.stop();
    await sim?.close();
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const metrics = async () => (await fetch(`${daemon.url}/metrics`)).text();

  it('matches all 50 device connections to their cloud connections; the bad peers are unknown', async () => {
    const sides = await until('50 matched tunnels', () => {
      const s = daemon.doctor.peerTunnels();
      return s.length === N ? s : null;
    });
    for (let i = 0; i < N; i++) {
      const side = sides.find((s) => s.ikeConnection === `dc-${i}`);
      expect(side?.connectionId, `dc-${i}`).toBe(connId(i));
    }
    // The hung daemon is read in parallel and answers only by timing out: wait for its first verdict.
    const peers = await until('every peer read once', () => {
      const p = daemon.doctor.peers();
      return p.every((x) => x.error !== 'not read yet') ? p : null;
    });
    expect(peers.find((p) => p.name === 'dc')).toMatchObject({ reachable: true });
    expect(peers.find((p) => p.name === 'gone')).toMatchObject({
      reachable: false,
      error: expect.stringContaining('no socket at'),
    });
    expect(peers.find((p) => p.name === 'hung')).toMatchObject({
      reachable: false,
      // First a timeout; once the stopped daemon's accept queue is full, a refused connect.
      error: expect.stringMatching(/no answer for 500 ms|within 500 ms|accepts no more connections/),
    });
    const text = await metrics();
    expect(text).toContain('alivpn_peer_up{peer="dc"} 1');
    expect(text).toContain('alivpn_peer_up{peer="gone"} 0');
    expect(text).toContain('alivpn_peer_up{peer="hung"} 0');
    // Not negotiated on the device: IKE SA series 0, not absent and not 1.
    expect(text).toMatch(/alivpn_peer_ike_sa_up\{[^}]*peer="dc"\} 0/);
  });

  it('keeps collecting the cloud side while a peer hangs and after the answering one disappears', async () => {
    const before = daemon.doctor.statusCycles;
    await until('two more status cycles', () => daemon.doctor.statusCycles >= before + 2);
    await lab.kill('peer');
    const gone = await until(
      'the killed peer reported unknown',
      () => daemon.doctor.peers().find((p) => p.name === 'dc' && !p.reachable) ?? null,
    );
    expect(gone.error).toMatch(/VICI/);
    const after = daemon.doctor.statusCycles;
    await until('status cycles after the peer vanished', () => daemon.doctor.statusCycles >= after + 2);
    expect(await metrics()).toContain('alivpn_peer_up{peer="dc"} 0');
    // Unknown, not down: no SA series for a peer that cannot be read.
    expect(await metrics()).not.toMatch(/alivpn_peer_ike_sa_up\{[^}]*peer="dc"\}/);
    const report = (await (await fetch(`${daemon.url}/api/v1/report`)).json()) as Report;
    expect(report.connections).toHaveLength(N);
    expect(report.peers?.map((p) => [p.name, p.reachable])).toEqual([
      ['dc', false],
      ['gone', false],
      ['hung', false],
    ]);
  });
});
