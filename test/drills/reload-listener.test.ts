// SIGHUP keeps the listener (issue 11, item 10). A reload closed the HTTP server and listened again:
// for a second or more every request was refused (kubelet probes, Prometheus scrapes). Now one
// listener lives as long as `serve`; requests arriving while the app is swapped wait for the new one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { smallFleet } from './helpers.js';
import { freePort, type Serving, sleep, startServe, until, writeConfig } from './process.js';

describe('a SIGHUP reload', () => {
  let sim: TestSimulator | undefined;
  let serve: Serving | undefined;
  let dir = '';
  afterEach(async () => {
    await serve?.stop();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    serve = undefined;
    sim = undefined;
  });

  it('refuses no request while it swaps the app', async () => {
    sim = await startTestSimulator({ scenario: smallFleet(), clock: 'real' });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-reload-'));
    const port = await freePort();
    const config = writeConfig({ dir, port, store: join(dir, 'alivpn.db'), sim });
    serve = await startServe(config, port);
    const url = serve.url;

    let hammering = true;
    const failures: string[] = [];
    const codes = new Map<string, number>();
    const worker = async (path: string) => {
      while (hammering) {
        try {
          const res = await fetch(`${url}${path}`);
          await res.arrayBuffer();
          const key = `${path} ${res.status}`;
          codes.set(key, (codes.get(key) ?? 0) + 1);
        } catch (err) {
          failures.push(`${path}: ${(err as Error).cause ?? (err as Error).message}`);
        }
        await sleep(10);
      }
    };
    const workers = [worker('/healthz'), worker('/healthz'), worker('/readyz'), worker('/metrics')];
    await sleep(500);
    serve.child.kill('SIGHUP');
    // The new app answers once /readyz has been 503 (its first cycle pending) and is 200 again; the
    // old code refused connections meanwhile.
    await until('the reload', () => (codes.get('/readyz 503') ?? 0) > 0 || failures.length > 0, 120_000);
    await until(
      'the new app ready',
      async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200,
      120_000,
    );
    await sleep(500);
    hammering = false;
    await Promise.all(workers);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(codes.get('/healthz 200') ?? 0).toBeGreaterThan(5);
    expect([...codes.keys()].filter((k) => k.startsWith('/healthz') && k !== '/healthz 200')).toEqual([]);
  }, 300_000);
});
