// The world's control API (/_sim/clock, world, timeline, incidents, recover) and a scenario's own
// `faults:` list as the real SDK meets them.
import * as Vpc from '@alicloud/vpc20160428';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/world/load.js';
import { DEFAULT_START, startTestSimulator, type TestSimulator } from '../support/sim.js';

const CONN = 'vco-bp1hztokyo00000001';
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'failover-drill' });
});
afterAll(async () => {
  await sim.close();
});

describe('/_sim/ world control', () => {
  it('reads and advances the manual clock, applying due timeline events', async () => {
    expect((await sim.control.get('clock')).body).toEqual({
      now: DEFAULT_START,
      iso: '2026-01-01T00:00:00.000Z',
      startedAt: DEFAULT_START,
      elapsedSeconds: 0,
      manual: true,
    });
    const moved = await sim.control.post('clock', { advanceSeconds: 61 });
    expect(moved.body).toMatchObject({ now: DEFAULT_START + 61_000, elapsedSeconds: 61 });
    const bad = await sim.control.post('clock', { advanceSeconds: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/advanceSeconds/);
  });

  it('summarises the world without secrets', async () => {
    const world = await sim.control.get('world');
    expect(world.status).toBe(200);
    const conn = world.body.accounts[0].regions[0].connections.find((c: { id: string }) => c.id === CONN);
    const [t1, t2] = sim.world.accounts[0]!.regions[0]!.connections[0]!.tunnels;
    expect(conn).toMatchObject({ activeTunnelId: t2.id });
    expect(conn.tunnels).toEqual([
      { id: t1.id, role: 'master', status: 'ike_sa_not_established', bgpUp: false, cause: 'NoResponse' },
      { id: t2.id, role: 'slave', status: 'ipsec_sa_established', bgpUp: false, cause: null },
    ]);
    expect(world.body.accounts[0].accessKeyIds).toEqual(['LTAI5tSimFake000000001']);
    const text = JSON.stringify(world.body);
    expect(text).not.toContain('SimFakeSecretDoNotUse000000001');
    expect(text).not.toContain(t1.ike.psk);
  });

  it('shows the timeline with absolute times, transitions and the next event', async () => {
    const tl = (await sim.control.get('timeline')).body;
    expect(tl.events).toEqual([
      expect.objectContaining({
        atSeconds: 60,
        at: DEFAULT_START + 60_000,
        kind: 'fail',
        cause: 'NoResponse',
      }),
      expect.objectContaining({ atSeconds: 240, at: DEFAULT_START + 240_000, kind: 'recover' }),
    ]);
    expect(tl.nextEventAt).toBe(DEFAULT_START + 240_000);
    expect(tl.transitions).toEqual([
      expect.objectContaining({
        at: DEFAULT_START + 60_000,
        connectionId: CONN,
        tunnel: 1,
        up: false,
        cause: 'NoResponse',
      }),
    ]);
    const incidents = (await sim.control.get('incidents')).body;
    expect(incidents.transitions).toHaveLength(1);
  });

  it('answers unknown control paths with 404', async () => {
    const res = await sim.control.get('nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/POST incidents/);
  });

  it('refuses to move a real clock', async () => {
    const real = await startTestSimulator({ scenario: 'healthy', clock: 'real' });
    try {
      const res = await real.control.post('clock', { advanceSeconds: 10 });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/real time/);
      expect((await real.control.get('clock')).body.manual).toBe(false);
    } finally {
      await real.close();
    }
  });
});

describe("a scenario's faults", () => {
  it('reach the SDK: a per-action error and a QPS limit (ThrottlingError)', async () => {
    const text = `name: faulty
faults:
  - { kind: apiError, action: DiagnoseVpnConnections, status: 400, code: OperationUnsupported.DiagnoseVpn, message: not on this gateway }
  - { kind: qps, action: DescribeVpnGateways, qps: 1 }
accounts:
  - name: prod
    accessKeys: [{ id: LTAI5tFaultyKey0001, secret: faulty-secret-0001 }]
    regions:
      cn-hangzhou:
        gateways: [{ id: vpn-bp1faulty0000001 }]
`;
    const faulty = await startTestSimulator({ scenario: parseScenario(text, 'faulty.yaml') });
    try {
      const vpc = faulty.vpc();
      await expect(
        vpc.diagnoseVpnConnections(new Vpc.DiagnoseVpnConnectionsRequest({ regionId: 'cn-hangzhou' })),
      ).rejects.toMatchObject({
        name: 'ClientError',
        code: 'OperationUnsupported.DiagnoseVpn',
        statusCode: 400,
      });
      const req = () =>
        vpc.describeVpnGateways(new Vpc.DescribeVpnGatewaysRequest({ regionId: 'cn-hangzhou' }));
      const results = await Promise.allSettled([req(), req(), req()]);
      const rejected = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r as PromiseRejectedResult).reason);
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected[0]).toMatchObject({ name: 'ThrottlingError', code: 'Throttling.User' });
    } finally {
      await faulty.close();
    }
  });
});
