// The probe against a real charon (strongSwan) in the lab: the responder's namespace is linked to
// this process's namespace (`hostLink`), so probeIke() runs here; the CLI runs inside the lab's
// gateway namespace (the cloud side probing the customer gateway). Needs root and strongSwan (CI
// installs both: scripts/system-deps.sh); elsewhere it skips and says why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, labUnavailableReason, startLab } from '../../src/lab/index.js';
import { type ProbeOptions, probeIke } from '../../src/probe/index.js';
import { responderConf, responderSide } from '../support/ike-responder.js';

const reason = labUnavailableReason();
if (reason) console.log(`test/probe/charon.test.ts skipped: ${reason}`);

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');

describe.skipIf(reason !== null)('the IKE probe against charon', { timeout: 120_000 }, () => {
  let lab: Lab;
  let target: string;
  const probe = (o: Partial<ProbeOptions>) => probeIke({ host: target, timeoutMs: 400, retries: 1, ...o });

  /** `alivpn-doctor probe` inside the gateway namespace, towards the peer (the customer gateway). */
  const cliFromGateway = async (args: string[]) => {
    const r = await lab.exec(
      'gateway',
      [process.execPath, BIN, 'probe', lab.addresses.peer, '--timeout-ms', '400', '--retries', '1', ...args],
      60_000,
    );
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    lab = await startLab({
      hostLink: 'peer',
      peer: responderSide(),
    });
    target = lab.addresses.hostLink!.remote;
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('IKEv2 on 500 and on 4500 (non-ESP marker): charon accepts the proposal and answers IKE_SA_INIT', async () => {
    for (const port of [500, 4500]) {
      const r = await probe({ port });
      expect(r, `port ${port}`).toMatchObject({ outcome: 'answered', answered: true, attempts: 1 });
      expect(r.answer).toMatchObject({
        kind: 'sa-init',
        version: 2,
        exchange: 'IKE_SA_INIT',
        proposal: 'AES_CBC-128/AUTH_HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
        malformed: null,
      });
      expect(r.answer!.payloads.slice(0, 3)).toEqual(['SA', 'KE', 'Nonce']);
      expect(r.rttMs).toBeLessThan(400);
    }
    const log = lab.readLog('peer');
    expect(log).toMatch(/parsed IKE_SA_INIT request 0 \[ SA KE No N\(NATD_S_IP\) N\(NATD_D_IP\) \]/);
    // charon's own reading of our proposal, and of our NAT detection hashes (right: no NAT seen).
    expect(log).toContain(
      'received proposals: IKE:AES_CBC_128/AES_CBC_256/AES_CBC_192/3DES_CBC/HMAC_SHA2_256_128/HMAC_SHA1_96/HMAC_SHA2_384_192/HMAC_SHA2_512_256/HMAC_MD5_96/PRF_HMAC_SHA2_256/PRF_HMAC_SHA1/PRF_HMAC_SHA2_384/PRF_HMAC_SHA2_512/PRF_HMAC_MD5/MODP_2048/MODP_1024/MODP_1536/ECP_256/ECP_384',
    );
    expect(log).not.toMatch(/remote host is behind NAT/);
    expect(log).toMatch(
      new RegExp(
        `received packet: from ${lab.addresses.hostLink!.local.replace(/\./g, '\\.')}\\[\\d+\\] to ${target.replace(/\./g, '\\.')}\\[4500\\]`,
      ),
    );
  });

  it('IKEv1 Main Mode on 500 and 4500: charon chooses a transform', async () => {
    for (const port of [500, 4500]) {
      const r = await probe({ port, ike: 'v1' });
      expect(r.answer, `port ${port}`).toMatchObject({
        kind: 'main-mode',
        version: 1,
        exchange: 'MAIN_MODE',
        proposal: 'AES-128/SHA256/MODP_2048',
      });
    }
    expect(lab.readLog('peer')).toMatch(/parsed ID_PROT request 0 \[ SA \]/);
  });

  it('a responder with no matching proposal answers a notify: still reachable', async () => {
    await lab.load('peer', responderConf('aes256gcm16-prfsha384-ecp384'));
    const v2 = await probe({ port: 500 });
    expect(v2).toMatchObject({ outcome: 'answered', answered: true });
    expect(v2.answer).toMatchObject({ kind: 'notify', notify: 'NO_PROPOSAL_CHOSEN', notifyType: 14 });
    const v1 = await probe({ port: 4500, ike: 'v1' });
    expect(v1.answer).toMatchObject({
      kind: 'informational',
      exchange: 'INFORMATIONAL_V1',
      notify: 'NO_PROPOSAL_CHOSEN',
    });

    // A responder that wants another DH group than our KE payload carries says so.
    await lab.load('peer', responderConf('aes128-sha256-modp1024'));
    const ke = await probe({ port: 500, dhGroup: 14 });
    expect(ke.answer).toMatchObject({ kind: 'notify', notify: 'INVALID_KE_PAYLOAD', wantsDhGroup: 2 });
    const ecp = await probe({ port: 500, dhGroup: 19 });
    expect(ecp.answer?.notify).toBe('INVALID_KE_PAYLOAD');
    await lab.load('peer', responderConf('aes128-sha256-ecp256'));
    expect((await probe({ port: 500, dhGroup: 19 })).answer?.kind).toBe('sa-init');
    await lab.load('peer', responderConf('aes128-sha256-modp2048'));
  });

  it('UDP 500 dropped in the responder namespace: no answer on 500, 4500 still answers; both dropped: silence', async () => {
    await lab.dropUdp('peer', 500);
    try {
      const blocked = await probe({ port: 500 });
      expect(blocked).toMatchObject({ outcome: 'no-answer', answered: false, attempts: 2, answer: null });
      expect(blocked.elapsedMs).toBeGreaterThanOrEqual(750);
      expect((await probe({ port: 4500 })).answer?.kind).toBe('sa-init');
      expect((await probe({ port: 500, ike: 'v1' })).outcome).toBe('no-answer');

      // The CLI as an operator runs it on the cloud side: exit 2 for 500, exit 0 for 4500.
      const cli500 = await cliFromGateway(['--port', '500']);
      expect(cli500.code, cli500.stderr).toBe(2);
      expect(cli500.stdout).toBe(`UDP 500 to ${lab.addresses.peer}: no answer to 2 IKE_SA_INIT in 0.8 s\n`);
      const cli4500 = await cliFromGateway(['--port', '4500', '--format', 'json']);
      expect(cli4500.code, cli4500.stderr).toBe(0);
      // The lab's own peer config accepts only the gateway's address; here any address is accepted.
      expect(JSON.parse(cli4500.stdout)).toMatchObject({
        answered: true,
        port: 4500,
        answer: { kind: 'sa-init' },
      });

      await lab.dropUdp('peer', 4500);
      try {
        expect((await probe({ port: 4500 })).outcome).toBe('no-answer');
        const cli = await cliFromGateway(['--port', '4500', '--ike', 'v1']);
        expect(cli.code).toBe(2);
        expect(cli.stdout).toMatch(/no answer to 2 Main Mode in 0\.8 s/);
      } finally {
        await lab.allowUdp('peer', 4500);
      }
    } finally {
      await lab.allowUdp('peer', 500);
    }
    expect((await probe({ port: 500 })).answered).toBe(true);
  });

  it('leaves only half-open IKE SAs on the responder (the documented cost of a probe)', async () => {
    await probe({ port: 500 });
    const sas = await lab.listSas('peer');
    expect(sas).not.toMatch(/ESTABLISHED/);
    expect(readFileSync(lab.sides.peer.logPath, 'utf8')).not.toMatch(/IKE_SA .* established/);
  });

  it('a responder over its half-open threshold answers COOKIE: still an answer', async () => {
    const busy = await startLab({
      hostLink: 'peer',
      peer: {
        swanctlConf: responderConf('aes128-sha256-modp2048'),
        strongswan: { 'charon.cookie_threshold_ip': 1 },
      },
    });
    try {
      const host = busy.addresses.hostLink!.remote;
      expect((await probeIke({ host, timeoutMs: 400, retries: 1 })).answer?.kind).toBe('sa-init');
      const second = await probeIke({ host, timeoutMs: 400, retries: 1 });
      expect(second).toMatchObject({ outcome: 'answered', answer: { kind: 'notify', notify: 'COOKIE' } });
    } finally {
      await busy.stop();
    }
  });
});
