import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AvailabilitySample, advance, MAX_SAMPLE_GAP_MS } from '../../src/state/availability.js';
import { AVAILABILITY_CHECKPOINT_MS } from '../../src/state/availability-table.js';
import { openStore, type Store } from '../../src/state/store.js';

const T0 = 1_760_000_000_000;
const sample = (connectionId: string, at: number, up = true, onStandby = false): AvailabilitySample => ({
  connectionId,
  at,
  up,
  onStandby,
});

describe('availability arithmetic', () => {
  it('counts an interval whole when both ends agree, half when they differ, nothing across a blind gap', () => {
    let t = advance(undefined, sample('c', T0));
    t = advance(t, sample('c', T0 + 10_000));
    expect(t).toMatchObject({ observedMs: 10_000, availableMs: 10_000, standbyMs: 0 });
    t = advance(t, sample('c', T0 + 20_000, false));
    expect(t).toMatchObject({ observedMs: 20_000, availableMs: 15_000 });
    t = advance(t, sample('c', T0 + 20_000 + MAX_SAMPLE_GAP_MS + 1, true, true));
    expect(t).toMatchObject({ observedMs: 20_000, availableMs: 15_000, lastUp: true, lastOnStandby: true });
    // An older sample (a region read out of order) changes nothing.
    expect(advance(t, sample('c', T0))).toBe(t);
  });
});

describe('availability in the store (written behind)', () => {
  let dir: string;
  let path: string;
  const opened: Store[] = [];
  const open = () => {
    const s = openStore(path);
    opened.push(s);
    return s;
  };
  /** What a reader of the file sees right now: the rows as written, not the store's memory. */
  const onDisk = () => {
    const db = new Database(path, { readonly: true });
    try {
      const rows = db
        .prepare('SELECT connection_id, last_sample_ms, observed_ms, last_up FROM availability')
        .all() as Array<{
        connection_id: string;
        last_sample_ms: number;
        observed_ms: number;
        last_up: number;
      }>;
      return new Map(rows.map((r) => [r.connection_id, r]));
    } finally {
      db.close();
    }
  };
  const fleet = (n: number) => Array.from({ length: n }, (_, i) => `vco-${String(i).padStart(4, '0')}`);
  const cycle = (
    s: Store,
    ids: readonly string[],
    at: number,
    down: ReadonlySet<string> = new Set<string>(),
  ) => s.recordAvailability(ids.map((id) => sample(id, at, !down.has(id))));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'alivpn-availability-'));
    path = join(dir, 'state.db');
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts every cycle at once, and keeps every total exactly across a restart', () => {
    const ids = fleet(50);
    const s = open();
    for (let i = 0; i <= 30; i++) cycle(s, ids, T0 + i * 10_000, i >= 20 ? new Set([ids[3]!]) : new Set());
    const before = s.counters();
    expect(before.observedSeconds[ids[0]!]).toBe(300);
    expect(before.availableSeconds[ids[0]!]).toBe(300);
    expect(before.availableSeconds[ids[3]!]).toBe(195); // 190 s up, half of the interval it went down in
    s.close();
    opened.splice(0);
    const again = open();
    expect(again.counters()).toEqual(before);
    // The next sample after the restart goes on from the stored one.
    cycle(again, ids, T0 + 310_000);
    expect(again.counters().observedSeconds[ids[0]!]).toBe(310);
  });

  it('writes new rows and state changes at once, the rest within the checkpoint, spread over it', () => {
    const ids = fleet(600);
    const s = open();
    const step = 10_000;
    cycle(s, ids, T0);
    expect(onDisk().size).toBe(600); // new connections are on disk from their first sample
    const writtenPerCycle: number[] = [];
    let last = onDisk();
    for (let i = 1; i <= 2 * (AVAILABILITY_CHECKPOINT_MS / step); i++) {
      const at = T0 + i * step;
      cycle(s, ids, at, i >= 4 ? new Set([ids[7]!]) : new Set<string>());
      const now = onDisk();
      writtenPerCycle.push(
        [...now].filter(([id, r]) => last.get(id)?.last_sample_ms !== r.last_sample_ms).length,
      );
      if (i === 4) expect(now.get(ids[7]!)).toMatchObject({ last_sample_ms: at, last_up: 0 }); // at once
      // No row is older on disk than the checkpoint allows.
      for (const r of now.values())
        expect(at - r.last_sample_ms).toBeLessThanOrEqual(AVAILABILITY_CHECKPOINT_MS);
      last = now;
    }
    // Spread: no cycle rewrites the whole fleet, and over a checkpoint every row was written.
    expect(Math.max(...writtenPerCycle)).toBeLessThan(600 / 2);
    expect(writtenPerCycle.slice(-6).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(600);
  });

  it('exports what is on disk: after a crash the counters are those last exported, and go on from there', () => {
    const ids = fleet(1200); // more than one write's minimum: rows are spread over the checkpoint
    const s = open();
    const last = T0 + 120_000;
    for (let at = T0; at <= last; at += 10_000)
      cycle(s, ids, at, at >= T0 + 80_000 ? new Set([ids[5]!]) : undefined);
    const exported = s.counters();
    // Some rows are behind the samples in memory: the export is what is written, not what is counted.
    expect(Object.values(exported.observedSeconds).some((v) => v < 120)).toBe(true);
    expect(
      Object.values(exported.observedSeconds).every((v) => v >= 120 - AVAILABILITY_CHECKPOINT_MS / 1000),
    ).toBe(true);
    // `kill -9` now: the files as they are.
    const crashed = join(dir, 'crashed.db');
    copyFileSync(path, crashed);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${crashed}-wal`);
    const restarted = openStore(crashed);
    opened.push(restarted);
    expect(restarted.counters()).toEqual(exported);
    // The first sample after the restart goes on from the stored one: no counter goes back, and the
    // time since is counted (within the 10-minute gap), the connection that went down at half.
    cycle(restarted, ids, last + 40_000, new Set([ids[5]!, ids[6]!]));
    const bridged = restarted.counters();
    for (const id of ids) {
      expect(bridged.observedSeconds[id]).toBeGreaterThanOrEqual(exported.observedSeconds[id]!);
      expect(bridged.availableSeconds[id]).toBeGreaterThanOrEqual(exported.availableSeconds[id]!);
    }
    expect(bridged.observedSeconds[ids[6]!]).toBe(160); // a state change is written at once
  });

  it('keeps the rows a failed write did not store, and writes them with the next', () => {
    const ids = fleet(5);
    const s = open();
    cycle(s, ids, T0);
    const writer = new Database(path);
    writer.exec(
      "CREATE TRIGGER refuse BEFORE UPDATE ON availability BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    expect(() => cycle(s, ids, T0 + 10_000, new Set([ids[1]!]))).toThrow(/disk full/);
    expect(s.counters().observedSeconds[ids[1]!]).toBe(0); // exported: what is on disk
    writer.exec('DROP TRIGGER refuse');
    writer.close();
    cycle(s, ids, T0 + 20_000, new Set([ids[1]!]));
    expect(onDisk().get(ids[1]!)).toMatchObject({
      last_sample_ms: T0 + 20_000,
      last_up: 0,
      observed_ms: 20_000,
    });
    expect(s.counters().observedSeconds[ids[1]!]).toBe(20); // counted in memory meanwhile: nothing lost
  });
});
