import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VpnEvent } from '../../src/model/events.js';
import type { Finding } from '../../src/model/finding.js';
import { MIGRATIONS } from '../../src/state/schema.js';
import { openStore, type Store } from '../../src/state/store.js';
import { evidence, healthySnapshot, IDS, NOW, onlyConnection } from '../fixtures/snapshot.js';

const DAY = 86_400_000;
let dir: string;
let dbPath: string;
const opened: Store[] = [];
const open = (opts = {}) => {
  const s = openStore(dbPath, opts);
  opened.push(s);
  return s;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'alivpn-store-'));
  dbPath = join(dir, 'nested', 'state.db');
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const ev = (kind: VpnEvent['kind'], at: number, over: Partial<VpnEvent> = {}): VpnEvent => ({
  at,
  kind,
  account: IDS.account,
  region: IDS.region,
  vpnGatewayId: IDS.gateway,
  connectionId: IDS.connection,
  tunnelId: IDS.tunnel1,
  detail: { from: 'ipsec_sa_established', to: 'ike_sa_not_established' },
  ...over,
});

const finding = (rule: string, over: Partial<Finding> = {}): Finding => ({
  rule,
  severity: 'critical',
  layer: 'ike',
  account: IDS.account,
  region: IDS.region,
  vpnGatewayId: IDS.gateway,
  connectionId: IDS.connection,
  tunnelId: IDS.tunnel1,
  codes: ['PskMismatch'],
  runbook: rule,
  text: {
    en: { title: rule, summary: 's', evidence: [], remediation: [] },
    ja: { title: rule, summary: 's', evidence: [], remediation: [] },
  },
  ...over,
});

