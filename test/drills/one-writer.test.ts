// One writer per store (issue 11, item 11). `diagnose` run next to `serve` with the same config used
// to open serve's store, track the failover against serve's baseline and store it: serve then stored
// it again (failovers = 2, events doubled). Now diagnose keeps its state in memory, and a second
// serve on the same store exits 3 naming the store and the process that holds it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { run as diagnose } from '../../src/cli/commands/diagnose.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { fleetConnection, samples, smallFleet } from './helpers.js';
import { freePort, runCli, type Serving, sleep, startServe, until, writeConfig } from './process.js';

/** `diagnose --config FILE --format json` in this process, its stdout captured. */
async function diagnoseHere(config: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await diagnose(['--config', config, '--format', 'json']);
    return { code, stdout };
  } finally {
    process.stdout.write = write;
  }
}

describe('one writer per store', () => {
  let sim: TestSimulator | undefined;
  let serve: Serving | undefined;
  let dir = '';
  afterEach(async () => {
    serve?.child.kill('SIGCONT');
    await serve?.stop();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    serve = undefined;
    sim = undefined;
  });

  it('serve and diagnose on one store count one failover; a second serve is refused', async () => {
    sim = await startTestSimulator({ scenario: smallFleet(), clock: 'real' });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-one-writer-'));
    const store = join(dir, 'alivpn.db');
    const port = await freePort();
    // serve polls status every 2 s; it is paused (SIGSTOP) while the victim fails and diagnose (in
    // this process: a CLI start takes seconds on a loaded machine) looks, so both see the failover
    // against their own baseline, as they do when diagnose happens to run between two serve cycles.
    const config = writeConfig({ dir, port, store, sim });
    serve = await startServe(config, port);
    const victim = fleetConnection(0, 0, 0);
    serve.child.kill('SIGSTOP');
    expect((await sim.control.fail(victim, 1, 'PskMismatch')).status).toBe(200);
    const diagnosed = await diagnoseHere(config);
    serve.child.kill('SIGCONT');
    expect([1, 2]).toContain(diagnosed.code);
    const report = JSON.parse(diagnosed.stdout) as { connections: Array<{ id: string; status: string }> };
    expect(report.connections.find((c) => c.id === victim)?.status).not.toBe('up');

    // serve's next cycle sees the failover.
    const failovers = async () => {
      const text = await (await fetch(`${serve!.url}/metrics`)).text();
      return samples(text, 'alivpn_connection_failovers_total').find((s) => s.labels.connection_id === victim)
        ?.value;
    };
    await until('serve to count the failover', async () => ((await failovers()) ?? 0) > 0, 30_000);
    await sleep(500);
    expect(await failovers()).toBe(1);
    const db = new Database(store, { readonly: true });
    const stored = db
      .prepare("SELECT COUNT(*) AS n FROM events WHERE kind = 'failover' AND connection_id = ?")
      .get(victim) as { n: number };
    db.close();
    expect(stored.n).toBe(1);

    // A second serve on the same store (another port) is refused: exit 3, the store and the holder.
    const secondPort = await freePort();
    const second = writeConfig({ dir, port: secondPort, store, sim }, 'second.yaml');
    const refused = await runCli(['serve', '--config', second]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(store);
    expect(refused.stderr).toContain(`pid ${serve.child.pid}`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    // The holder goes: the store is free again (its lock went with it).
    expect(await serve.stop()).toBe(0);
    serve = await startServe(second, secondPort);
    expect(await failovers()).toBe(1);
  }, 400_000);
});
