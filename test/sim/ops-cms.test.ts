// CloudMonitor operations through the REAL SDK against the simulator: acs_vpn metrics whose
// Datapoints (a JSON string) follow the world's traffic through an outage, NextToken paging,
// CloudMonitor's HTTP 200 `Success:false` answers, and tunnel system events.
import * as Cms from '@alicloud/cms20190101';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmsHandlers } from '../../src/sim/ops/cms.js';
import { handlers } from '../../src/sim/ops/index.js';
import { OPS_IDS as I, opsWorld } from '../support/ops-world.js';
import { DEFAULT_START, startTestSimulator, type TestSimulator } from '../support/sim.js';

let sim: TestSimulator;
let cms: ReturnType<TestSimulator['cms']>;
const T0 = DEFAULT_START;
const MIN = 60_000;

interface Point {
  timestamp: number;
  userId: string;
  instanceId: string;
  ipsecId?: string;
  Value: number;
}

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: opsWorld(), startAt: T0 });
  cms = sim.cms(0, 'cn-hangzhou');
  sim.advance(1800);
});
afterAll(async () => {
  await sim.close();
});

const connection = () => sim.sim.backend.state.locateConnection(I.connection)!.connection;
const other = () => sim.sim.backend.state.locateConnection(I.otherConnection)!.connection;
const traffic = (c: ReturnType<typeof connection>, at: number) => sim.sim.backend.state.trafficAt(c, at);

it('dispatches every CloudMonitor operation to its handler', () => {
  for (const [action, handler] of Object.entries(cmsHandlers)) expect(handlers.cms[action]).toBe(handler);
});

describe('DescribeMetricList', () => {
  const list = (o: Partial<Cms.DescribeMetricListRequest>) =>
    cms.describeMetricList(
      new Cms.DescribeMetricListRequest({
        namespace: 'acs_vpn',
        metricName: 'ipsec_rx.rate',
        dimensions: JSON.stringify([{ instanceId: I.gateway, ipsecId: I.connection }]),
        period: '60',
        startTime: String(T0),
        endTime: String(T0 + 1800_000),
        regionId: 'cn-hangzhou',
        ...o,
      }),
    );

  it('returns one datapoint per minute that follows the outage of both tunnels', async () => {
    const res = await list({});
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ success: true, code: '200', period: '60' });
    expect(typeof res.body?.datapoints).toBe('string');
    expect(res.body?.nextToken).toBeUndefined();
    const points = JSON.parse(res.body!.datapoints!) as Point[];
    expect(points).toHaveLength(30);
    expect(points.map((p) => p.timestamp)).toEqual(Array.from({ length: 30 }, (_, i) => T0 + (i + 1) * MIN));
    for (const p of points) {
      expect(p).toMatchObject({ userId: '1234567890123456', instanceId: I.gateway, ipsecId: I.connection });
      expect(p.Value).toBe(traffic(connection(), p.timestamp).rxBps);
    }
    const at = (minute: number) => points.find((p) => p.timestamp === T0 + minute * MIN)!.Value;
    // Up (±15 % around 8 Mbit/s), both tunnels down from 15 to 20 min (tunnel 2 fails at 15, tunnel 1 recovers at 20).
    expect(at(5)).toBeGreaterThan(6_000_000);
    expect(at(12)).toBeGreaterThan(6_000_000); // tunnel 1 down, traffic on the standby tunnel
    expect(at(16)).toBe(0);
    expect(at(19)).toBe(0);
    expect(at(25)).toBeGreaterThan(6_000_000);
  });

  it('pages with Length and NextToken', async () => {
    const all: Point[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await list({ length: '7', ...(token ? { nextToken: token } : {}) });
      pages++;
      all.push(...(JSON.parse(res.body!.datapoints!) as Point[]));
      token = res.body?.nextToken;
    } while (token);
    expect(pages).toBe(5);
    expect(all.map((p) => p.timestamp)).toEqual(Array.from({ length: 30 }, (_, i) => T0 + (i + 1) * MIN));
  });

  it('sums a gateway metric over its connections', async () => {
    const res = await list({
      metricName: 'net_rx.rate',
      dimensions: JSON.stringify([{ instanceId: I.gateway }]),
    });
    const points = JSON.parse(res.body!.datapoints!) as Point[];
    expect(points).toHaveLength(30);
    for (const p of points) {
      expect(p.ipsecId).toBeUndefined();
      expect(p.Value).toBe(traffic(connection(), p.timestamp).rxBps + traffic(other(), p.timestamp).rxBps);
    }
  });

  it('answers bad input with HTTP 200 and Success:false, as CloudMonitor does', async () => {
    for (const [o, message] of [
      [{ period: '45' }, /multiple of 60/],
      [{ dimensions: '{oops' }, /Dimensions/],
      [{ metricName: 'ipsec_rx_rate' }, /does not exist/],
      [{ startTime: 'yesterday' }, /StartTime/],
      [{ length: '5000' }, /Length/],
    ] as const) {
      const res = await list(o);
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatchObject({ success: false, code: '400' });
      expect(res.body?.message).toMatch(message);
    }
    const otherNamespace = await list({ namespace: 'acs_ecs_dashboard', metricName: 'CPUUtilization' });
    expect(otherNamespace.body).toMatchObject({ success: true, datapoints: '[]' });
    await expect(list({ metricName: '' })).rejects.toMatchObject({
      code: 'MissingMetricName',
      statusCode: 400,
    });
  });
});

