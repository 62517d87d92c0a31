// kill -9 in the middle of a cycle (issue 8): `serve` as a process during a failover storm, killed
// with SIGKILL while it writes events and evidence, then restarted on the same store. Nothing that
// was committed before the kill is lost, the store passes integrity_check, and counters continue.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateFleet } from '../../src/sim/fleet.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { fleetConnection } from './helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

interface StoreView {
  events: Array<{ id: number; kind: string; connection_id: string; tunnel_id: string | null }>;
  evidenceIds: number[];
  failovers: Record<string, number>;
  stateChanges: Record<string, number>;
}

/** What a second reader sees committed in the store (WAL lets it read while serve writes). */
function readStore(path: string): StoreView {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      events: db
        .prepare('SELECT id, kind, connection_id, tunnel_id FROM events ORDER BY id')
        .all() as StoreView['events'],
      evidenceIds: (db.prepare('SELECT id FROM evidence ORDER BY id').all() as Array<{ id: number }>).map(
        (r) => r.id,
      ),
      failovers: Object.fromEntries(
        (
          db.prepare('SELECT connection_id, failovers FROM connection_counters').all() as Array<{
            connection_id: string;
            failovers: number;
          }>
        ).map((r) => [r.connection_id, r.failovers]),
      ),
      stateChanges: Object.fromEntries(
        (
          db.prepare('SELECT tunnel_id, state_changes FROM tunnel_counters').all() as Array<{
            tunnel_id: string;
            state_changes: number;
          }>
        ).map((r) => [r.tunnel_id, r.state_changes]),
      ),
    };
  } finally {
    db.close();
  }
}

describe('kill -9 during a failover storm', () => {
  let sim: TestSimulator | undefined;
  let child: ChildProcess | undefined;
  let dir = '';
  let storming = false;
  afterEach(async () => {
    storming = false;
    child?.kill('SIGKILL');
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    sim = undefined;
    child = undefined;
  });

  it('loses nothing committed, opens cleanly and continues its counters after a restart', async () => {
    // 40 connections in 2 regions; the storm fails and recovers tunnel 1 of 10 of them in turn.
    sim = await startTestSimulator({
      scenario: generateFleet({ connections: 40, regions: 2, accounts: 1 }),
      clock: 'real',
    });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-kill9-'));
    const port = await freePort();
    const db = join(dir, 'alivpn.db');
    const config = join(dir, 'config.yaml');
    const key = sim.keys[0]!;
    writeFileSync(
      config,
      [
        `server: { listen: "127.0.0.1:${port}" }`,
        'poll: { status: "* * * * * *", topology: "0 0 0 1 1 *", traffic: "0 0 0 1 1 *", adaptive: { enabled: false } }',
        'logging: { level: warn }',
        `storage: { path: ${db} }`,
        'api: { retries: { max: 2, baseDelayMs: 1, maxDelayMs: 5 } }',
        'accounts:',
        `  - { name: fleet-1, accessKeyId: ${key.accessKeyId}, accessKeySecret: ${key.accessKeySecret}, regions: [cn-hangzhou, cn-shanghai], endpoint: "${sim.url}" }`,
        '',
      ].join('\n'),
    );
    const url = `http://127.0.0.1:${port}`;
    const serve = async () => {
      child = spawn(process.execPath, [BIN, 'serve', '--config', config], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      await until(
        'readiness',
        async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200,
        60_000,
      );
    };
    await serve();

    // The storm: every 150 ms one connection's active tunnel fails or recovers.
    const victims = Array.from({ length: 10 }, (_, i) => fleetConnection(0, i % 2, Math.floor(i / 2)));
    storming = true;
    const storm = (async () => {
      for (let n = 0; storming; n++) {
        const id = victims[n % victims.length]!;
        const down = Math.floor(n / victims.length) % 2 === 0;
        await (down ? sim!.control.fail(id, 1, 'PskMismatch') : sim!.control.recover(id, 1));
        await sleep(150);
      }
    })();

    // Wait until the store is busy with events and evidence, then kill while it keeps writing.
    await until('events and evidence being written', () => {
      const s = readStore(db);
      return s.events.length >= 20 && s.evidenceIds.length >= 5;
    });
    const beforeKill = readStore(db);
    // Kill while a write is likely in flight: right after the store grew again.
    await until('another write', () => readStore(db).events.length > beforeKill.events.length, 10_000);
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    child!.kill('SIGKILL');
    await exited;
    child = undefined;
    storming = false;
    await storm;

    // The store opens cleanly and holds everything committed before the kill.
    const check = new Database(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const afterKill = readStore(db);
    const ids = new Set(afterKill.events.map((e) => e.id));
    expect(beforeKill.events.filter((e) => !ids.has(e.id))).toEqual([]);
    expect(afterKill.events.slice(0, beforeKill.events.length)).toEqual(beforeKill.events);
    const evidence = new Set(afterKill.evidenceIds);
    expect(beforeKill.evidenceIds.filter((id) => !evidence.has(id))).toEqual([]);
    for (const [c, n] of Object.entries(beforeKill.failovers))
      expect(afterKill.failovers[c]).toBeGreaterThanOrEqual(n);
    const kinds = new Set(afterKill.events.map((e) => e.kind));
    expect(kinds.has('failover')).toBe(true);

    // Restart on the same store: counters continue from where they were, new events follow.
    await serve();
    const victim = victims[0]!;
    const failoversBefore = afterKill.failovers[victim] ?? 0;
    // Make sure the victim is up, then fail it once more.
    await sim.control.recover(victim, 1);
    await until('the victim seen up', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return new RegExp(`alivpn_connection_on_standby\\{[^}]*connection_id="${victim}"[^}]*\\} 0`).test(text);
    });
    await sim.control.fail(victim, 1, 'PskMismatch');
    const failovers = await until('the new failover counted', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const m = new RegExp(
        `alivpn_connection_failovers_total\\{[^}]*connection_id="${victim}"[^}]*\\} (\\d+)`,
      ).exec(text);
      const n = Number(m?.[1] ?? 0);
      return n > failoversBefore ? n : 0;
    });
    expect(failovers).toBe(failoversBefore + 1);
    const restarted = readStore(db);
    expect(restarted.events.slice(0, afterKill.events.length)).toEqual(afterKill.events);
    expect(restarted.events.length).toBeGreaterThan(afterKill.events.length);
    expect(Math.min(...restarted.events.slice(afterKill.events.length).map((e) => e.id))).toBeGreaterThan(
      Math.max(...afterKill.events.map((e) => e.id)),
    );
    // The tracker's baseline survived too: the restart did not invent transitions for tunnels that
    // did not change (every new event concerns a storm victim).
    const newEvents = restarted.events.slice(afterKill.events.length);
    for (const e of newEvents)
      if (e.kind !== 'finding_opened' && e.kind !== 'finding_resolved')
        expect(victims, `${e.kind} ${e.connection_id}`).toContain(e.connection_id);
  }, 120_000);
});
