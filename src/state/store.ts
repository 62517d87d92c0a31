// The SQLite state store: events (append-only), counters that outlive retention, evidence captured
// at the moment of failure, the findings lifecycle, traffic history and the tracker's baseline.
//
// Durability: WAL journal with synchronous=FULL. WAL alone already survives `kill -9` (a commit is
// in the WAL before it returns); FULL adds an fsync per commit so a power loss or host crash cannot
// drop the last incidents either. Writes are a handful of transactions per collection cycle, so the
// fsync costs nothing measurable, and the event history is the evidence users rely on after an outage.

import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { regionKey } from '../model/derive.js';
import type { VpnEvent } from '../model/events.js';
import type { Finding } from '../model/finding.js';
import type { EventQuery, TrackerCounters, TrafficPoint } from '../model/history.js';
import { sameElements } from '../model/same-data.js';
import type { ConnectionTraffic, Snapshot, TunnelEvidence } from '../model/snapshot.js';
import type { AvailabilitySample } from './availability.js';
import { AvailabilityTable } from './availability-table.js';
import { asStoreError, StoreError, storeCall } from './errors.js';
import { type FindingsTable, findingsTable, type StoredFinding, type SyncResult } from './findings.js';
import { storedJson } from './json.js';
import { lockStore, type StoreLock } from './lock.js';
import { MIGRATIONS } from './schema.js';
import { STATE_CHANGE_KINDS } from './tracker.js';

export type { StoredFinding, SyncResult } from './findings.js';

export interface StoreOptions {
  /** Events, evidence, resolved findings and traffic older than this are pruned. Default 30. */
  retentionDays?: number;
  /**
   * A tunnel's evidence is stored again only when its diagnosis changed or this long after the last
   * stored capture (default 10 minutes = the log window, so stored logs cover the failure without
   * keeping the same lines every status cycle).
   */
  evidenceIntervalMs?: number;
}

export interface PruneResult {
  events: number;
  evidence: number;
  findings: number;
  traffic: number;
}

export interface Store {
  /** Append events and update the counters in one transaction; returns the events with their ids. */
  appendEvents(events: readonly VpnEvent[]): VpnEvent[];
  /**
   * Replace the detail of stored events (by id), e.g. to add the evidence captured just after a
   * transition was stored. Kind, time and counters are never touched.
   */
  updateEventDetails(events: ReadonlyArray<Pick<VpnEvent, 'id' | 'detail'>>): void;
  /** Store captures that add something (see StoreOptions.evidenceIntervalMs); returns how many were stored. */
  recordEvidence(evidence: readonly TunnelEvidence[] | Readonly<Record<string, TunnelEvidence>>): number;
  /** Evidence of one tunnel collected at or after `sinceMs`, newest first. */
  evidenceFor(tunnelId: string, sinceMs: number): TunnelEvidence[];
  /** Newest first; `limit` defaults to 100 and is capped at 10,000. */
  events(q?: EventQuery): VpnEvent[];
  /** The newest event of `kind` about one tunnel, or null. */
  lastTunnelEvent(tunnelId: string, kind: VpnEvent['kind']): VpnEvent | null;
  counters(): TrackerCounters;
  /** Add status samples to each connection's availability totals (written behind: state/availability-table.ts). */
  recordAvailability(samples: readonly AvailabilitySample[]): void;
  /** Tunnel state changes per tunnel at or after `sinceMs` (input to the tracker's flapping check). */
  stateChangesSince(sinceMs: number): Record<string, number>;
  /**
   * Make the stored open findings equal `open`: new ones are opened, missing ones resolved (both
   * recorded as events). Findings of `unknownConnections` (not evaluated this time) are left open.
   */
  syncFindings(
    open: readonly Finding[],
    now: number,
    opts?: { unknownConnections?: Iterable<string> },
  ): SyncResult;
  openFindings(): StoredFinding[];
  /** Findings opened, seen or resolved at or after `sinceMs` (resolved included), newest first. */
  findingHistory(sinceMs: number, connectionId?: string): StoredFinding[];
  recordTraffic(traffic: readonly ConnectionTraffic[] | Readonly<Record<string, ConnectionTraffic>>): void;
  /** Datapoints of one connection at or after `sinceMs`, oldest first. */
  trafficHistory(connectionId: string, sinceMs: number): TrafficPoint[];
  /**
   * Persist the tracker's baseline: the connections of each region (topology, evidence and traffic
   * are not kept). The body is skipped when nothing the tracker compares has changed since the last
   * save, so a steady fleet rewrites no tunnel per cycle; only each complete region's read time is
   * kept every time (one row per region). Returns whether it wrote the body. Snapshots are values
   * (a change is a new object: collect/merge.ts), so the same connection objects are taken as the
   * same tunnels without hashing them again.
   */
  saveSnapshot(snapshot: Snapshot): boolean;
  loadSnapshot(): Snapshot | null;
  /** Delete what is older than the retention; counters are kept. */
  prune(now: number): PruneResult;
  close(): void;
}

