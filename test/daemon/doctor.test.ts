// The runtime end to end over the real SDK and the simulator: collection, events, evidence, rules,
// persistence, and partial failure. Time is the simulator's manual clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeTunnel, isOnStandby } from '../../src/model/derive.js';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { exitCodeFor } from '../../src/report/schema.js';
import { generateFleet } from '../../src/sim/fleet.js';
import { type Harness, startHarness } from './helpers.js';

const HZ_TOKYO = 'vco-bp1hztokyo00000001';

const connection = (h: Harness, id: string) =>
  h.parts.doctor
    .snapshot()!
    .regions.flatMap((r) => r.connections.data)
    .find((c) => c.id === id)!;

describe('Doctor against the simulated healthy world', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('healthy');
  });
  afterEach(async () => {
    await h.close();
  });

  it('collects every connection of every region with both tunnels, and reports it healthy', async () => {
    const { doctor } = h.parts;
    await doctor.collectOnce();
    const snapshot = doctor.snapshot()!;
    const worldConnections = h.sim.world.accounts.flatMap((a) =>
      a.regions.flatMap((r) => r.connections.map((c) => c.id)),
    );
    expect(snapshot.regions.map((r) => r.region).sort()).toEqual(['ap-northeast-1', 'cn-hangzhou']);
    expect(snapshot.regions.every((r) => r.connections.complete)).toBe(true);
    const seen = snapshot.regions.flatMap((r) => r.connections.data);
    expect(seen.map((c) => c.id).sort()).toEqual([...worldConnections].sort());
    for (const c of seen) {
      expect(c.tunnels.map((t) => [t.index, t.role, t.status])).toEqual([
        [1, 'master', 'ipsec_sa_established'],
        [2, 'slave', 'ipsec_sa_established'],
      ]);
    }
    const report = buildReport(reportInputFromView(doctor));
    expect(report.connections).toHaveLength(worldConnections.length);
    expect(report.errors).toEqual([]);
    const serious = report.connections.flatMap((c) =>
      c.findings.filter((f) => f.severity !== 'info').map((f) => `${c.id}:${f.rule}`),
    );
    expect(serious).toEqual([]);
    expect(exitCodeFor(report)).toBe(0);
    expect(doctor.ready()).toBe(true);
  });

  it('makes only the paged DescribeVpnConnections calls in the status tier of a healthy fleet', async () => {
    const { doctor } = h.parts;
    await doctor.collectOnce(); // baseline, topology and traffic out of the way
    h.sim.sim.server.resetCalls();
    const events = await doctor.runStatus();
    expect(events).toEqual([]);
    const calls = h.sim.sim.server.calls();
    expect(new Set(calls.map((c) => c.action))).toEqual(new Set(['DescribeVpnConnections']));
    // Fewer than 50 connections per region: one page each.
    expect(calls.map((c) => c.region).sort()).toEqual(['ap-northeast-1', 'cn-hangzhou']);
  });

  it('detects a failover and the failback within one status cycle each, with the cause captured', async () => {
    const { doctor, store } = h.parts;
    await doctor.collectOnce();
    const tunnel1 = connection(h, HZ_TOKYO).tunnels[0]!;

    expect((await h.sim.control.fail(HZ_TOKYO, 1, 'PskMismatch')).status).toBe(200);
    h.sim.advance(5);
    const down = await doctor.runStatus();
    expect(down.filter((e) => e.connectionId === HZ_TOKYO).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['tunnel_down', 'failover']),
    );
    expect(activeTunnel(connection(h, HZ_TOKYO))?.role).toBe('slave');
    expect(doctor.counters().failovers[HZ_TOKYO]).toBe(1);

    // Evidence captured in the same cycle, while Alibaba's 3-minute window is open.
    const evidence = doctor.snapshot()!.regions.find((r) => r.region === 'cn-hangzhou')!.evidence[
      tunnel1.id
    ]!;
    expect(evidence.diagnosis?.map((d) => d.failedReasonCode)).toContain('PskMismatch');
    // The simulator prints charon's real line for a PSK mismatch (test/fixtures/ike-logs corpus).
    expect(evidence.logs?.lines.some((l) => /shared key .* but MAC mismatched/.test(l))).toBe(true);
    expect(store.evidenceFor(tunnel1.id, 0).length).toBeGreaterThan(0);
    const rules = doctor
      .diagnosis()
      .findings.filter((f) => f.connectionId === HZ_TOKYO)
      .map((f) => `${f.rule}@${f.tunnelId ?? '-'}`);
    expect(rules).toEqual(expect.arrayContaining([`psk-mismatch@${tunnel1.id}`, 'failover-active@-']));

    expect((await h.sim.control.recover(HZ_TOKYO, 1)).status).toBe(200);
    h.sim.advance(5);
    const up = await doctor.runStatus();
    expect(up.filter((e) => e.connectionId === HZ_TOKYO).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['tunnel_up', 'failback']),
    );
    expect(activeTunnel(connection(h, HZ_TOKYO))?.role).toBe('master');
    expect(doctor.counters().failbacks[HZ_TOKYO]).toBe(1);
    expect(
      doctor.diagnosis().findings.filter((f) => f.connectionId === HZ_TOKYO && f.severity !== 'info'),
    ).toEqual([]);
    const kinds = store.events({ connectionId: HZ_TOKYO }).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['failover', 'failback', 'finding_opened', 'finding_resolved']),
    );
  });

  it('looks for the cause again every cycle while a new failure has no named cause yet', async () => {
    const { doctor, store } = h.parts;
    await doctor.collectOnce();
    const tunnel1 = connection(h, HZ_TOKYO).tunnels[0]!;
    await h.sim.control.fail(HZ_TOKYO, 1, 'PskMismatch');
    // Same instant: the gateway has not logged anything yet, Alibaba has no error code.
    const first = await doctor.runStatus();
    const down = first.find((e) => e.kind === 'tunnel_down' && e.tunnelId === tunnel1.id);
    expect(down).toBeDefined();
    const rulesOf = () =>
      doctor
        .diagnosis()
        .findings.filter((f) => f.tunnelId === tunnel1.id)
        .map((f) => f.rule);
    for (let i = 0; i < 6 && !rulesOf().includes('psk-mismatch'); i++) {
      h.sim.advance(10); // well inside the 2-minute refresh: only the hunt can find it
      await doctor.runStatus();
    }
    expect(rulesOf()).toContain('psk-mismatch');
    // The evidence that named it is on the timeline with the finding.
    const opened = store
      .events({ connectionId: HZ_TOKYO })
      .find((e) => e.kind === 'finding_opened' && e.detail.rule === 'psk-mismatch');
    expect(opened).toBeDefined();
  });

  it('stores the evidence captured with the down event of a tunnel', async () => {
    const { doctor, store } = h.parts;
    await doctor.collectOnce();
    const tunnel1 = connection(h, HZ_TOKYO).tunnels[0]!;
    await h.sim.control.fail(HZ_TOKYO, 1, 'DhGroupMismatch');
    h.sim.advance(5);
    await doctor.runStatus();
    const down = store
      .events({ connectionId: HZ_TOKYO })
      .find((e) => e.kind === 'tunnel_down' && e.tunnelId === tunnel1.id)!;
    const diagnosis = down.detail.diagnosis as Array<{ code: string }>;
    expect(diagnosis.map((d) => d.code)).toContain('DhGroupMismatch');
    expect((down.detail.logs as string[]).length).toBeGreaterThan(0);
  });

  it('keeps the cause captured at the failure after Alibaba forgets the error code', async () => {
    const { doctor } = h.parts;
    await doctor.collectOnce();
    const tunnel1 = connection(h, HZ_TOKYO).tunnels[0]!;
    await h.sim.control.fail(HZ_TOKYO, 1, 'DhGroupMismatch');
    h.sim.advance(5);
    await doctor.runStatus();
    for (let i = 0; i < 12; i++) {
      h.sim.advance(30); // six minutes of status cycles, evidence refreshed every two
      await doctor.runStatus();
    }
    const finding = doctor.diagnosis().findings.find((f) => f.tunnelId === tunnel1.id && f.layer === 'ike');
    expect(finding?.rule).toBe('dh-group-mismatch');
    // Keeping the earlier cause is not a collection failure (no AliVpnCollectorFailing on a long outage).
    const evidenceTier = doctor
      .collectStatus()
      .find((s) => s.region === 'cn-hangzhou' && s.tier === 'evidence');
    expect(evidenceTier?.success).toBe(true);
  });

  it('does not count keeping an earlier cause as a failed evidence collection', async () => {
    const { doctor } = h.parts;
    await doctor.collectOnce();
    const tunnel1 = connection(h, HZ_TOKYO).tunnels[0]!;
    await h.sim.control.fail(HZ_TOKYO, 1, 'DhGroupMismatch');
    h.sim.advance(5);
    await doctor.runStatus();
    // Later attempts fail with a code that names no cause: the DH group mismatch is kept.
    await h.sim.control.fail(HZ_TOKYO, 1, 'NegotiationFailed');
    for (let i = 0; i < 6; i++) {
      h.sim.advance(30);
      await doctor.runStatus();
    }
    const region = doctor.snapshot()!.regions.find((r) => r.region === 'cn-hangzhou')!;
    const kept = region.evidence[tunnel1.id]!;
    expect(kept.diagnosis?.map((d) => d.failedReasonCode)).toContain('DhGroupMismatch');
    expect(kept.errors.some((e) => /kept/.test(e))).toBe(true);
    const evidenceTier = doctor
      .collectStatus()
      .find((s) => s.region === 'cn-hangzhou' && s.tier === 'evidence');
    expect(evidenceTier?.success).toBe(true);
  });

  it('keeps counters, history and the baseline across a restart', async () => {
    await h.parts.doctor.collectOnce();
    await h.sim.control.fail(HZ_TOKYO, 1, 'Phase1NegotiationTimeout');
    h.sim.advance(5);
    await h.parts.doctor.runStatus();
    const before = h.parts.doctor.counters();
    const eventsBefore = h.parts.store.events({ connectionId: HZ_TOKYO }).length;

    const { doctor, store } = h.restart();
    expect(doctor.counters()).toEqual(before);
    expect(store.events({ connectionId: HZ_TOKYO })).toHaveLength(eventsBefore);
    h.sim.advance(5);
    const again = await doctor.runStatus();
    // The failover already happened before the restart: it is not announced twice.
    expect(again.filter((e) => e.kind === 'failover')).toEqual([]);
    expect(doctor.counters().failovers[HZ_TOKYO]).toBe(1);
  });

  it('absorbs throttling with retries and still collects everything', async () => {
    const { doctor } = h.parts;
    h.sim.sim.server.setFaults([{ kind: 'throttle', action: 'DescribeVpnConnections', count: 3 }]);
    await doctor.runStatus();
    expect(doctor.snapshot()!.regions.every((r) => r.connections.complete)).toBe(true);
    expect(doctor.errors()).toEqual([]);
    const throttled = doctor.apiRequests().filter((r) => r.code === 'Throttling.User');
    expect(throttled.reduce((n, r) => n + r.count, 0)).toBe(3);
  });

  it('reports a region that fails (5xx storm) as unknown while the other region still reports', async () => {
    const { doctor } = h.parts;
    h.sim.sim.server.setFaults([{ kind: 'error5xx', region: 'ap-northeast-1', status: 503 }]);
    await doctor.collectOnce();
    expect(doctor.errors().map((e) => e.region)).toEqual(['ap-northeast-1']);
    const report = buildReport(reportInputFromView(doctor));
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message).toMatch(/ServiceUnavailable|503/);
    const hz = report.connections.filter((c) => c.region === 'cn-hangzhou');
    expect(hz.length).toBeGreaterThan(0);
    expect(hz.every((c) => c.status !== 'unknown')).toBe(true);
    expect(exitCodeFor(report)).toBe(3);
    expect(
      doctor.collectStatus().find((s) => s.region === 'ap-northeast-1' && s.tier === 'status')?.success,
    ).toBe(false);
  });
  it('forgets a failed evidence run once every tunnel of the region is back up', async () => {
    const { doctor } = h.parts;
    await doctor.collectOnce();
    const evidenceTier = () =>
      doctor.collectStatus().find((s) => s.region === 'cn-hangzhou' && s.tier === 'evidence');
    h.sim.sim.server.setFaults([{ kind: 'error5xx', action: 'DiagnoseVpnConnections', status: 503 }]);
    expect((await h.sim.control.fail(HZ_TOKYO, 1, 'PskMismatch')).status).toBe(200);
    h.sim.advance(5);
    await doctor.runStatus();
    expect(evidenceTier()?.success).toBe(false);
    // Still down: the failure stays visible.
    h.sim.advance(30);
    await doctor.runStatus();
    expect(evidenceTier()?.success).toBe(false);
    expect((await h.sim.control.recover(HZ_TOKYO, 1)).status).toBe(200);
    h.sim.advance(30);
    await doctor.runStatus(); // the recovery is a transition: evidence is asked (and fails) once more
    h.sim.advance(30);
    await doctor.runStatus();
    expect(evidenceTier()).toBeUndefined();
  });
});

