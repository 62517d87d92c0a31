// Severity follows impact: a cause on a tunnel that is down while another tunnel of the connection
// carries traffic is at most a warning; a cause that has taken the connection down stays critical.
import { describe, expect, it } from 'vitest';
import { diagnose, loadRules } from '../../src/diagnose/engine.js';
import { applyImpact } from '../../src/diagnose/impact.js';
import { buildWorld } from '../../src/diagnose/incidents/spec.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { IDS } from '../fixtures/snapshot.js';

const psk = { diagnosis: [{ failedReasonCode: 'PskMismatch' }], logs: ['could not decrypt payloads.'] };
const down = { status: 'ike_sa_not_established' };

const world = (tunnels: Record<string, { status: string }>, on: '1' | '2') =>
  buildWorld({ tunnels, evidence: { [on]: psk } }).snapshot;
const pskOn = (snapshot: Snapshot, tunnelId: string, opts = {}) =>
  diagnose(snapshot, opts).findings.find((f) => f.rule === 'psk-mismatch' && f.tunnelId === tunnelId);

describe('severity follows impact', () => {
  it('lowers the cause of a standby-only failure to warning and says why, in both languages', () => {
    const f = pskOn(world({ '2': down }, '2'), IDS.tunnel2);
    expect(f?.severity).toBe('warning');
    expect(f?.text.en.evidence.at(-1)).toBe(
      `Severity warning (rule: critical): tunnel 1 (${IDS.tunnel1}, primary) carries traffic, so this failure costs redundancy, not connectivity.`,
    );
    expect(f?.text.ja.evidence.at(-1)).toContain(`トンネル 1（${IDS.tunnel1}、プライマリ）が通信中`);
    // The ja text keeps its own evidence list: the en note is not added twice.
    expect(f?.text.ja.evidence.filter((l) => l.startsWith('Severity'))).toEqual([]);
  });

  it('lowers the primary cause while the connection has failed over to the standby tunnel', () => {
    const f = pskOn(world({ '1': down }, '1'), IDS.tunnel1);
    expect(f?.severity).toBe('warning');
    expect(f?.text.en.evidence.at(-1)).toContain(`tunnel 2 (${IDS.tunnel2}, standby) carries traffic`);
  });

  it('keeps a cause critical when it has taken the connection down', () => {
    const f = pskOn(world({ '1': down, '2': down }, '1'), IDS.tunnel1);
    expect(f?.severity).toBe('critical');
    expect(f?.text.en.evidence.some((l) => l.startsWith('Severity'))).toBe(false);
  });

  it('never raises: a configured severity below the ceiling stays', () => {
    const rules = loadRules({ severity: { 'psk-mismatch': 'info' } });
    expect(pskOn(world({ '2': down }, '2'), IDS.tunnel2, { rules })?.severity).toBe('info');
    expect(pskOn(world({ '1': down, '2': down }, '1'), IDS.tunnel1, { rules })?.severity).toBe('info');
  });

  it('lowers nothing when the tunnel statuses are last-known, not current', () => {
    const snapshot = world({ '2': down }, '2');
    const conn = snapshot.regions[0]!.connections.data.find((c) => c.id === IDS.connection)!;
    const critical = pskOn(world({ '1': down, '2': down }, '1'), IDS.tunnel1)!;
    const onStandby = { ...critical, tunnelId: IDS.tunnel2 };
    expect(applyImpact([onStandby], conn, false)[0]?.severity).toBe('critical');
    expect(applyImpact([onStandby], conn, true)[0]?.severity).toBe('warning');
    // Connection-scoped findings and findings on the tunnel carrying traffic are left alone.
    expect(applyImpact([{ ...critical, tunnelId: null }], conn, true)[0]?.severity).toBe('critical');
    expect(applyImpact([{ ...critical, tunnelId: IDS.tunnel1 }], conn, true)[0]?.severity).toBe('critical');
  });

  it('keeps the rule severity in a region whose status could not be read', () => {
    const snapshot = world({ '2': down }, '2');
    snapshot.regions[0]!.connections.complete = false;
    expect(pskOn(snapshot, IDS.tunnel2)?.severity).toBe('critical');
  });
});
