// The VICI client. First against a socket that replays charon's recorded bytes (test/fixtures/vici,
// scripts/record-vici-fixtures.ts) in awkward read sizes, or that says nothing at all; the real-charon
// half lives in vici-client-charon.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseViciUri, ViciClient, ViciError } from '../../src/peer/vici/client.js';
import { decodePacket, encodePacket, PacketType, SegmentReader } from '../../src/peer/vici/packet.js';

const FIX = join(import.meta.dirname, '../fixtures/vici');
const recorded = (name: string) => {
  const reader = new SegmentReader();
  return reader.push(readFileSync(join(FIX, `${name}.server.bin`))).map((s) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(s.length);
    return Buffer.concat([head, s]);
  });
};

let dir: string;
let servers: net.Server[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vici-client-'));
});
afterEach(async () => {
  for (const s of servers) await new Promise((ok) => s.close(ok));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A unix socket that answers the client's n-th packet with `answers[n]` (raw bytes, written `chunk`
 * bytes at a time); a missing answer means silence.
 */
async function fakeCharon(answers: Buffer[][], chunk = 0): Promise<{ uri: string; received: string[] }> {
  const path = join(dir, `fake-${servers.length}.vici`);
  const received: string[] = [];
  const server = net.createServer((sock) => {
    const reader = new SegmentReader();
    let n = 0;
    sock.on('error', () => {});
    sock.on('data', async (b) => {
      for (const seg of reader.push(b)) {
        const p = decodePacket(seg);
        received.push(`${p.type}:${p.name}`);
        const answer = Buffer.concat(answers[n++] ?? []);
        if (chunk === 0) sock.write(answer);
        else
          for (let i = 0; i < answer.length; i += chunk) {
            sock.write(answer.subarray(i, i + chunk));
            await new Promise((ok) => setImmediate(ok));
          }
      }
    });
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(path, ok));
  return { uri: `unix://${path}`, received };
}

describe('VICI URIs', () => {
  it.each([
    ['unix:///var/run/charon.vici', { kind: 'unix', path: '/var/run/charon.vici' }],
    ['tcp://10.0.0.5:4502', { kind: 'tcp', host: '10.0.0.5', port: 4502 }],
    ['tcp://[::1]:4502', { kind: 'tcp', host: '::1', port: 4502 }],
    ['tcp://vpn.example.com:4502', { kind: 'tcp', host: 'vpn.example.com', port: 4502 }],
  ])('parses %s', (uri, endpoint) => {
    expect(parseViciUri(uri)).toEqual(endpoint);
  });

  it.each(['unix://relative/path', 'tcp://10.0.0.5', 'tcp://10.0.0.5:0', 'tcp://h:70000', 'http://x:1', ''])(
    'refuses %j naming the accepted forms',
    (uri) => {
      expect(() => parseViciUri(uri)).toThrow(/is not unix:\/\/\/absolute\/path or tcp:\/\/host:port/);
    },
  );
});

describe('VICI client on replayed charon bytes', () => {
  it.each([0, 1, 5])('streams list-sas with reads of %i bytes (0 = all at once)', async (chunk) => {
    const [confirm, event, response] = recorded('list-sas');
    const unconfirm = encodePacket(PacketType.EventConfirm).subarray(0);
    const fake = await fakeCharon([[confirm!], [event!, response!], [unconfirm]], chunk);
    const client = await ViciClient.connect(fake.uri);
    const { events, response: reply } = await client.streamed('list-sas', 'list-sa');
    expect(reply).toEqual({});
    expect(Object.keys(events[0]!)).toEqual(['tun1']);
    expect(fake.received).toEqual(['3:list-sa', '0:list-sas', '4:list-sa']);
    client.close();
  });

  it('runs commands one at a time: the second waits for the first answer', async () => {
    const [version] = recorded('version');
    const fake = await fakeCharon([[version!], [version!]], 3);
    const client = await ViciClient.connect(fake.uri);
    const [a, b] = await Promise.all([client.request('version'), client.request('version')]);
    expect(a['daemon']).toBe('charon');
    expect(b['version']).toBe('5.9.8');
    client.close();
  });

  it('names an unknown command and an unknown event, and stays usable', async () => {
    const [unknownCmd] = recorded('unknown-command');
    const [unknownEvent] = recorded('unknown-event');
    const [version] = recorded('version');
    const fake = await fakeCharon([[unknownCmd!], [unknownEvent!], [version!]]);
    const client = await ViciClient.connect(fake.uri);
    await expect(client.request('no-such')).rejects.toMatchObject({ code: 'unknown-command' });
    await expect(client.subscribe('no-such', () => {})).rejects.toMatchObject({
      code: 'unknown-event',
      message: expect.stringContaining('no event "no-such"'),
    });
    expect((await client.request('version'))['daemon']).toBe('charon');
    client.close();
  });

  it('delivers subscribed log events that arrive between command answers', async () => {
    const log = recorded('log');
    const [version] = recorded('version');
    const fake = await fakeCharon([[log[0]!], [...log.slice(1, 4), version!]], 2);
    const client = await ViciClient.connect(fake.uri);
    const lines: string[] = [];
    await client.subscribe('log', (m) => lines.push(String(m['msg'])));
    await client.request('version');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/terminate CHILD_SA/);
    client.close();
  });

  it('fails a command on a silent socket within its timeout and closes the connection', async () => {
    const fake = await fakeCharon([]);
    const client = await ViciClient.connect(fake.uri, { timeoutMs: 200 });
    const started = Date.now();
    const err = await client.request('version').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ViciError);
    expect(err).toMatchObject({
      code: 'timeout',
      message: expect.stringContaining('got no answer for 200 ms'),
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(client.closed).toBe(true);
    await expect(client.request('version')).rejects.toMatchObject({ code: 'timeout' });
  });

  it('bounds a command that trickles forever by its deadline', async () => {
    const [event] = recorded('list-sas').slice(1);
    const [confirm] = recorded('list-sas');
    // Events keep coming (the idle timer never fires) but the response never does.
    const fake = await fakeCharon([[confirm!], Array.from({ length: 400 }, () => event!)], 40);
    const client = await ViciClient.connect(fake.uri, { timeoutMs: 1_000, deadlineMs: 300 });
    await expect(client.streamed('list-sas', 'list-sa')).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringContaining('did not complete within 300 ms'),
    });
    client.close();
  });

  it('fails pending calls when the daemon goes away, and says so', async () => {
    const path = join(dir, 'closing.vici');
    const server = net.createServer((sock) => sock.on('data', () => sock.destroy()));
    servers.push(server);
    await new Promise<void>((ok) => server.listen(path, ok));
    const client = await ViciClient.connect(`unix://${path}`);
    const closed = new Promise((ok) => client.onClose(ok));
    await expect(client.request('version')).rejects.toMatchObject({
      code: 'closed',
      message: expect.stringContaining('closed the connection'),
    });
    await expect(closed).resolves.toBeInstanceOf(ViciError);
  });

  it('closes on a packet that breaks the protocol', async () => {
    const fake = await fakeCharon([[Buffer.from([0, 0, 0, 2, 1, 9])]]);
    const client = await ViciClient.connect(fake.uri);
    await expect(client.request('version')).rejects.toMatchObject({
      code: 'protocol',
      message: expect.stringContaining('unknown element type 9'),
    });
    expect(client.closed).toBe(true);
  });

  it('refuses an oversized announced packet without waiting for it', async () => {
    const fake = await fakeCharon([[Buffer.from([0, 0x10, 0, 0, 1])]]);
    const client = await ViciClient.connect(fake.uri);
    await expect(client.request('version')).rejects.toMatchObject({ code: 'protocol' });
  });

  it('explains a missing socket and a refused port', async () => {
    await expect(ViciClient.connect(`unix://${dir}/none.vici`)).rejects.toMatchObject({
      code: 'connect',
      message: expect.stringContaining('is charon running with the vici plugin?'),
    });
    const probe = net.createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((ok) => probe.close(ok));
    await expect(ViciClient.connect(`tcp://127.0.0.1:${port}`)).rejects.toMatchObject({
      code: 'connect',
      message: expect.stringContaining('refused the connection'),
    });
  });

  it('speaks TCP as well', async () => {
    const [version] = recorded('version');
    const server = net.createServer((sock) => sock.on('data', () => sock.write(version!)));
    servers.push(server);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as net.AddressInfo;
    const client = await ViciClient.connect(`tcp://127.0.0.1:${port}`);
    expect((await client.request('version'))['daemon']).toBe('charon');
    client.close();
  });
});