describe('state store', () => {
  it('uses the WAL journal and records the schema version in user_version', () => {
    open().close();
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a store written by a newer schema, naming the versions', () => {
    open().close();
    const db = new Database(dbPath);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openStore(dbPath)).toThrow(
      new RegExp(`schema version 99, newer than this build knows \\(${MIGRATIONS.length}\\)`),
    );
  });

  it('appends events with ids, queries them newest first, and keeps events and counters across a reopen', () => {
    const s = open();
    const stored = s.appendEvents([
      ev('tunnel_down', NOW),
      ev('failover', NOW, {
        tunnelId: IDS.tunnel2,
        detail: { fromTunnelId: IDS.tunnel1, toTunnelId: IDS.tunnel2 },
      }),
      ev('tunnel_up', NOW + 60_000, { detail: {} }),
      ev('failback', NOW + 60_000, { detail: {} }),
      ev('tunnel_down', NOW + 120_000, { connectionId: 'vco-other', tunnelId: 'tun-other' }),
    ]);
    expect(stored.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    s.close();

    const again = open();
    expect(again.events({ connectionId: IDS.connection }).map((e) => [e.id, e.kind])).toEqual([
      [4, 'failback'],
      [3, 'tunnel_up'],
      [2, 'failover'],
      [1, 'tunnel_down'],
    ]);
    expect(again.events({ since: NOW + 60_000, limit: 2 }).map((e) => e.id)).toEqual([5, 4]);
    expect(again.events({ connectionId: IDS.connection })[2]?.detail).toEqual({
      fromTunnelId: IDS.tunnel1,
      toTunnelId: IDS.tunnel2,
    });
    expect(again.counters()).toEqual({
      tunnelStateChanges: { [IDS.tunnel1]: 2, 'tun-other': 1 },
      tunnelLastChangeMs: { [IDS.tunnel1]: NOW + 60_000, 'tun-other': NOW + 120_000 },
      failovers: { [IDS.connection]: 1 },
      failbacks: { [IDS.connection]: 1 },
      lastFailoverAtMs: { [IDS.connection]: NOW },
      configChanges: {},
      observedSeconds: {},
      availableSeconds: {},
      standbySeconds: {},
    });
    expect(again.stateChangesSince(NOW + 1)).toEqual({ [IDS.tunnel1]: 1, 'tun-other': 1 });
  });

  it('stores evidence by tunnel and time, skipping captures that add nothing within the log window', () => {
    const s = open();
    const e1 = {
      ...evidence(IDS.tunnel1, {
        diagnosis: [{ failedReasonCode: 'PskMismatch' }],
        logLines: ['mismatch of preshared secrets'],
      }),
      collectedAt: NOW,
    };
    expect(s.recordEvidence({ [IDS.tunnel1]: e1 })).toBe(1);
    // Same diagnosis 30 s later: nothing new.
    expect(s.recordEvidence([{ ...e1, collectedAt: NOW + 30_000 }])).toBe(0);
    // A different code is new evidence at once.
    const e3 = {
      ...e1,
      collectedAt: NOW + 60_000,
      diagnosis: [{ ...e1.diagnosis![0]!, failedReasonCode: 'NoResponse' }],
    };
    expect(s.recordEvidence([e3, e3])).toBe(1);
    // The same again after the 10-minute window: stored, so the logs keep covering the failure.
    expect(s.recordEvidence([{ ...e3, collectedAt: NOW + 60_000 + 600_000 }])).toBe(1);
    expect(s.evidenceFor(IDS.tunnel1, 0).map((e) => e.collectedAt)).toEqual([
      NOW + 660_000,
      NOW + 60_000,
      NOW,
    ]);
    expect(s.evidenceFor(IDS.tunnel1, NOW + 1).map((e) => e.diagnosis?.[0]?.failedReasonCode)).toEqual([
      'NoResponse',
      'NoResponse',
    ]);
    expect(s.evidenceFor(IDS.tunnel1, 0)[2]?.logs?.lines[0]).toContain('mismatch of preshared secrets');
    expect(s.evidenceFor(IDS.tunnel2, 0)).toEqual([]);
    expect(s.loadSnapshot()).toBeNull();
    const snap = healthySnapshot();
    expect(s.saveSnapshot(snap)).toBe(true);
    // Nothing the tracker compares changed: no write.
    expect(s.saveSnapshot({ ...snap, takenAt: snap.takenAt + 30_000 })).toBe(false);
    s.close();
    const reopened = open();
    const baseline = reopened.loadSnapshot();
    reopened.close(); // one owner at a time, in this process too
    expect(baseline?.regions[0]?.connections).toEqual(snap.regions[0]?.connections);
    expect([
      baseline?.regions[0]?.topology,
      baseline?.regions[0]?.traffic,
      baseline?.regions[0]?.evidence,
    ]).toEqual([null, null, {}]);
    const again = open();
    expect(again.saveSnapshot(snap)).toBe(true);
    expect(again.saveSnapshot(snap)).toBe(false);
    // A tunnel status change is written at once. Snapshots are values: a change is a new object,
    // as the merge makes it (collect/merge.ts).
    const connection = onlyConnection(snap);
    const region = snap.regions[0]!;
    const changed = {
      ...snap,
      regions: [
        {
          ...region,
          connections: {
            ...region.connections,
            data: [
              {
                ...connection,
                tunnels: [
                  { ...connection.tunnels[0]!, status: 'ike_sa_not_established' as const },
                  ...connection.tunnels.slice(1),
                ],
              },
            ],
          },
        },
      ],
    };
    expect(again.saveSnapshot(changed)).toBe(true);
    expect(again.loadSnapshot()?.regions[0]?.connections.data[0]?.tunnels[0]?.status).toBe(
      'ike_sa_not_established',
    );
  });

  it('keeps traffic history per connection, oldest first', () => {
    const s = open();
    s.recordTraffic({ [IDS.connection]: { connectionId: IDS.connection, rxBps: 10, txBps: 20, at: NOW } });
    s.recordTraffic([
      { connectionId: IDS.connection, rxBps: 11, txBps: 21, at: NOW + 60_000 },
      { connectionId: IDS.connection, rxBps: null, txBps: null, at: null },
      { connectionId: 'vco-other', rxBps: 1, txBps: 1, at: NOW },
    ]);
    expect(s.trafficHistory(IDS.connection, 0)).toEqual([
      { at: NOW, rxBps: 10, txBps: 20 },
      { at: NOW + 60_000, rxBps: 11, txBps: 21 },
    ]);
    expect(s.trafficHistory(IDS.connection, NOW + 1)).toHaveLength(1);
  });

  it('opens, keeps and resolves findings, recording each transition as an event', () => {
    const s = open();
    const psk = finding('psk-mismatch');
    const standby = finding('standby-tunnel-down', {
      severity: 'warning',
      layer: 'redundancy',
      tunnelId: IDS.tunnel2,
      codes: [],
    });
    expect(s.syncFindings([psk, standby], NOW)).toEqual({ opened: [psk, standby], resolved: [] });
    expect(s.syncFindings([psk, standby], NOW + 30_000)).toEqual({ opened: [], resolved: [] });
    expect(s.syncFindings([psk], NOW + 60_000)).toEqual({ opened: [], resolved: [standby] });
    const open1 = s.openFindings();
    expect(open1.map((f) => [f.rule, f.firstSeenMs, f.lastSeenMs, f.resolvedAtMs])).toEqual([
      ['psk-mismatch', NOW, NOW + 60_000, null],
    ]);
    // A connection that could not be evaluated keeps its findings open.
    expect(s.syncFindings([], NOW + 90_000, { unknownConnections: [IDS.connection] }).resolved).toEqual([]);
    expect(s.syncFindings([], NOW + 120_000).resolved).toEqual([psk]);
    // The same finding coming back is a new episode.
    expect(s.syncFindings([psk], NOW + 150_000).opened).toEqual([psk]);
    expect(
      s
        .events({})
        .map((e) => [e.kind, e.detail.rule])
        .reverse(),
    ).toEqual([
      ['finding_opened', 'psk-mismatch'],
      ['finding_opened', 'standby-tunnel-down'],
      ['finding_resolved', 'standby-tunnel-down'],
      ['finding_resolved', 'psk-mismatch'],
      ['finding_opened', 'psk-mismatch'],
    ]);
    expect(s.findingHistory(0).map((f) => [f.rule, f.resolvedAtMs])).toEqual([
      ['psk-mismatch', null],
      ['psk-mismatch', NOW + 120_000],
      ['standby-tunnel-down', NOW + 60_000],
    ]);
    // Finding events are not tunnel state changes.
    expect(s.counters().tunnelStateChanges).toEqual({});
  });

  it('prunes what is older than the retention but keeps counters and open findings', () => {
    const s = open({ retentionDays: 7 });
    s.appendEvents([ev('failover', NOW - 10 * DAY), ev('tunnel_down', NOW - DAY)]);
    s.recordEvidence([
      { ...evidence(IDS.tunnel1), collectedAt: NOW - 10 * DAY },
      { ...evidence(IDS.tunnel1), collectedAt: NOW - DAY },
    ]);
    s.recordTraffic([
      { connectionId: IDS.connection, rxBps: 1, txBps: 1, at: NOW - 10 * DAY },
      { connectionId: IDS.connection, rxBps: 2, txBps: 2, at: NOW - DAY },
    ]);
    s.syncFindings([finding('psk-mismatch'), finding('dpd-timeout')], NOW - 10 * DAY);
    s.syncFindings([finding('psk-mismatch')], NOW - 9 * DAY);
    // events: failover, tunnel_down, two finding_opened and one finding_resolved at -10/-9 days
    expect(s.prune(NOW)).toEqual({ events: 4, evidence: 1, findings: 1, traffic: 1 });
    expect(s.events({}).map((e) => e.kind)).toEqual(['tunnel_down']);
    expect(s.evidenceFor(IDS.tunnel1, 0)).toHaveLength(1);
    expect(s.trafficHistory(IDS.connection, 0)).toEqual([{ at: NOW - DAY, rxBps: 2, txBps: 2 }]);
    expect(s.openFindings().map((f) => f.rule)).toEqual(['psk-mismatch']);
    expect(s.counters().failovers).toEqual({ [IDS.connection]: 1 });
  });

  it('rejects a non-positive retention with a clear message', () => {
    expect(() => openStore(dbPath, { retentionDays: 0 })).toThrow(
      /storage\.retentionDays must be a positive number/,
    );
  });

  it('survives SIGKILL in the middle of a write loop: every committed event is there and counters match', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'store-writer.ts'), dbPath],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let reported = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`writer made no progress: ${stderr}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        const lines = d.toString().trim().split('\n');
        reported = Number(lines[lines.length - 1]);
        if (reported >= 400) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
    });
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const s = open();
    const events = s.events({ limit: 10_000 });
    // Everything reported as committed is there; at most the batch in flight was lost, never half of one.
    expect(events.length).toBeGreaterThanOrEqual(reported);
    expect(events.length % 4).toBe(0);
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    const counters = s.counters();
    expect(counters.tunnelStateChanges['tun-1']).toBe(count('tunnel_down') + count('tunnel_up'));
    expect(counters.failovers['vco-1']).toBe(count('failover'));
    expect(counters.failbacks['vco-1']).toBe(count('failback'));
    expect(s.evidenceFor('tun-1', 0).length).toBeGreaterThanOrEqual(reported / 4);
    // And the store keeps working.
    expect(s.appendEvents([ev('tunnel_down', NOW)])[0]?.id).toBe(events.length + 1);
  }, 30_000);
});
