// `alivpn-doctor peer-config` as a user runs it: a separate process, a YAML config, the simulator as
// the cloud. That the generated swanctl.conf really negotiates is proven against real charon in
// test/peer/peer-config-lab.test.ts; here: what is printed, what is not (the PSK), the exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('peer-config against the simulated cloud', { timeout: 120_000 }, () => {
  let sim: TestSimulator;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'healthy', clock: 'real' });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-peer-config-'));
    const key = sim.keys[0]!;
    config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'storage: { path: ":memory:" }',
        'api: { readTimeoutMs: 3000, retries: { max: 1, baseDelayMs: 1, maxDelayMs: 2 } }',
        'accounts:',
        '  - name: prod',
        `    accessKeyId: ${key.accessKeyId}`,
        `    accessKeySecret: ${key.accessKeySecret}`,
        `    regions: [${sim.world.accounts[0]!.regions.map((r) => r.id).join(', ')}]`,
        `    endpoint: ${sim.url}`,
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const world = () => sim.world.accounts[0]!.regions[0]!.connections[0]!;

  it('prints both tunnels with strongSwan proposals and a PSK placeholder; the PSK only when asked', async () => {
    const conn = world();
    const [t1, t2] = conn.tunnels;
    const plain = await cli(['peer-config', '--config', config, '--connection', conn.id]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`remote_addrs = ${t1.internetIp}`);
    expect(plain.stdout).toContain(`remote_addrs = ${t2.internetIp}`);
    // The healthy default: IKEv2, aes256 / sha256 / group14, PFS group14.
    expect(plain.stdout).toContain('proposals = aes256-sha256-modp2048');
    expect(plain.stdout).toContain('esp_proposals = aes256-sha256-modp2048');
    expect(plain.stdout).toContain(`local_ts = ${conn.remoteSubnets.join(', ')}`);
    expect(plain.stdout).toMatch(/secret = "<PSK of tun-/);
    expect(plain.stdout).not.toContain(t1.ike.psk);
    expect(plain.stderr).not.toContain(t1.ike.psk);

    const withPsk = await cli([
      'peer-config',
      '--config',
      config,
      '--connection',
      conn.id,
      '--include-psk',
      '--tunnel',
      '2',
    ]);
    expect(withPsk.code).toBe(0);
    expect(withPsk.stdout).toContain(`remote_addrs = ${t2.internetIp}`);
    expect(withPsk.stdout).not.toContain(`remote_addrs = ${t1.internetIp}`);
    expect(withPsk.stdout).toContain(t2.ike.psk);
  });

  it('exits 3 naming a connection that is nowhere, and 64 on bad usage', async () => {
    const missing = await cli(['peer-config', '--config', config, '--connection', 'vco-doesnotexist000']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/vco-doesnotexist000 was not found in any configured account or region/);
    const bad = await cli(['peer-config', '--config', config, '--connection', world().id, '--tunnel', '3']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--tunnel must be one of 1, 2/);
  });
});