const DAY_MS = 86_400_000;

const MAX_EVENTS = 10_000;

interface EventRow {
  id: number;
  at: number;
  kind: VpnEvent['kind'];
  account: string;
  region: string;
  vpn_gateway_id: string;
  connection_id: string;
  tunnel_id: string | null;
  detail: string;
}

const toEvent = (r: EventRow): VpnEvent => ({
  id: r.id,
  at: r.at,
  kind: r.kind,
  account: r.account,
  region: r.region,
  vpnGatewayId: r.vpn_gateway_id,
  connectionId: r.connection_id,
  tunnelId: r.tunnel_id,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

/** Only what `track` compares; the rest of a region is rebuilt by the next collection. */
const baselineOf = (s: Snapshot): Snapshot => ({
  takenAt: s.takenAt,
  // Probe results are the probe tier's, refreshed every round: the tracker's baseline needs none.
  regions: s.regions.map(({ probes: _probes, ...r }) => ({
    ...r,
    topology: null,
    evidence: {},
    traffic: null,
  })),
});

/** Regions, their completeness, and every connection's tunnels with role and status. */
function trackedDigest(s: Snapshot): string {
  // One update of one string: an update per tunnel crosses into native code 4,000 times per cycle.
  const lines: string[] = [];
  for (const r of s.regions) {
    lines.push(`${r.account}/${r.region}:${r.connections.complete}`);
    for (const c of r.connections.data)
      for (const t of c.tunnels) lines.push(`${c.id}|${t.id}|${t.role}|${t.status}`);
  }
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * The same regions, completeness and connection objects: the merge keeps an unchanged connection's
 * object (collect/merge.ts), so an unchanged cycle is told apart without hashing 4,000 tunnels.
 */
function sameTracked(a: Snapshot, b: Snapshot): boolean {
  if (a.regions.length !== b.regions.length) return false;
  return a.regions.every((ra, i) => {
    const rb = b.regions[i]!;
    const ca = ra.connections;
    const cb = rb.connections;
    return (
      ra.account === rb.account &&
      ra.region === rb.region &&
      ca.complete === cb.complete &&
      sameElements(ca.data, cb.data)
    );
  });
}

/** Diagnosis codes, mismatched parameters and errors: a change in any is new evidence. */
function evidenceSignature(e: TunnelEvidence): string {
  const diagnosis = e.diagnosis?.map((d) => [d.failedReasonCode, d.mismatchLocal, d.mismatchRemote]) ?? null;
  return storedJson([diagnosis, e.errors, e.logs === null]);
}

function migrate(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new StoreError(
      path,
      'newer',
      `has schema version ${version}, newer than this build knows (${MIGRATIONS.length})`,
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/**
 * Open (creating and migrating as needed) the store at `path`; ':memory:' for tests and one-shot
 * runs. A file store is owned by one process at a time (see lock.ts). Every failure to open, lock or
 * write it is a StoreError naming the path and the remedy.
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const retentionDays = options.retentionDays ?? 30;
  if (!(retentionDays > 0))
    throw new Error(`storage.retentionDays must be a positive number, got ${retentionDays}`);
  if (path !== ':memory:') storeCall(path, () => mkdirSync(dirname(path), { recursive: true }));
  const lock: StoreLock | null = path === ':memory:' ? null : lockStore(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
    return guarded(path, storeOn(db, options, retentionDays), lock);
  } catch (err) {
    db?.close();
    lock?.release();
    throw asStoreError(err, path);
  }
}

/** Every call's storage failure as a StoreError about `path`; close() releases the lock. */
function guarded(path: string, store: Store, lock: StoreLock | null): Store {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store) as Array<[string, (...args: unknown[]) => unknown]>) {
    out[name] = (...args: unknown[]) => storeCall(path, () => fn(...args));
  }
  const close = out.close as () => void;
  out.close = () => {
    try {
      close();
    } finally {
      lock?.release();
    }
  };
  return out as unknown as Store;
}

function storeOn(db: Database.Database, options: StoreOptions, retentionDays: number): Store {
  const stateKinds = STATE_CHANGE_KINDS.map((k) => `'${k}'`).join(',');
  const insertEvent = db.prepare(
    `INSERT INTO events (at, kind, account, region, vpn_gateway_id, connection_id, tunnel_id, detail)
     VALUES (@at, @kind, @account, @region, @vpnGatewayId, @connectionId, @tunnelId, @detail)`,
  );
  const bumpTunnel = db.prepare(
    `INSERT INTO tunnel_counters (tunnel_id, state_changes, last_change_ms) VALUES (?, 1, ?)
     ON CONFLICT(tunnel_id) DO UPDATE SET state_changes = state_changes + 1,
       last_change_ms = max(coalesce(last_change_ms, 0), excluded.last_change_ms)`,
  );
  const bumpFailover = db.prepare(
    `INSERT INTO connection_counters (connection_id, failovers, last_failover_ms) VALUES (?, 1, ?)
     ON CONFLICT(connection_id) DO UPDATE SET failovers = failovers + 1,
       last_failover_ms = max(coalesce(last_failover_ms, 0), excluded.last_failover_ms)`,
  );
  const bumpFailback = db.prepare(
    `INSERT INTO connection_counters (connection_id, failbacks) VALUES (?, 1)
     ON CONFLICT(connection_id) DO UPDATE SET failbacks = failbacks + 1`,
  );

  const availability = new AvailabilityTable(db);
  const bumpChange = db.prepare(
    `INSERT INTO change_counters (connection_id, kind, changes) VALUES (?, ?, 1)
     ON CONFLICT(connection_id, kind) DO UPDATE SET changes = changes + 1`,
  );

  /** Insert inside the caller's transaction; counters move with the row or not at all. */
  const insertOne = (e: VpnEvent): VpnEvent => {
    const info = insertEvent.run({ ...e, detail: storedJson(e.detail ?? {}) });
    if (e.tunnelId && STATE_CHANGE_KINDS.includes(e.kind)) bumpTunnel.run(e.tunnelId, e.at);
    if (e.kind === 'failover') bumpFailover.run(e.connectionId, e.at);
    if (e.kind === 'failback') bumpFailback.run(e.connectionId);
    if (e.kind === 'config_change') bumpChange.run(e.connectionId, String(e.detail.kind ?? 'unknown'));
    return { ...e, id: Number(info.lastInsertRowid) };
  };
  const appendEvents = db.transaction((events: readonly VpnEvent[]) => events.map(insertOne));
  const findings: FindingsTable = findingsTable(db, insertOne);

  const evidenceIntervalMs = options.evidenceIntervalMs ?? 10 * 60_000;
  const latestEvidence = db.prepare(
    'SELECT collected_at, signature FROM evidence WHERE tunnel_id = ? ORDER BY collected_at DESC LIMIT 1',
  );
  const insertEvidence = db.prepare(
    'INSERT OR IGNORE INTO evidence (tunnel_id, connection_id, collected_at, signature, body) VALUES (?, ?, ?, ?, ?)',
  );
  const recordEvidence = db.transaction((list: readonly TunnelEvidence[]) => {
    let stored = 0;
    for (const e of list) {
      const signature = evidenceSignature(e);
      const last = latestEvidence.get(e.tunnelId) as { collected_at: number; signature: string } | undefined;
      const adds =
        !last || last.signature !== signature || e.collectedAt - last.collected_at >= evidenceIntervalMs;
      if (adds)
        stored += insertEvidence.run(
          e.tunnelId,
          e.connectionId,
          e.collectedAt,
          signature,
          storedJson(e),
        ).changes;
    }
    return stored;
  });
  const upsertTraffic = db.prepare(
    'INSERT OR REPLACE INTO traffic (connection_id, at, rx_bps, tx_bps) VALUES (?, ?, ?, ?)',
  );
  const recordTraffic = db.transaction((list: readonly ConnectionTraffic[]) => {
    for (const t of list) if (t.at !== null) upsertTraffic.run(t.connectionId, t.at, t.rxBps, t.txBps);
  });
  const saveSnapshot = db.prepare(
    'INSERT INTO snapshot (id, taken_at, body) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET taken_at = excluded.taken_at, body = excluded.body',
  );

  let lastSavedDigest: string | null = null;
  let digested: { snapshot: Snapshot; digest: string } | null = null;
  const digestOf = (snapshot: Snapshot): string => {
    if (!digested || !sameTracked(digested.snapshot, snapshot))
      digested = { snapshot, digest: trackedDigest(snapshot) };
    return digested.digest;
  };
  const upsertRegionRead = db.prepare(
    'INSERT INTO region_reads (account, region, read_at) VALUES (?, ?, ?) ON CONFLICT(account, region) DO UPDATE SET read_at = excluded.read_at',
  );
  const saveRegionReads = db.transaction((s: Snapshot) => {
    for (const r of s.regions)
      if (r.connections.complete) upsertRegionRead.run(r.account, r.region, r.connections.collectedAt);
  });

  const prune = db.transaction(
    (cutoff: number): PruneResult => ({
      events: db.prepare('DELETE FROM events WHERE at < ?').run(cutoff).changes,
      evidence: db.prepare('DELETE FROM evidence WHERE collected_at < ?').run(cutoff).changes,
      findings: db
        .prepare('DELETE FROM findings WHERE resolved_at IS NOT NULL AND resolved_at < ?')
        .run(cutoff).changes,
      traffic: db.prepare('DELETE FROM traffic WHERE at < ?').run(cutoff).changes,
    }),
  );

  const setEventDetail = db.prepare('UPDATE events SET detail = ? WHERE id = ?');
  const updateEventDetails = db.transaction((events: ReadonlyArray<Pick<VpnEvent, 'id' | 'detail'>>) => {
    for (const e of events) if (e.id !== undefined) setEventDetail.run(storedJson(e.detail ?? {}), e.id);
  });

  return {
    appendEvents: (events) => (events.length === 0 ? [] : appendEvents(events)),
    updateEventDetails: (events) => {
      if (events.length > 0) updateEventDetails(events);
    },
    recordEvidence: (evidence) =>
      recordEvidence(Array.isArray(evidence) ? evidence : Object.values(evidence)),
    evidenceFor: (tunnelId, sinceMs) =>
      (
        db
          .prepare(
            'SELECT body FROM evidence WHERE tunnel_id = ? AND collected_at >= ? ORDER BY collected_at DESC',
          )
          .all(tunnelId, sinceMs) as Array<{ body: string }>
      ).map((r) => JSON.parse(r.body) as TunnelEvidence),
    events: (q = {}) => {
      const limit = Math.min(Math.max(1, Math.floor(q.limit ?? 100)), MAX_EVENTS);
      const rows = db
        .prepare(
          `SELECT * FROM events WHERE (@connectionId IS NULL OR connection_id = @connectionId) AND at >= @since
             AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
           ORDER BY at DESC, id DESC LIMIT @limit`,
        )
        .all({
          connectionId: q.connectionId ?? null,
          since: q.since ?? 0,
          kinds: q.kinds ? JSON.stringify(q.kinds) : null,
          limit,
        }) as EventRow[];
      return rows.map(toEvent);
    },
    lastTunnelEvent: (tunnelId, kind) => {
      const row = db
        .prepare('SELECT * FROM events WHERE tunnel_id = ? AND kind = ? ORDER BY at DESC, id DESC LIMIT 1')
        .get(tunnelId, kind) as EventRow | undefined;
      return row ? toEvent(row) : null;
    },
    counters: () => {
      const out: TrackerCounters = {
        tunnelStateChanges: {},
        tunnelLastChangeMs: {},
        failovers: {},
        failbacks: {},
        lastFailoverAtMs: {},
        configChanges: {},
        observedSeconds: {},
        availableSeconds: {},
        standbySeconds: {},
      };
      for (const a of availability.written()) {
        out.observedSeconds[a.connectionId] = a.observedMs / 1000;
        out.availableSeconds[a.connectionId] = a.availableMs / 1000;
        out.standbySeconds[a.connectionId] = a.standbyMs / 1000;
      }
      for (const r of db.prepare('SELECT * FROM change_counters').all() as Array<{
        connection_id: string;
        kind: string;
        changes: number;
      }>) {
        out.configChanges[r.connection_id] ??= {};
        out.configChanges[r.connection_id]![r.kind] = r.changes;
      }
      for (const r of db.prepare('SELECT * FROM tunnel_counters').all() as Array<{
        tunnel_id: string;
        state_changes: number;
        last_change_ms: number | null;
      }>) {
        out.tunnelStateChanges[r.tunnel_id] = r.state_changes;
        if (r.last_change_ms !== null) out.tunnelLastChangeMs[r.tunnel_id] = r.last_change_ms;
      }
      for (const r of db.prepare('SELECT * FROM connection_counters').all() as Array<{
        connection_id: string;
        failovers: number;
        failbacks: number;
        last_failover_ms: number | null;
      }>) {
        out.failovers[r.connection_id] = r.failovers;
        out.failbacks[r.connection_id] = r.failbacks;
        if (r.last_failover_ms !== null) out.lastFailoverAtMs[r.connection_id] = r.last_failover_ms;
      }
      return out;
    },
    recordAvailability: (samples) => availability.record(samples),
    stateChangesSince: (sinceMs) => {
      const rows = db
        .prepare(
          `SELECT tunnel_id, COUNT(*) AS n FROM events WHERE kind IN (${stateKinds}) AND tunnel_id IS NOT NULL AND at >= ? GROUP BY tunnel_id`,
        )
        .all(sinceMs) as Array<{ tunnel_id: string; n: number }>;
      return Object.fromEntries(rows.map((r) => [r.tunnel_id, r.n]));
    },
    syncFindings: (open, now, opts) => findings.sync(open, now, new Set(opts?.unknownConnections ?? [])),
    openFindings: () => findings.open(),
    findingHistory: (sinceMs, connectionId) => findings.history(sinceMs, connectionId),
    recordTraffic: (traffic) => recordTraffic(Array.isArray(traffic) ? traffic : Object.values(traffic)),
    trafficHistory: (connectionId, sinceMs) =>
      (
        db
          .prepare('SELECT at, rx_bps, tx_bps FROM traffic WHERE connection_id = ? AND at >= ? ORDER BY at')
          .all(connectionId, sinceMs) as Array<{ at: number; rx_bps: number | null; tx_bps: number | null }>
      ).map((r) => ({ at: r.at, rxBps: r.rx_bps, txBps: r.tx_bps })),
    saveSnapshot: (snapshot) => {
      saveRegionReads(snapshot);
      const digest = digestOf(snapshot);
      if (digest === lastSavedDigest) return false;
      saveSnapshot.run(snapshot.takenAt, storedJson(baselineOf(snapshot)));
      lastSavedDigest = digest;
      return true;
    },
    loadSnapshot: () => {
      const row = db.prepare('SELECT body FROM snapshot WHERE id = 1').get() as { body: string } | undefined;
      if (!row) return null;
      const baseline = JSON.parse(row.body) as Snapshot;
      const reads = new Map(
        (
          db.prepare('SELECT account, region, read_at FROM region_reads').all() as Array<{
            account: string;
            region: string;
            read_at: number;
          }>
        ).map((r) => [regionKey(r), r.read_at]),
      );
      // The body keeps the time of its last rewrite; the region was read since (same states).
      for (const r of baseline.regions) {
        const readAt = reads.get(regionKey(r));
        if (r.connections.complete && readAt !== undefined && readAt > r.connections.collectedAt)
          r.connections = { ...r.connections, collectedAt: readAt };
      }
      return baseline;
    },
    prune: (now) => prune(now - retentionDays * DAY_MS),
    close: () => {
      if (!db.open) return;
      try {
        availability.flush();
      } finally {
        db.close();
      }
    },
  };
}
