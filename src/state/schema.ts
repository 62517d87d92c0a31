// Schema migrations, applied in order and tracked with SQLite's `user_version`: migration i brings
// the database from version i to i + 1. Append new migrations; never edit a shipped one.

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    vpn_gateway_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    tunnel_id TEXT,
    detail TEXT NOT NULL
  );
  CREATE INDEX events_at ON events(at);
  CREATE INDEX events_connection_at ON events(connection_id, at);
  CREATE INDEX events_tunnel_kind_at ON events(tunnel_id, kind, at);

  -- Counters outlive event retention; updated in the same transaction as the event insert.
  CREATE TABLE tunnel_counters (
    tunnel_id TEXT PRIMARY KEY,
    state_changes INTEGER NOT NULL DEFAULT 0,
    last_change_ms INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE connection_counters (
    connection_id TEXT PRIMARY KEY,
    failovers INTEGER NOT NULL DEFAULT 0,
    failbacks INTEGER NOT NULL DEFAULT 0,
    last_failover_ms INTEGER
  ) WITHOUT ROWID;

  CREATE TABLE evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tunnel_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    collected_at INTEGER NOT NULL,
    -- What makes two captures different (diagnosis codes, mismatches, errors); see recordEvidence.
    signature TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (tunnel_id, collected_at)
  );

  CREATE TABLE findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    tunnel_id TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    resolved_at INTEGER,
    body TEXT NOT NULL
  );
  CREATE UNIQUE INDEX findings_open_key ON findings(key) WHERE resolved_at IS NULL;
  CREATE INDEX findings_resolved_at ON findings(resolved_at);

  CREATE TABLE traffic (
    connection_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    rx_bps REAL,
    tx_bps REAL,
    PRIMARY KEY (connection_id, at)
  ) WITHOUT ROWID;
  CREATE INDEX traffic_at ON traffic(at);

  -- The tracker's baseline, so a restart compares against what was last seen instead of nothing.
  CREATE TABLE snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    taken_at INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  `,
  `
  -- Configuration changes per connection and kind (alivpn_config_changes_total); outlive retention.
  CREATE TABLE change_counters (
    connection_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    changes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (connection_id, kind)
  ) WITHOUT ROWID;
  `,
  `
  -- Availability totals per connection from status samples (state/availability.ts); outlive retention.
  CREATE TABLE availability (
    connection_id TEXT PRIMARY KEY,
    last_sample_ms INTEGER NOT NULL,
    last_up INTEGER NOT NULL,
    last_on_standby INTEGER NOT NULL,
    observed_ms REAL NOT NULL DEFAULT 0,
    available_ms REAL NOT NULL DEFAULT 0,
    standby_ms REAL NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  `,
  `
  -- When each region of the baseline was last read completely. The baseline's body is rewritten only
  -- when a tunnel's state changes; these times every cycle, so a restarted daemon knows the previous
  -- sample of each region (a failover's gap bound, the last time a tunnel was seen up).
  CREATE TABLE region_reads (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (account, region)
  ) WITHOUT ROWID;
  `,
];
