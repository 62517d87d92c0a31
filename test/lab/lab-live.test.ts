// The strongSwan lab for real: two charon daemons in network namespaces negotiate, and the test
// reads what they printed. Needs root and the Debian strongSwan packages (CI has both: see
// scripts/system-deps.sh); elsewhere it skips and says why.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labUnavailableReason, runScenario, startLab } from '../../src/lab/index.js';

const reason = labUnavailableReason();
if (reason) console.log(`test/lab/lab-live.test.ts skipped: ${reason}`);

const netns = () =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

describe.skipIf(reason !== null)('strongSwan lab (real charon)', () => {
  it('brings up two charons, establishes IKEv2 and carries traffic through the CHILD_SA, then removes everything it made', async () => {
    const lab = await startLab();
    let stopped = false;
    try {
      expect(lab.sides.gateway.viciUri).toMatch(/^unix:\/\/.+charon\.vici$/);
      expect(lab.sides.peer.viciUri).not.toBe(lab.sides.gateway.viciUri);
      expect(netns()).toContain(lab.namespaces.gateway);

      const init = await lab.initiate({ timeoutS: 20 });
      expect(init.ok, init.output).toBe(true);
      const gw = await lab.listSas('gateway');
      expect(gw).toMatch(/vco-lab: #\d+, ESTABLISHED, IKEv2/);
      expect(gw).toMatch(/INSTALLED/);
      expect(await lab.listSas('peer')).toMatch(/to-alibaba: #\d+, ESTABLISHED, IKEv2/);

      // A TCP SYN from the on-prem host to the VPC host crosses the tunnel; the VPC host answers
      // with a reset (nothing listens), which proves the packet arrived through ESP.
      const probe = await lab.exec('peer', ['bash', '-c', `echo > /dev/tcp/${lab.addresses.gatewayHost}/9`]);
      expect(probe.stderr).toMatch(/Connection refused/);
      expect(await lab.listSas('gateway')).toMatch(/in {2}[0-9a-f]{8}, +[1-9]\d* bytes/);

      expect(lab.readLog('gateway')).toMatch(/IKE_SA vco-lab\[\d+\] established between 198\.18\.0\.1/);
      await lab.stop();
      stopped = true;
      expect(netns()).not.toContain(lab.namespaces.gateway);
      expect(netns()).not.toContain(lab.namespaces.peer);
      expect(existsSync(lab.dir)).toBe(false);
    } finally {
      if (!stopped) await lab.stop();
    }
  }, 60_000);

  it('runs scenarios in parallel without collisions; a PSK mismatch fails with charon`s own lines on each side', async () => {
    const [success, psk] = await Promise.all([
      runScenario('success-ikev2'),
      runScenario('psk-mismatch-ikev2'),
    ]);
    expect(success.outcome).toBe('established');
    expect(success.listSas.gateway).toMatch(/ESTABLISHED/);
    expect(psk.outcome).toBe('failed');
    expect(psk.asExpected).toBe(true);
    expect(psk.logs.gateway).toMatch(
      /tried 1 shared key for '198\.18\.0\.1' - '198\.18\.0\.2', but MAC mismatched/,
    );
    expect(psk.logs.peer).toMatch(/received AUTHENTICATION_FAILED notify error/);
    expect(psk.listSas.peer).not.toMatch(/ESTABLISHED/);
    expect(psk.strongswanVersion).toMatch(/^\d+\.\d+\.\d+/);
  }, 90_000);

  it('a dropped UDP 500 makes the peer give up after the short retransmits; the gateway sees nothing', async () => {
    const run = await runScenario('udp-500-blocked');
    expect(run.outcome).toBe('gave-up');
    expect(run.logs.peer).toMatch(/giving up after 5 retransmits/);
    expect(run.logs.gateway).not.toMatch(/received packet/);
    expect(run.durationMs).toBeLessThan(30_000);
  }, 60_000);

  it('kills the responder after establishment: the peer`s DPD gives up', async () => {
    const run = await runScenario('dpd-dead-gateway');
    expect(run.asExpected, run.missedSteps.join('; ')).toBe(true);
    expect(run.logs.peer).toMatch(/sending DPD request[\s\S]*giving up after 5 retransmits/);
    expect(run.listSas.gateway).toBe('');
  }, 60_000);

  it('NAT-T through a MASQUERADE namespace: both sides detect the NAT and establish on UDP 4500', async () => {
    const run = await runScenario('nat-t-success');
    expect(run.outcome).toBe('established');
    expect(run.logs.peer).toMatch(/local host is behind NAT, sending keep alives/);
    expect(run.logs.gateway).toMatch(/remote host is behind NAT/);
    // The gateway sees the NAT's outside address, not the peer's own.
    expect(run.listSas.gateway).toMatch(/remote '198\.18\.1\.2' @ 198\.18\.0\.2\[4500\]/);
  }, 60_000);

  it('takes extra strongswan.conf settings and custom swanctl.conf text per side', async () => {
    const lab = await startLab({
      gateway: { strongswan: { 'charon.cookie_threshold': 1 } },
      peer: { ike: { localId: 'custom.lab.example' } },
    });
    try {
      expect(readFileSync(lab.sides.gateway.strongswanConfPath, 'utf8')).toMatch(/cookie_threshold = 1/);
      const conf = readFileSync(lab.sides.gateway.swanctlConfPath, 'utf8').replace(
        'id = 198.18.0.2',
        'id = custom.lab.example',
      );
      await lab.load('gateway', conf);
      const init = await lab.initiate({ timeoutS: 20 });
      expect(init.ok, init.output).toBe(true);
      // The custom gateway config (expecting the peer's custom ID) is what charon authenticated.
      expect(lab.readLog('gateway')).toMatch(/looking for peer configs matching .*\[custom\.lab\.example\]/);
    } finally {
      await lab.stop();
    }
  }, 60_000);
});
