import { describe, expect, it } from 'vitest';
import { buildReport, type ReportFilters, reportInputFromView } from '../../src/report/build.js';
import { exitCodeFor } from '../../src/report/schema.js';
import { healthySnapshot, IDS, NOW } from '../fixtures/snapshot.js';
import { FixtureView, FLEET } from '../fixtures/view.js';

const input = () => reportInputFromView(new FixtureView());

describe('buildReport', () => {
  it('builds schemaVersion 1 with a status per connection, worst first', () => {
    const r = buildReport(input(), { now: NOW });
    expect(r.schemaVersion).toBe(1);
    expect(r.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(r.status).toBe('critical');
    expect(r.connections.map((c) => [c.id, c.status])).toEqual([
      [FLEET.failedOver, 'critical'],
      [FLEET.lostRegionConn, 'unknown'],
      [IDS.connection, 'ok'],
    ]);
    expect(r.errors).toEqual([
      { account: 'prod', region: FLEET.lostRegion, message: 'DescribeVpnConnections: Throttling.User' },
    ]);
    expect(exitCodeFor(r)).toBe(2);
  });

  it('describes the failed-over connection: active tunnel, roles, ladder, findings, last failover', () => {
    const c = buildReport(input(), { now: NOW }).connections[0]!;
    expect(c).toMatchObject({
      activeTunnelId: FLEET.failedOverTunnel2,
      onStandby: true,
      lastFailoverAt: new Date(NOW - 60_000).toISOString(),
      receiveBps: 240_000,
      transmitBps: 180_000,
    });
    expect(c.tunnels.map((t) => [t.id, t.role, t.up, t.firstFailingLayer])).toEqual([
      [FLEET.failedOverTunnel1, 'primary', false, 'ike'],
      [FLEET.failedOverTunnel2, 'standby', true, null],
    ]);
    expect(c.tunnels[0]?.ladder?.find((l) => l.layer === 'ike')).toEqual({
      layer: 'ike',
      state: 'fail',
      rules: ['psk-mismatch'],
    });
    expect(c.findings.map((f) => [f.rule, f.severity, f.tunnelId])).toEqual([
      ['psk-mismatch', 'critical', FLEET.failedOverTunnel1],
      ['failover-active', 'warning', null],
    ]);
    expect(c.findings[0]?.title).toBe('Pre-shared key mismatch');
  });

  it('lists a rule that fires on both tunnels tunnel 1 first, whatever the tunnel ids', () => {
    const i = input();
    const failed = i.snapshot!.regions[0]!.connections.data.find((c) => c.id === FLEET.failedOver)!;
    // Tunnel 1's id sorts after tunnel 2's.
    failed.tunnels = [
      { ...failed.tunnels[0]!, id: 'tun-zzz1' },
      { ...failed.tunnels[1]!, id: 'tun-aaa2' },
    ];
    const psk = i.diagnosis.findings.find((f) => f.rule === 'psk-mismatch')!;
    i.diagnosis = {
      ...i.diagnosis,
      findings: [
        ...i.diagnosis.findings.filter((f) => f !== psk),
        { ...psk, tunnelId: 'tun-aaa2' },
        { ...psk, tunnelId: 'tun-zzz1' },
      ],
    };
    const c = buildReport(i, { now: NOW }).connections.find((x) => x.id === FLEET.failedOver)!;
    expect(c.findings.filter((f) => f.rule === 'psk-mismatch').map((f) => f.tunnelId)).toEqual([
      'tun-zzz1',
      'tun-aaa2',
    ]);
  });

  it('uses the Japanese finding texts with lang=ja', () => {
    const c = buildReport(input(), { lang: 'ja', now: NOW }).connections[0]!;
    expect(c.findings[0]?.title).toBe('事前共有鍵の不一致');
    expect(c.findings[0]?.remediation).toEqual([
      'カスタマーゲートウェイとトンネル 1 に同じ事前共有鍵を設定してください。',
    ]);
  });

  it('treats an incomplete region as unknown even when the view lists no error for it', () => {
    const i = input();
    i.errors = [];
    const r = buildReport(i, { now: NOW });
    expect(r.connections.find((c) => c.id === FLEET.lostRegionConn)?.status).toBe('unknown');
    expect(r.errors).toEqual([
      { account: 'prod', region: FLEET.lostRegion, message: 'DescribeVpnConnections: Throttling.User' },
    ]);
    const only = buildReport(i, { filters: { region: FLEET.lostRegion }, now: NOW });
    expect(only.status).toBe('unknown');
    expect(exitCodeFor(only)).toBe(3);
  });

  it('is unknown, never ok, before the first snapshot', () => {
    const r = buildReport(
      { snapshot: null, diagnosis: { findings: [], ladders: [] }, errors: [] },
      { now: NOW },
    );
    expect(r.status).toBe('unknown');
    expect(r.connections).toEqual([]);
  });

  it('is unknown, never ok, while a down tunnel has no finding yet (evaluation pending)', () => {
    const i = input();
    i.diagnosis = { findings: [], ladders: [] };
    const c = buildReport(i, { now: NOW }).connections.find((x) => x.id === FLEET.failedOver);
    expect(c).toMatchObject({ status: 'unknown', onStandby: true });
    // Negotiating only on traffic: a down tunnel is expected there.
    const region = i.snapshot!.regions[0]!;
    region.connections.data = region.connections.data.map((x) =>
      x.id === FLEET.failedOver ? { ...x, effectImmediately: false } : x,
    );
    expect(buildReport(i, { now: NOW }).connections.find((x) => x.id === FLEET.failedOver)?.status).toBe(
      'ok',
    );
  });

  it('is ok for a healthy fleet', () => {
    const r = buildReport({
      snapshot: healthySnapshot(),
      diagnosis: { findings: [], ladders: [] },
      errors: [],
    });
    expect(r.status).toBe('ok');
    expect(r.connections[0]).toMatchObject({ status: 'ok', activeTunnelId: IDS.tunnel1, onStandby: false });
    expect(exitCodeFor(r)).toBe(0);
  });

  it('filters by account, region, connection id or name, severity and status', () => {
    const ids = (filters: ReportFilters) =>
      buildReport(input(), { filters, now: NOW }).connections.map((c) => c.id);
    expect(ids({ region: 'cn-hangzhou' })).toEqual([FLEET.failedOver, IDS.connection]);
    expect(ids({ account: 'nope' })).toEqual([]);
    expect(ids({ connection: 'hq-to-tokyo' })).toEqual([FLEET.lostRegionConn]);
    expect(ids({ connection: IDS.connection })).toEqual([IDS.connection]);
    expect(ids({ status: 'ok' })).toEqual([IDS.connection]);
    const critical = buildReport(input(), { filters: { severity: 'critical' }, now: NOW });
    expect(critical.connections.map((c) => c.id)).toEqual([FLEET.failedOver]);
    expect(critical.connections[0]?.findings.map((f) => f.rule)).toEqual(['psk-mismatch']);
    // Errors follow the region filter.
    expect(buildReport(input(), { filters: { region: 'cn-hangzhou' }, now: NOW }).errors).toEqual([]);
  });
});
