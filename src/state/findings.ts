// The open/resolved lifecycle of findings in the store: one row per episode of a finding
// (same rule, connection and tunnel), opened when first seen and resolved when it stops appearing.

import type Database from 'better-sqlite3';
import type { VpnEvent } from '../model/events.js';
import { type Finding, findingKey } from '../model/finding.js';
import { storedJson } from './json.js';

export interface StoredFinding extends Finding {
  key: string;
  firstSeenMs: number;
  lastSeenMs: number;
  resolvedAtMs: number | null;
}

export interface SyncResult {
  opened: Finding[];
  resolved: Finding[];
}

export interface FindingsTable {
  sync(open: readonly Finding[], now: number, unknownConnections: ReadonlySet<string>): SyncResult;
  open(): StoredFinding[];
  history(sinceMs: number, connectionId?: string): StoredFinding[];
}

interface Row {
  key: string;
  first_seen: number;
  last_seen: number;
  resolved_at: number | null;
  body: string;
}

const toStored = (r: Row): StoredFinding => ({
  ...(JSON.parse(r.body) as Finding),
  key: r.key,
  firstSeenMs: r.first_seen,
  lastSeenMs: r.last_seen,
  resolvedAtMs: r.resolved_at,
});

const lifecycleEvent = (kind: 'finding_opened' | 'finding_resolved', f: Finding, at: number): VpnEvent => ({
  at,
  kind,
  account: f.account,
  region: f.region,
  vpnGatewayId: f.vpnGatewayId,
  connectionId: f.connectionId,
  tunnelId: f.tunnelId,
  detail: { rule: f.rule, severity: f.severity, layer: f.layer, codes: f.codes },
});

/** `insertEvent` must run inside the caller's transaction (the store's event insert). */
export function findingsTable(db: Database.Database, insertEvent: (e: VpnEvent) => unknown): FindingsTable {
  const selectOpen = db.prepare('SELECT * FROM findings WHERE resolved_at IS NULL ORDER BY first_seen, id');
  const insert = db.prepare(
    `INSERT INTO findings (key, rule, severity, connection_id, tunnel_id, first_seen, last_seen, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Sync runs after every evaluation: read bodies as text and rewrite one only when it changed.
  const selectOpenKeys = db.prepare(
    'SELECT key, connection_id, severity, body FROM findings WHERE resolved_at IS NULL',
  );
  const touch = db.prepare(
    'UPDATE findings SET last_seen = ?, severity = ?, body = ? WHERE key = ? AND resolved_at IS NULL',
  );
  const seen = db.prepare('UPDATE findings SET last_seen = ? WHERE key = ? AND resolved_at IS NULL');
  const resolve = db.prepare('UPDATE findings SET resolved_at = ? WHERE key = ? AND resolved_at IS NULL');

  const sync = db.transaction(
    (open: readonly Finding[], now: number, unknown: ReadonlySet<string>): SyncResult => {
      const current = new Map(open.map((f) => [findingKey(f), f]));
      const stored = new Map(
        (
          selectOpenKeys.all() as Array<
            Pick<Row, 'key' | 'body'> & { connection_id: string; severity: string }
          >
        ).map((r) => [r.key, r]),
      );
      const opened: Finding[] = [];
      const resolved: Finding[] = [];
      for (const [key, f] of current) {
        const body = storedJson(f);
        const row = stored.get(key);
        if (row) {
          if (row.body === body && row.severity === f.severity) seen.run(now, key);
          else touch.run(now, f.severity, body, key);
          continue;
        }
        insert.run(key, f.rule, f.severity, f.connectionId, f.tunnelId, now, now, body);
        insertEvent(lifecycleEvent('finding_opened', f, now));
        opened.push(f);
      }
      for (const [key, row] of stored) {
        if (current.has(key) || unknown.has(row.connection_id)) continue;
        resolve.run(now, key);
        const finding = JSON.parse(row.body) as Finding;
        insertEvent(lifecycleEvent('finding_resolved', finding, now));
        resolved.push(finding);
      }
      return { opened, resolved };
    },
  );

  return {
    sync: (open, now, unknown) => sync(open, now, unknown),
    open: () => (selectOpen.all() as Row[]).map(toStored),
    history: (sinceMs, connectionId) =>
      (
        db
          .prepare(
            `SELECT * FROM findings WHERE (resolved_at IS NULL OR resolved_at >= @since OR last_seen >= @since)
             AND (@connectionId IS NULL OR connection_id = @connectionId) ORDER BY last_seen DESC, id DESC`,
          )
          .all({ since: sinceMs, connectionId: connectionId ?? null }) as Row[]
      ).map(toStored),
  };
}