describe('Doctor: what could not be seen is unknown', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('keeps a routing finding open while the topology cannot be read, and judges it again once readable', async () => {
    h = await startHarness('missing-vpc-route');
    const { doctor, store } = h.parts;
    const open = () => doctor.diagnosis().findings.filter((f) => f.rule === 'vpc-route-missing');
    await doctor.collectOnce();
    expect(open()).toHaveLength(1);
    h.sim.sim.server.setFaults([{ kind: 'error5xx', action: 'DescribeRouteTableList', status: 503 }]);
    await doctor.runTopology();
    expect(
      doctor
        .errors()
        .map((e) => e.message)
        .join(),
    ).toMatch(/topology/);
    // Unknown is not fixed: the finding (and its metric and alert) stays; nothing was resolved.
    expect(open()).toHaveLength(1);
    expect(store.events({}).filter((e) => e.kind === 'finding_resolved')).toEqual([]);
    h.sim.sim.server.setFaults([]);
    await doctor.runTopology();
    expect(open()).toHaveLength(1);
    expect(doctor.errors()).toEqual([]);
  });

  it('collects a fleet across two accounts and several regions completely', async () => {
    h = await startHarness(generateFleet({ connections: 24, regions: 3, accounts: 2 }));
    const { doctor } = h.parts;
    await doctor.collectOnce();
    const snapshot = doctor.snapshot()!;
    expect(new Set(snapshot.regions.map((r) => r.account)).size).toBe(2);
    expect(snapshot.regions.every((r) => r.connections.complete && r.topology?.complete)).toBe(true);
    const seen = snapshot.regions.flatMap((r) => r.connections.data.map((c) => c.id)).sort();
    const world = h.sim.world.accounts
      .flatMap((a) => a.regions.flatMap((r) => r.connections.map((c) => c.id)))
      .sort();
    expect(seen).toEqual(world);
    expect(seen).toHaveLength(24);
    expect(doctor.errors()).toEqual([]);
  });

  it('lists a region whose topology could not be read, naming the call, and reports it unknown', async () => {
    h = await startHarness('healthy');
    h.sim.sim.server.setFaults([
      {
        kind: 'apiError',
        action: 'DescribeInstances',
        region: 'cn-hangzhou',
        status: 403,
        code: 'Forbidden.RAM',
        message: 'User not authorized to operate on the specified resource.',
      },
    ]);
    const { doctor } = h.parts;
    await doctor.collectOnce();
    const errors = doctor.errors();
    expect(errors.map((e) => e.region)).toEqual(['cn-hangzhou']);
    expect(errors[0]!.message).toMatch(/topology.*DescribeInstances.*Forbidden\.RAM/);
    const report = buildReport(reportInputFromView(doctor));
    expect(
      report.connections.filter((c) => c.region === 'cn-hangzhou').every((c) => c.status === 'unknown'),
    ).toBe(true);
    expect(
      report.connections.filter((c) => c.region === 'ap-northeast-1').every((c) => c.status === 'ok'),
    ).toBe(true);
    expect(exitCodeFor(report)).toBe(3);
  });
});

