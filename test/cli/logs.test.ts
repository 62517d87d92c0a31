// `alivpn-doctor logs classify` as a user runs it, on each form a log is pasted in: charon's file
// log, syslog/journal lines, `swanctl --log` output and Alibaba's DescribeVpnConnectionLogs lines.
// The lines are recorded real charon 5.9.8 output (the lab's psk-mismatch-ikev2 scenario).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');

function cli(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The gateway (responder) side: charon's file log, `time_format = %b %e %T`, `ike_name = yes`. */
const GATEWAY = [
  'Dec  6 02:23:53 14[CFG] <1>   candidate: 198.18.0.1...198.18.0.2, prio 3100',
  'Dec  6 02:23:53 14[CFG] <1> found matching ike config: 198.18.0.1...198.18.0.2 with prio 3100',
  'Dec  6 02:23:53 14[IKE] <1> local endpoint changed from 0.0.0.0[500] to 198.18.0.1[500]',
  'Dec  6 02:23:53 14[IKE] <1> remote endpoint changed from 0.0.0.0 to 198.18.0.2[500]',
  'Dec  6 02:23:53 14[IKE] <1> 198.18.0.2 is initiating an IKE_SA',
  'Dec  6 02:23:53 14[IKE] <1> IKE_SA (unnamed)[1] state change: CREATED => CONNECTING',
  'Dec  6 02:23:53 14[CFG] <1> selecting proposal:',
  'Dec  6 02:23:53 14[CFG] <1>   proposal matches',
  'Dec  6 02:23:53 14[CFG] <1> received proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
  'Dec  6 02:23:53 14[CFG] <1> configured proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
  'Dec  6 02:23:53 14[CFG] <1> selected proposal: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
  'Dec  6 02:23:53 14[CFG] <1> received supported signature hash algorithms: sha256 sha384 sha512 identity',
  'Dec  6 02:23:53 14[IKE] <1> remote host is behind NAT',
  'Dec  6 02:23:53 14[CFG] <1> sending supported signature hash algorithms: sha256 sha384 sha512 identity',
  'Dec  6 02:23:53 14[ENC] <1> generating IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(CHDLESS_SUP) N(MULT_AUTH) ]',
  'Dec  6 02:23:53 14[NET] <1> sending packet: from 198.18.0.1[500] to 198.18.0.2[500] (472 bytes)',
  'Dec  6 02:23:53 09[KNL] flags changed for fe80::8401:14ff:fe95:457a on avl8170fcg',
  'Dec  6 02:23:53 11[NET] <1> received packet: from 198.18.0.2[4500] to 198.18.0.1[4500] (256 bytes)',
  'Dec  6 02:23:54 11[ENC] <1> parsed IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]',
  'Dec  6 02:23:54 11[IKE] <1> local endpoint changed from 198.18.0.1[500] to 198.18.0.1[4500]',
  'Dec  6 02:23:54 11[IKE] <1> remote endpoint changed from 198.18.0.2[500] to 198.18.0.2[4500]',
  'Dec  6 02:23:54 11[CFG] <1> looking for peer configs matching 198.18.0.1[198.18.0.1]...198.18.0.2[198.18.0.2]',
  'Dec  6 02:23:54 11[CFG] <1>   candidate "vco-lab", match: 20/20/3100 (me/other/ike)',
  "Dec  6 02:23:54 11[CFG] <vco-lab|1> selected peer config 'vco-lab'",
  "Dec  6 02:23:54 11[IKE] <vco-lab|1> tried 1 shared key for '198.18.0.1' - '198.18.0.2', but MAC mismatched",
  'Dec  6 02:23:54 11[ENC] <vco-lab|1> generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]',
  'Dec  6 02:23:54 11[NET] <vco-lab|1> sending packet: from 198.18.0.1[4500] to 198.18.0.2[4500] (80 bytes)',
  'Dec  6 02:23:54 11[IKE] <vco-lab|1> IKE_SA vco-lab[1] state change: CONNECTING => DESTROYING',
];

/** The peer (initiator) side of the same negotiation. */
const PEER = [
  'Dec  6 02:23:53 15[IKE] <to-alibaba|1> reinitiating already active tasks',
  'Dec  6 02:23:53 15[IKE] <to-alibaba|1>   IKE_CERT_PRE task',
  'Dec  6 02:23:53 15[IKE] <to-alibaba|1>   IKE_AUTH task',
  "Dec  6 02:23:53 15[IKE] <to-alibaba|1> authentication of '198.18.0.2' (myself) with pre-shared key",
  'Dec  6 02:23:53 15[IKE] <to-alibaba|1> successfully created shared key MAC',
  'Dec  6 02:23:53 15[CFG] <to-alibaba|1> proposing traffic selectors for us:',
  'Dec  6 02:23:53 15[CFG] <to-alibaba|1>  198.19.2.0/24',
  'Dec  6 02:23:53 15[CFG] <to-alibaba|1> proposing traffic selectors for other:',
  'Dec  6 02:23:53 15[CFG] <to-alibaba|1>  198.19.1.0/24',
  'Dec  6 02:23:53 15[CFG] <to-alibaba|1> configured proposals: ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ',
  'Dec  6 02:23:53 15[IKE] <to-alibaba|1> establishing CHILD_SA to-alibaba{1}',
  'Dec  6 02:23:53 15[ENC] <to-alibaba|1> generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]',
  'Dec  6 02:23:53 15[NET] <to-alibaba|1> sending packet: from 198.18.0.2[4500] to 198.18.0.1[4500] (256 bytes)',
  'Dec  6 02:23:54 11[NET] <to-alibaba|1> received packet: from 198.18.0.1[4500] to 198.18.0.2[4500] (80 bytes)',
  'Dec  6 02:23:54 11[ENC] <to-alibaba|1> parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]',
  'Dec  6 02:23:54 11[IKE] <to-alibaba|1> received AUTHENTICATION_FAILED notify error',
  'Dec  6 02:23:54 11[IKE] <to-alibaba|1> IKE_SA to-alibaba[1] state change: CONNECTING => DESTROYING',
];

const CHARON = /^(\w{3} [ \d]\d \d\d:\d\d:\d\d) (\d\d\[\w+\]) (?:<[^>]+> )?(.*)$/;
const split = (line: string) => {
  const m = CHARON.exec(line);
  return m ? { time: m[1]!, thread: m[2]!, text: m[3]! } : null;
};
/** As journalctl / syslog show charon's lines. */
const journal = (lines: string[]) =>
  lines.map((l) => {
    const p = split(l);
    return p ? `${p.time} gw-host charon[812]: ${p.thread} ${p.text}` : l;
  });
/** As `swanctl --log` prints them (thread and group, no time, no IKE_SA name). */
const swanctlLog = (lines: string[]) =>
  lines.map((l) => {
    const p = split(l);
    return p ? `${p.thread} ${p.text}` : l;
  });
/** As DescribeVpnConnectionLogs returns a strongSwan-style gateway's lines. */
const alibaba = (lines: string[]) =>
  lines.map((l) => {
    const p = split(l);
    return p ? `2026-12-06 10:23:54 vco-bp1spxu8hlcvpd7ry**** [DEBUG]: ${p.text}` : l;
  });

const dir = mkdtempSync(join(tmpdir(), 'alivpn-logs-'));
const file = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

describe('logs classify', { timeout: 120_000 }, () => {
  it.each([
    ['a charon file log', GATEWAY],
    ['journal lines', journal(GATEWAY)],
    ['swanctl --log output', swanctlLog(GATEWAY)],
    ['Alibaba-prefixed lines', alibaba(GATEWAY)],
  ])('names the PSK from the gateway side in %s', async (_form, lines) => {
    const r = await cli(['logs', 'classify', file(`gw-${Math.random()}.log`, lines)]);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v).toMatchObject({ cause: 'psk-mismatch', candidates: ['psk-mismatch'], phase: 'ike' });
    expect(v.evidence[0].line).toContain('but MAC mismatched');
  });

  it('reads stdin and, from the initiator, does not pretend to know PSK from ID', async () => {
    const r = await cli(['logs', 'classify', '--side', 'peer', '-'], `${journal(PEER).join('\n')}\n`);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.cause).toBe('negotiation-failed');
    expect(v.candidates.sort()).toEqual(['peer-id-mismatch', 'psk-mismatch']);
    expect(v.evidence[0].line).toContain('received AUTHENTICATION_FAILED notify error');
  });

  it('prints text with --format text', async () => {
    const r = await cli(['logs', 'classify', '--format', 'text', file('t.log', GATEWAY)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cause: psk-mismatch$/m);
    expect(r.stdout).toContain('but MAC mismatched');
  });

  it('answers null on lines without a failure', async () => {
    const r = await cli(['logs', 'classify', file('ok.log', GATEWAY.slice(0, 10))]);
    expect(JSON.parse(r.stdout)).toEqual({ cause: null, candidates: [], phase: null, evidence: [] });
  });

  it('exits 3 when the input cannot be read, naming it', async () => {
    const missing = await cli(['logs', 'classify', join(dir, 'nope.log')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'nope.log')}`);
    const bin = join(dir, 'bin.log');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    const binary = await cli(['logs', 'classify', bin]);
    expect(binary.code).toBe(3);
    expect(binary.stderr).toContain('binary data');
    const dirInput = await cli(['logs', 'classify', dir]);
    expect(dirInput.code).toBe(3);
  });

  it('scores the recorded corpus per scenario and side, non-zero when any answer is wrong', async () => {
    const ok = await cli(['logs', 'score']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^psk-mismatch-ikev2 +peer +negotiation-failed \[psk-mismatch, peer-id-mismatch\]/m,
    );
    expect(ok.stdout).toMatch(/(\d+) of \1 right/);
    const corpus = join(dir, 'corpus');
    mkdirSync(join(corpus, 'x'), { recursive: true });
    writeFileSync(join(corpus, 'x', 'gateway.log'), GATEWAY.join('\n'));
    writeFileSync(
      join(corpus, 'x', 'expected.json'),
      JSON.stringify({
        gateway: { cause: 'peer-id-mismatch', candidates: ['peer-id-mismatch'] },
        peer: { cause: null, candidates: [] },
      }),
    );
    const wrong = await cli(['logs', 'score', '--corpus', corpus]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/x +gateway +peer-id-mismatch +psk-mismatch +<-- WRONG/);
    expect((await cli(['logs', 'score', '--corpus', join(dir, 'none')])).code).toBe(3);
  });
});
