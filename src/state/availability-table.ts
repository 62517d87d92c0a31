// The availability totals (state/availability.ts does the arithmetic), kept in memory and written
// behind. Every status cycle advances every connection's totals; writing each row every cycle was
// one SQLite read and one upsert per connection (~20 ms at 2,000 connections), most of what an
// unchanged cycle added to its own reads. A row is now written at once when it is new or its state
// changed, and otherwise within CHECKPOINT_MS of status samples, oldest first and spread over that
// interval (at least MIN_ROWS_PER_WRITE a time, so a fleet of a few hundred connections is written
// whole every cycle, as before).
//
// What is exported (`written()`: the counters, alivpn_connection_*_seconds_total) is what is on
// disk, never the totals still in memory: after a crash the store gives back exactly what Prometheus
// last saw, so a counter never goes back, which rate() would read as a reset. A crash loses at most
// a checkpoint of samples, and less than it seems: the first sample after a restart advances from
// the stored one, so a gap up to MAX_SAMPLE_GAP_MS is still counted.
import type Database from 'better-sqlite3';
import { type AvailabilitySample, type AvailabilityTotals, advance } from './availability.js';

/** A row whose totals moved is on disk within this long of status samples (see above). */
export const AVAILABILITY_CHECKPOINT_MS = 60_000;
/** Rows written at least per write: a small fleet is written whole, as cheap as one row. */
export const MIN_ROWS_PER_WRITE = 256;

interface AvailabilityRow {
  connection_id: string;
  last_sample_ms: number;
  last_up: number;
  last_on_standby: number;
  observed_ms: number;
  available_ms: number;
  standby_ms: number;
}

const fromRow = (r: AvailabilityRow): AvailabilityTotals => ({
  connectionId: r.connection_id,
  lastSampleMs: r.last_sample_ms,
  lastUp: r.last_up === 1,
  lastOnStandby: r.last_on_standby === 1,
  observedMs: r.observed_ms,
  availableMs: r.available_ms,
  standbyMs: r.standby_ms,
});

const sameState = (a: AvailabilityTotals, b: AvailabilityTotals) =>
  a.lastUp === b.lastUp && a.lastOnStandby === b.lastOnStandby;

export class AvailabilityTable {
  /** Every connection's totals: what is on disk plus what is not written yet. */
  private readonly totals = new Map<string, AvailabilityTotals>();
  /** Every connection's totals as on disk: what is exported. */
  private readonly stored = new Map<string, AvailabilityTotals>();
  /** Connections whose totals moved since written, with when they first did (oldest first). */
  private readonly unsaved = new Map<string, number>();
  /** New connections and state changes: written with the next write, retried until one succeeds. */
  private readonly urgent = new Set<string>();
  /** The latest sample time seen: the clock the checkpoint runs on (the daemon's, simulated in tests). */
  private clock: number | null = null;
  private readonly upsert: Database.Statement;
  private readonly writeRows: (ids: readonly string[]) => void;

  constructor(db: Database.Database) {
    for (const r of db.prepare('SELECT * FROM availability').all() as AvailabilityRow[]) {
      const t = fromRow(r);
      this.totals.set(r.connection_id, t);
      this.stored.set(r.connection_id, t);
    }
    this.upsert = db.prepare(
      `INSERT INTO availability (connection_id, last_sample_ms, last_up, last_on_standby, observed_ms, available_ms, standby_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(connection_id) DO UPDATE SET last_sample_ms = excluded.last_sample_ms, last_up = excluded.last_up,
         last_on_standby = excluded.last_on_standby, observed_ms = excluded.observed_ms,
         available_ms = excluded.available_ms, standby_ms = excluded.standby_ms`,
    );
    this.writeRows = db.transaction((ids: readonly string[]) => {
      for (const id of ids) {
        const t = this.totals.get(id);
        if (!t) continue;
        this.upsert.run(
          t.connectionId,
          t.lastSampleMs,
          t.lastUp ? 1 : 0,
          t.lastOnStandby ? 1 : 0,
          t.observedMs,
          t.availableMs,
          t.standbyMs,
        );
      }
    });
  }

  /**
   * Add status samples to the totals; write the rows that are due. A failed write keeps every row
   * it had for the next call (and throws, for the store's health).
   */
  record(samples: readonly AvailabilitySample[]): void {
    const previousClock = this.clock;
    for (const s of samples) {
      const before = this.totals.get(s.connectionId);
      const after = advance(before, s);
      this.totals.set(s.connectionId, after);
      if (this.clock === null || s.at > this.clock) this.clock = s.at;
      if (!before || !sameState(before, after)) this.urgent.add(s.connectionId);
      else if (after.lastSampleMs !== before.lastSampleMs && !this.unsaved.has(s.connectionId))
        this.unsaved.set(s.connectionId, s.at);
    }
    this.write(this.due(previousClock));
  }

  /** Write every row not yet written (closing the store). */
  flush(): void {
    this.write([...this.unsaved.keys()]);
  }

  /** The totals as written: what the counters export (see above). */
  written(): IterableIterator<AvailabilityTotals> {
    return this.stored.values();
  }

  /**
   * Oldest first: every row unsaved for CHECKPOINT_MS, and at least this call's share of all rows
   * (the time since the last call over CHECKPOINT_MS), which spreads rows that moved together.
   */
  private due(previousClock: number | null): string[] {
    if (this.clock === null) return [];
    const elapsed = previousClock === null ? 0 : this.clock - previousClock;
    const share = Math.max(
      MIN_ROWS_PER_WRITE,
      Math.ceil((this.totals.size * elapsed) / AVAILABILITY_CHECKPOINT_MS),
    );
    const out: string[] = [];
    for (const [id, since] of this.unsaved) {
      if (out.length >= share && since > this.clock - AVAILABILITY_CHECKPOINT_MS) break;
      out.push(id);
    }
    return out;
  }

  /** Write the urgent rows and `due`; a failure leaves both to the next write. */
  private write(due: readonly string[]): void {
    if (due.length === 0 && this.urgent.size === 0) return;
    const ids = [...new Set([...this.urgent, ...due])];
    this.writeRows(ids);
    for (const id of ids) {
      this.unsaved.delete(id);
      const t = this.totals.get(id);
      if (t) this.stored.set(id, t);
    }
    this.urgent.clear();
  }
}
