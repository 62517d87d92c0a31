// Issue 11 item 2: the cloud echoes a secret back. Through the hostile proxy, the VPC API answers
// SignatureDoesNotMatch with a message that quotes the string-to-sign, carrying the account's STS
// token (percent-encoded once and twice, as a string-to-sign does) and the AccessKey secret itself.
// None of it may leave the process: not the log, not the report (JSON, text, Markdown), not the HTML
// pages, not any API answer or /metrics, not the bytes of the store. The AccessKey ID may stay.
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import { type Drill, fleetConnection, smallFleet, startDrill } from './helpers.js';

const VICTIM = fleetConnection(0, 0, 0); // fleet-1 / cn-hangzhou
// An STS token has characters that percent-encoding changes (+ / =).
const TOKEN = 'CAIS+hostile/Sts9Token+abc/def==XyZ0123456789tokentail';
const FAST = {
  readTimeoutMs: 1000,
  connectTimeoutMs: 1000,
  retries: { max: 1, baseDelayMs: 1, maxDelayMs: 5 },
};

const pe = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

let drill: Drill | undefined;
afterEach(async () => {
  await drill?.close();
  drill = undefined;
});

describe('echoed-secrets', () => {
  it('a SignatureDoesNotMatch quoting the secret and the STS token leaks into no output', async () => {
    const world = smallFleet();
    world.accounts[0]!.accessKeys[0]!.securityToken = TOKEN;
    const log: string[] = [];
    const logDestination = new Writable({
      write(chunk, _enc, done) {
        log.push(String(chunk));
        done();
      },
    });
    drill = await startDrill(world, { api: FAST }, { proxied: true, logDestination });
    const key = drill.sim.keys.find((k) => k.account === 'fleet-1')!;
    expect(key.securityToken).toBe(TOKEN);
    const echo =
      'Specified signature is not matched with our calculation. server string to sign is:' +
      `POST&%2F&AccessKeyId%3D${key.accessKeyId}%26Action%3DDescribeVpnConnections%26SecurityToken%3D${pe(pe(TOKEN))}` +
      ` (token ${pe(TOKEN)}, ${encodeURIComponent(TOKEN)}, ${TOKEN}; signed with ${key.accessKeySecret}&)`;
    const refusal = {
      kind: 'json' as const,
      status: 400,
      value: {
        RequestId: 'req-echo',
        HostId: 'vpc.aliyuncs.com',
        Code: 'SignatureDoesNotMatch',
        Message: echo,
      },
    };
    const { doctor } = drill.parts;

    // A live outage, so evidence is being collected; the evidence calls are refused with the echo.
    expect((await drill.sim.control.fail(VICTIM, 1, 'PskMismatch')).status).toBe(200);
    drill.proxy!.set([
      { product: 'vpc', action: 'DiagnoseVpnConnections', rewrite: refusal },
      { product: 'vpc', action: 'DescribeVpnConnectionLogs', rewrite: refusal },
    ]);
    await doctor.runStatus();
    drill.sim.advance(150);
    await doctor.runStatus();
    // Then the status listing is refused too.
    drill.proxy!.set([{ product: 'vpc', rewrite: refusal }]);
    drill.sim.advance(30);
    await doctor.runStatus();

    // The echo did reach every output path (else this drill proves nothing).
    const errors = doctor.errors();
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message).toMatch(/SignatureDoesNotMatch.*string to sign/);

    const outputs: Record<string, string> = { log: log.join('') };
    for (const url of [
      '/api/v1/report',
      '/api/v1/findings',
      `/api/v1/connections/${VICTIM}`,
      `/api/v1/connections/${VICTIM}/events`,
      '/metrics',
      '/',
      `/connections/${VICTIM}`,
    ]) {
      const res = await drill.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      outputs[url] = res.body;
    }
    const report = buildReport(reportInputFromView(doctor), { now: drill.sim.now() });
    outputs['report json'] = JSON.stringify(report);
    outputs['report text'] = renderText(report);
    outputs['report markdown'] = renderMarkdown(report);
    expect(outputs['report text']).toMatch(/SignatureDoesNotMatch/);
    expect(outputs.log).toMatch(/SignatureDoesNotMatch/);
    const db = drill.config.storage.path;
    for (const file of [db, `${db}-wal`])
      if (existsSync(file)) outputs[`store ${file.slice(-8)}`] = readFileSync(file).toString('latin1');
    drill.parts.store.close(); // checkpoint the WAL into the file, then read the file again
    outputs['store after checkpoint'] = readFileSync(db).toString('latin1');
    expect(outputs['store after checkpoint']).toMatch(/SignatureDoesNotMatch/);

    const forbidden = {
      'AccessKey secret': key.accessKeySecret,
      'STS token': TOKEN,
      'STS token, percent-encoded': pe(TOKEN),
      'STS token, percent-encoded twice': pe(pe(TOKEN)),
      'STS token, URI-encoded': encodeURIComponent(TOKEN),
    };
    const leaks: string[] = [];
    for (const [where, text] of Object.entries(outputs))
      for (const [what, value] of Object.entries(forbidden))
        if (text.includes(value)) leaks.push(`${what} in ${where}`);
    expect(leaks).toEqual([]);
    // The AccessKey ID is not a secret: the on-call engineer may need it.
    expect(outputs['/api/v1/report']).toContain(key.accessKeyId);
  }, 60_000);
});