describe('DescribeMetricLast', () => {
  it('returns the latest datapoint of every connection of the region', async () => {
    const res = await cms.describeMetricLast(
      new Cms.DescribeMetricLastRequest({
        namespace: 'acs_vpn',
        metricName: 'ipsec_tx.rate',
        period: '60',
        regionId: 'cn-hangzhou',
      }),
    );
    expect(res.body).toMatchObject({ success: true, code: '200' });
    const points = JSON.parse(res.body!.datapoints!) as Point[];
    const at = Math.floor(sim.now() / MIN) * MIN;
    expect(points.map((p) => [p.ipsecId, p.timestamp])).toEqual([
      [I.connection, at],
      [I.otherConnection, at],
    ]);
    expect(points[0]!.Value).toBe(traffic(connection(), at).txBps);
    expect(points[1]!.Value).toBe(traffic(other(), at).txBps);
    // The SDK sends no RegionId for CloudMonitor (a real endpoint is regional), so the answer spans
    // the caller's account; another account sees none of it.
    const stranger = await sim
      .cms(1, 'cn-hangzhou')
      .describeMetricLast(
        new Cms.DescribeMetricLastRequest({ namespace: 'acs_vpn', metricName: 'ipsec_tx.rate' }),
      );
    expect(stranger.body?.datapoints).toBe('[]');
  });
});

describe('DescribeSystemEventAttribute', () => {
  const events = (o: Partial<Cms.DescribeSystemEventAttributeRequest> = {}, key = 0) =>
    sim.cms(key, 'cn-hangzhou').describeSystemEventAttribute(
      new Cms.DescribeSystemEventAttributeRequest({
        product: 'vpngw',
        startTime: String(T0),
        endTime: String(T0 + 1800_000),
        regionId: 'cn-hangzhou',
        pageSize: 100,
        ...o,
      }),
    );

  it('reports each tunnel state change, newest first', async () => {
    const res = await events();
    expect(res.body).toMatchObject({ success: 'true', code: '200' });
    const list = res.body?.systemEvents?.systemEvent ?? [];
    expect(list.map((e) => [e.name, e.time, e.level, e.status])).toEqual([
      ['ipsec_phase2_nego_success', T0 + 1300_000, 'INFO', '1'],
      ['ipsec_phase1_nego_success', T0 + 1200_000, 'INFO', '1'],
      ['ipsec_phase2_nego_success', T0 + 1200_000, 'INFO', '1'],
      ['ipsec_phase2_nego_failed', T0 + 900_000, 'WARN', '0'],
      ['ipsec_phase1_nego_failed', T0 + 600_000, 'WARN', '0'],
    ]);
    const first = list.at(-1)!;
    expect(first).toMatchObject({ product: 'vpngw', regionId: 'cn-hangzhou', instanceName: 'ops-conn' });
    expect(first.resourceId).toBe(`acs:vpn:cn-hangzhou:1234567890123456:vpnconnection/${I.connection}`);
    const content = JSON.parse(first.content!) as Record<string, string>;
    const t1 = connection().tunnels[0].id;
    expect(content).toMatchObject({
      instanceId: I.gateway,
      ipsecId: I.connection,
      tunnelId: t1,
      reason: 'PskMismatch',
    });
  });

  it('filters by level, name and time, pages, and shows nothing to another account', async () => {
    const warn = await events({ level: 'WARN' });
    expect(warn.body?.systemEvents?.systemEvent?.map((e) => e.name)).toEqual([
      'ipsec_phase2_nego_failed',
      'ipsec_phase1_nego_failed',
    ]);
    const early = await events({ endTime: String(T0 + 700_000) });
    expect(early.body?.systemEvents?.systemEvent?.map((e) => e.name)).toEqual(['ipsec_phase1_nego_failed']);
    const page2 = await events({ pageSize: 2, pageNumber: 2 });
    expect(page2.body?.systemEvents?.systemEvent?.map((e) => e.time)).toEqual([T0 + 1200_000, T0 + 900_000]);
    const stranger = await events({}, 1);
    expect(stranger.body?.systemEvents?.systemEvent).toEqual([]);
    const bad = await events({ startTime: 'soon' });
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toMatchObject({ success: 'false', code: '400' });
  });
});
