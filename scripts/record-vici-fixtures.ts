// Records VICI byte fixtures from a real charon for test/peer/vici-codec.test.ts: strongSwan's own
// swanctl talks to charon through a recording proxy, so the client bytes are libvici's encoding and the
// server bytes are charon's; swanctl's --raw rendering of the same exchange is kept beside them, so the
// codec is checked against strongSwan's own decoding. Two exchanges swanctl cannot produce (an unknown
// command, an unknown event) are written as literal bytes.
//
// Usage: npx tsx scripts/record-vici-fixtures.ts --uri unix:///…/charon.vici --child NAME [--out DIR]
// The charon should have an established IKE_SA with CHILD_SA NAME (the lab's initiator: see
// test/peer/vici-client.test.ts for how the tests start one); NAME is re-initiated to produce log events.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

interface Recording {
  client: Buffer[];
  server: Buffer[];
}

/** A unix-socket proxy to `upstream` that records both directions of every connection. */
async function recordingProxy(upstream: string, path: string) {
  let current: Recording = { client: [], server: [] };
  const server = net.createServer((down) => {
    const rec = current;
    const up = net.createConnection({ path: upstream });
    down.on('data', (b) => {
      rec.client.push(Buffer.from(b));
      up.write(b);
    });
    up.on('data', (b) => {
      rec.server.push(Buffer.from(b));
      down.write(b);
    });
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
    down.on('error', () => up.destroy());
    up.on('error', () => down.destroy());
  });
  await new Promise<void>((ok) => server.listen(path, ok));
  return {
    start(): Recording {
      current = { client: [], server: [] };
      return current;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

function run(cmd: string, args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGINT' }, (err, stdout) => {
      // swanctl --log runs until interrupted: its timeout is the expected end.
      if (err && !(err as { killed?: boolean }).killed) fail(err);
      else ok(stdout);
    });
  });
}

const settle = () => new Promise((ok) => setTimeout(ok, 300));

async function main() {
  const { values } = parseArgs({
    options: {
      uri: { type: 'string' },
      child: { type: 'string' },
      out: { type: 'string', default: join(ROOT, 'test/fixtures/vici') },
    },
  });
  const upstream = /^unix:\/\/(\/.+)$/.exec(values.uri ?? '')?.[1];
  if (!upstream || !values.child)
    throw new Error('usage: --uri unix:///…/charon.vici --child NAME [--out DIR]');
  const out = values.out!;
  mkdirSync(out, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'vici-rec-'));
  const proxyPath = join(dir, 'proxy.vici');
  const proxy = await recordingProxy(upstream, proxyPath);
  const uri = `unix://${proxyPath}`;

  const save = (name: string, rec: Recording, swanctl?: string) => {
    writeFileSync(join(out, `${name}.client.bin`), Buffer.concat(rec.client));
    writeFileSync(join(out, `${name}.server.bin`), Buffer.concat(rec.server));
    if (swanctl !== undefined) writeFileSync(join(out, `${name}.swanctl.txt`), swanctl);
    console.log(
      `${name}: ${Buffer.concat(rec.client).length} bytes out, ${Buffer.concat(rec.server).length} in`,
    );
  };

  try {
    for (const [name, args] of [
      ['version', ['--version', '--daemon', '--raw']],
      ['stats', ['--stats', '--raw']],
      ['list-conns', ['--list-conns', '--raw']],
      ['list-sas', ['--list-sas', '--raw']],
    ] as const) {
      const rec = proxy.start();
      const text = await run('swanctl', [...args, '--uri', uri]);
      await settle();
      save(name, rec, text);
    }

    // log events: swanctl --log while the child is re-initiated through the real socket.
    {
      const rec = proxy.start();
      const logging = run('stdbuf', ['-oL', 'swanctl', '--log', '--raw', '--uri', uri], 4_000);
      await settle();
      await run('swanctl', ['--terminate', '--child', values.child, '--uri', values.uri!]).catch(() => '');
      await run('swanctl', ['--initiate', '--child', values.child, '--uri', values.uri!]);
      const text = await logging;
      await settle();
      save('log', rec, text);
    }

    // Literal bytes (not this project's encoder): an unknown command and an unknown event.
    for (const [name, bytes] of [
      // len=9, CMD_REQUEST(0), name len 7, "no-such"
      ['unknown-command', [0, 0, 0, 9, 0, 7, ...Buffer.from('no-such')]],
      // len=9, EVENT_REGISTER(3), name len 7, "no-such"
      ['unknown-event', [0, 0, 0, 9, 3, 7, ...Buffer.from('no-such')]],
    ] as const) {
      const rec = proxy.start();
      await new Promise<void>((ok, fail) => {
        const s = net.createConnection({ path: proxyPath }, () => s.write(Buffer.from(bytes)));
        s.once('data', () => {
          s.end();
          ok();
        });
        s.once('error', fail);
      });
      await settle();
      save(name, rec);
    }
  } finally {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
