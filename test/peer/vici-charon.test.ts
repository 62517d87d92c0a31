// The VICI client against real charon daemons of the lab (src/lab): streamed list-sas/list-conns of a
// negotiated tunnel, a response of many connections, log events, a daemon that restarts under an
// open client, and a daemon that hangs (SIGSTOP: the socket accepts, nothing answers).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, labUnavailableReason, startLab } from '../../src/lab/index.js';
import { ViciClient } from '../../src/peer/vici/client.js';

const reason = labUnavailableReason();
if (reason) console.log(`test/peer/vici-charon.test.ts skipped: ${reason}`);

/** Many extra IKE connections (never initiated) beside the lab's own. */
function manyConns(n: number): string {
  const conns = Array.from(
    { length: n },
    (_, i) => `  extra-${i} {
    remote_addrs = 198.18.200.${i + 1}
    proposals = aes256-sha256-modp2048
    local { auth = psk }
    remote { auth = psk }
    children { extra-${i} { local_ts = 10.${i}.0.0/16
      remote_ts = 172.16.${i}.0/24 } }
  }`,
  );
  return conns.join('\n');
}

describe.skipIf(reason !== null)('VICI client on real charon', { timeout: 90_000 }, () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    const init = await lab.initiate({ timeoutS: 20 });
    if (!init.ok) throw new Error(`lab did not establish: ${init.output}`);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('streams the established IKE and CHILD SA and the loaded connection', async () => {
    const client = await ViciClient.connect(lab.sides.peer.viciUri);
    try {
      expect((await client.request('version'))['daemon']).toBe('charon');
      const sas = await client.streamed('list-sas', 'list-sa');
      const ike = sas.events.map((e) => e[lab.sides.peer.connection]).find(Boolean) as Record<
        string,
        unknown
      >;
      expect(ike).toMatchObject({ state: 'ESTABLISHED', version: '2', 'remote-host': lab.addresses.gateway });
      const child = Object.values(ike['child-sas'] as Record<string, Record<string, unknown>>)[0]!;
      expect(child['state']).toBe('INSTALLED');
      const conns = await client.streamed('list-conns', 'list-conn');
      expect(conns.events.some((e) => lab.sides.peer.connection in e)).toBe(true);
    } finally {
      client.close();
    }
  });

  it('reads a large streamed answer: 60 connections through list-conns', async () => {
    const { readFileSync } = await import('node:fs');
    const conf = readFileSync(lab.sides.gateway.swanctlConfPath, 'utf8').replace(
      /^connections \{\n/m,
      `connections {\n${manyConns(60)}\n`,
    );
    await lab.load('gateway', conf);
    const client = await ViciClient.connect(lab.sides.gateway.viciUri, { maxSegment: 64 * 1024 });
    try {
      const { events } = await client.streamed('list-conns', 'list-conn');
      const names = events.flatMap((e) => Object.keys(e));
      expect(names.filter((n) => n.startsWith('extra-'))).toHaveLength(60);
      expect(names).toContain('vco-lab');
    } finally {
      client.close();
    }
  });

  it('delivers log events while a command runs on another connection', async () => {
    const client = await ViciClient.connect(lab.sides.peer.viciUri);
    const lines: string[] = [];
    try {
      await client.subscribe('log', (m) => lines.push(String(m['msg'])));
      await lab.swanctl('peer', ['--rekey', '--ike', lab.sides.peer.connection]);
      const deadline = Date.now() + 10_000;
      while (
        !lines.some((l) => /IKE_SA .*rekeyed|rekeying|CREATE_CHILD_SA/i.test(l)) &&
        Date.now() < deadline
      )
        await new Promise((r) => setTimeout(r, 100));
      expect(
        lines.some((l) => /rekey|CREATE_CHILD_SA/i.test(l)),
        lines.slice(-5).join('\n'),
      ).toBe(true);
    } finally {
      client.close();
    }
  });

  it('fails within its timeout on a daemon that hangs, and works again once it runs', async () => {
    const pid = lab.sides.gateway.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      // SIGSTOP is asynchronous: start only once the kernel shows the daemon stopped ("T").
      const stateOf = () => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
      for (let i = 0; i < 100 && stateOf() !== 'T'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(stateOf(), `charon ${pid} stopped`).toBe('T');
      const started = Date.now();
      // The listening socket still accepts (kernel backlog): only the answer is missing.
      const client = await ViciClient.connect(lab.sides.gateway.viciUri, { timeoutMs: 500 });
      await expect(client.request('version')).rejects.toMatchObject({ code: 'timeout' });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(client.closed).toBe(true);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const again = await ViciClient.connect(lab.sides.gateway.viciUri);
    expect((await again.request('version'))['daemon']).toBe('charon');
    again.close();
  });

  it('reports a daemon restart as a closed connection; a new client reads the restarted daemon', async () => {
    const client = await ViciClient.connect(lab.sides.gateway.viciUri);
    const closed = new Promise<string>((ok) => client.onClose((e) => ok(e.code)));
    await lab.restart('gateway');
    expect(await closed).toBe('closed');
    await expect(client.request('version')).rejects.toMatchObject({ code: 'closed' });
    const fresh = await ViciClient.connect(lab.sides.gateway.viciUri);
    const { events } = await fresh.streamed('list-conns', 'list-conn');
    expect(events.some((e) => 'vco-lab' in e)).toBe(true);
    fresh.close();
  });
});
