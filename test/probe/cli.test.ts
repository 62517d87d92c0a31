// `alivpn-doctor probe` as a user runs it (a separate process): the exit-code contract (0 answered,
// 2 no answer, 3 bad input) and both output formats, against a local UDP responder.
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'probe', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Answers every IKEv2 request with INVALID_KE_PAYLOAD asking for group 19; `silent` drops them. */
function responder(silent: boolean): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, from) => {
    if (silent) return;
    const answer = Buffer.alloc(28 + 10);
    msg.copy(answer, 0, 0, 8);
    answer[16] = 41;
    answer[17] = 0x20;
    answer[18] = 34;
    answer[19] = 0x20;
    answer.writeUInt32BE(answer.length, 24);
    answer.writeUInt16BE(10, 30); // notify payload length
    answer.writeUInt16BE(17, 34); // INVALID_KE_PAYLOAD
    answer.writeUInt16BE(19, 36); // the group it wants
    socket.send(answer, from.port, from.address);
  });
  return new Promise((resolve) =>
    socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port })),
  );
}

describe('alivpn-doctor probe', { timeout: 120_000 }, () => {
  let answering: { socket: Socket; port: number };
  let silent: { socket: Socket; port: number };
  beforeAll(async () => {
    answering = await responder(false);
    silent = await responder(true);
  });
  afterAll(() => {
    answering.socket.close();
    silent.socket.close();
  });

  it('exits 0 and names the notify when the peer answers', async () => {
    const text = await cli(['127.0.0.1', '--port', String(answering.port)]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^UDP ${answering.port} to 127\\.0\\.0\\.1: answered INVALID_KE_PAYLOAD in [\\d.]+ ms\\n`),
    );
    expect(text.stdout).toContain('responder wants DH group 19');
    const json = await cli([
      '127.0.0.1',
      '--port',
      String(answering.port),
      '--format',
      'json',
      '--ike',
      'v2',
    ]);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({
      answered: true,
      outcome: 'answered',
      attempts: 1,
      answer: { kind: 'notify', notify: 'INVALID_KE_PAYLOAD', wantsDhGroup: 19 },
    });
    expect(result.summary).toMatch(/answered INVALID_KE_PAYLOAD/);
  });

  it('exits 2 after its retries when nothing answers', async () => {
    const r = await cli([
      '127.0.0.1',
      '--port',
      String(silent.port),
      '--timeout-ms',
      '200',
      '--retries',
      '2',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`UDP ${silent.port} to 127.0.0.1: no answer to 3 IKE_SA_INIT in 0.6 s\n`);
  });

  it('exits 3 on bad input, naming what is wrong', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /needs the peer address/],
      [['bad host!'], /HOST must be an IPv4\/IPv6 address or a DNS name/],
      [['127.0.0.1', '--port', '70000'], /--port must be a port number/],
      [['127.0.0.1', '--ike', 'v3'], /--ike must be one of v2, v1/],
      [['127.0.0.1', '--timeout-ms', '0'], /--timeout-ms must be a whole number from 1 to 60000/],
      [['127.0.0.1', '--dh-group', '3'], /--dh-group must be one of/],
      [['127.0.0.1', '--format', 'xml'], /--format must be one of text, json/],
      [['name.invalid'], /cannot resolve name\.invalid/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toMatch(message);
    }
  });
});