describe('Doctor: a gateway too old for DiagnoseVpnConnections', () => {
  it('still reads the logs, and does not count the missing capability as a failing evidence tier', async () => {
    const h = await startHarness('old-gateway');
    try {
      const { doctor } = h.parts;
      await doctor.collectOnce();
      const connectionId = h.sim.world.accounts[0]!.regions[0]!.connections[0]!.id;
      await h.sim.control.fail(connectionId, 1, 'Phase1NegotiationTimeout');
      h.sim.advance(90);
      await doctor.runStatus();
      const region = doctor
        .snapshot()!
        .regions.find((r) => r.connections.data.some((c) => c.id === connectionId))!;
      const tunnel1 = region.connections.data.find((c) => c.id === connectionId)!.tunnels[0]!;
      const evidence = region.evidence[tunnel1.id]!;
      expect(evidence.diagnosis).toBeNull();
      expect(evidence.errors.join()).toMatch(/OperationUnsupported/);
      expect(evidence.logs?.lines.length).toBeGreaterThan(0);
      const tier = doctor.collectStatus().find((s) => s.region === region.region && s.tier === 'evidence');
      expect(tier?.success).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('Doctor: status first, evidence after', () => {
  it('publishes a failover before the slow evidence calls return, then adds the cause', async () => {
    const h = await startHarness('healthy');
    try {
      const { doctor } = h.parts;
      await doctor.collectOnce();
      h.sim.sim.server.setFaults([{ kind: 'latency', action: 'DescribeVpnConnectionLogs', ms: 1500 }]);
      await h.sim.control.fail(HZ_TOKYO, 1, 'PskMismatch');
      h.sim.advance(5);
      let settled = false;
      const run = doctor.runStatus().finally(() => {
        settled = true;
      });
      for (let i = 0; i < 100 && !isOnStandby(connection(h, HZ_TOKYO)); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(isOnStandby(connection(h, HZ_TOKYO))).toBe(true);
      expect(settled).toBe(false); // the evidence calls are still under way
      expect(doctor.counters().failovers[HZ_TOKYO]).toBe(1);
      // The next status cycle is not held back by them, nor does it ask for the same evidence again.
      h.sim.advance(5);
      const callsBefore = h.sim.sim.server
        .calls()
        .filter((c) => c.action === 'DescribeVpnConnectionLogs').length;
      await doctor.runStatus();
      expect(settled).toBe(false);
      const callsAfter = h.sim.sim.server
        .calls()
        .filter((c) => c.action === 'DescribeVpnConnectionLogs').length;
      expect(callsAfter).toBe(callsBefore);
      await run;
      const tunnel1 = connection(h, HZ_TOKYO).tunnels[0]!;
      expect(doctor.diagnosis().findings.map((f) => `${f.rule}@${f.tunnelId}`)).toContain(
        `psk-mismatch@${tunnel1.id}`,
      );
      const down = h.parts.store.events({ connectionId: HZ_TOKYO }).find((e) => e.kind === 'tunnel_down')!;
      expect((down.detail.diagnosis as Array<{ code: string }>).map((d) => d.code)).toContain('PskMismatch');
    } finally {
      await h.close();
    }
  });
});
