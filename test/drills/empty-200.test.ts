// Issue 11 item 6: an HTTP 200 whose body is not the documented shape must never read as "no
// connections". Through the hostile proxy, DescribeVpnConnections answers `{}`, `null`, a non-list,
// rows without VpnConnectionId, or tunnels without Status: the region is unknown (errors[] names the
// action and the field, alivpn_collect_success 0), the open finding stays open, the tunnel series
// stay, and no event is invented (no resolution, no tunnel_down into the flapping counters). A
// connection that really disappears between two complete listings is a `connection_removed` event.
import { afterEach, describe, expect, it } from 'vitest';
import { type Drill, fleetConnection, smallFleet, startDrill, statusSuccess, tunnelUp } from './helpers.js';
import type { Rewrite } from './hostile-proxy.js';

// biome-ignore lint/suspicious/noExplicitAny: the wire bodies are edited as free-form JSON.
type Json = any;

const VICTIM = fleetConnection(0, 0, 0); // fleet-1 / cn-hangzhou
const FAST = {
  readTimeoutMs: 1000,
  connectTimeoutMs: 1000,
  retries: { max: 1, baseDelayMs: 1, maxDelayMs: 5 },
};

let drill: Drill | undefined;
afterEach(async () => {
  await drill?.close();
  drill = undefined;
});

const rows = (body: Json): Json[] => body.VpnConnections.VpnConnection;

const SHAPES: Array<[name: string, rewrite: Rewrite, field: RegExp]> = [
  ['an empty object', { kind: 'json', value: {} }, /shape: (TotalCount|VpnConnections)\b/],
  ['null', { kind: 'json', value: null }, /shape: body: missing/],
  [
    'a non-list VpnConnection',
    {
      kind: 'edit',
      edit: (b) => {
        b.VpnConnections.VpnConnection = rows(b)[0];
      },
    },
    /shape: VpnConnection: expected array/,
  ],
  [
    'a string VpnConnections',
    { kind: 'edit', edit: (b) => ({ ...b, VpnConnections: 'none' }) },
    /shape: VpnConnections: expected object/,
  ],
  [
    'rows without VpnConnectionId',
    {
      kind: 'edit',
      edit: (b) => {
        for (const c of rows(b)) delete c.VpnConnectionId;
      },
    },
    /shape: VpnConnections\.VpnConnection\[0\]\.VpnConnectionId: missing/,
  ],
  [
    'tunnels without Status',
    {
      kind: 'edit',
      edit: (b) => {
        for (const c of rows(b)) for (const t of c.TunnelOptionsSpecification.TunnelOptions) delete t.Status;
      },
    },
    /shape: VpnConnections\.VpnConnection\[0\]\.TunnelOptionsSpecification\.TunnelOptions\[0\]\.Status: missing/,
  ],
];

describe('empty-200: a body that is not the documented shape is unknown, never an empty fleet', () => {
  it.each(SHAPES)(
    '%s',
    async (_name, rewrite, field) => {
      drill = await startDrill(smallFleet(), { api: FAST }, { proxied: true });
      const { doctor } = drill.parts;
      // A live outage with an open finding.
      expect((await drill.sim.control.fail(VICTIM, 1, 'PskMismatch')).status).toBe(200);
      await doctor.runStatus();
      drill.sim.advance(30); // the gateway's log names the cause a little later
      await doctor.runStatus();
      const open = doctor.diagnosis().findings.filter((f) => f.connectionId === VICTIM);
      expect(open.length).toBeGreaterThan(0);
      const before = tunnelUp(await drill.scrape(), VICTIM);
      expect(before.map((s) => s.value).sort()).toEqual([0, 1]);
      drill.proxy!.set([{ product: 'vpc', action: 'DescribeVpnConnections', rewrite }]);
      const since = drill.sim.advance(30);
      await doctor.runStatus();

      // Unknown, and said so: errors[] names the action and the field, collect_success is 0.
      const errors = doctor.errors();
      expect(errors.map((e) => `${e.account}/${e.region}`).sort()).toEqual([
        'fleet-1/cn-hangzhou',
        'fleet-1/cn-shanghai',
        'fleet-2/cn-hangzhou',
        'fleet-2/cn-shanghai',
      ]);
      for (const e of errors) {
        expect(e.message).toMatch(/DescribeVpnConnections/);
        expect(e.message).toMatch(/BadResponse/);
        expect(e.message).toMatch(field);
      }
      const text = await drill.scrape();
      expect(statusSuccess(text, 'fleet-1', 'cn-hangzhou')).toBe(0);
      // The connections are still there (unknown), not an empty fleet; the finding is not resolved.
      const report = await drill.report();
      // The kept critical finding outranks unknown; every other connection is unknown, none ok.
      expect(report.status).toBe('critical');
      expect(report.connections).toHaveLength(8);
      for (const c of report.connections)
        expect(c.status, c.id).toBe(c.id === VICTIM ? 'critical' : 'unknown');
      const still = doctor.diagnosis().findings.filter((f) => f.connectionId === VICTIM);
      expect(still.map((f) => f.rule)).toEqual(open.map((f) => f.rule));
      expect(tunnelUp(await drill.scrape(), VICTIM)).toEqual(before);
      // Nothing happened as far as the timeline knows: no resolution, no tunnel_down.
      expect(doctor.events({ since }).map((e) => `${e.kind} ${e.connectionId}`)).toEqual([]);

      // The proxy steps aside: the region reads again, still with the outage.
      drill.proxy!.set([]);
      drill.sim.advance(30);
      await doctor.runStatus();
      expect(doctor.errors()).toEqual([]);
      expect(
        doctor
          .diagnosis()
          .findings.filter((f) => f.connectionId === VICTIM)
          .map((f) => f.rule),
      ).toEqual(open.map((f) => f.rule));
    },
    30_000,
  );

  it('a connection that disappears between two complete listings is a connection_removed event', async () => {
    drill = await startDrill(smallFleet(), { api: FAST }, { proxied: true });
    const { doctor } = drill.parts;
    expect((await drill.sim.control.fail(VICTIM, 1, 'PskMismatch')).status).toBe(200);
    await doctor.runStatus();
    // The victim is gone from an otherwise well-formed listing (deleted in the console).
    drill.proxy!.set([
      {
        product: 'vpc',
        action: 'DescribeVpnConnections',
        rewrite: {
          kind: 'edit',
          edit: (b) => {
            const kept = rows(b).filter((c: Json) => c.VpnConnectionId !== VICTIM);
            b.TotalCount -= rows(b).length - kept.length;
            b.VpnConnections.VpnConnection = kept;
          },
        },
      },
    ]);
    drill.sim.advance(30);
    await doctor.runStatus();
    expect(doctor.errors()).toEqual([]);
    const removed = doctor.events({ connectionId: VICTIM }).filter((e) => e.kind === 'connection_removed');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ account: 'fleet-1', region: 'cn-hangzhou', tunnelId: null });
    expect((await drill.report()).connections.map((c) => c.id)).not.toContain(VICTIM);
    // Said once, not every cycle.
    drill.sim.advance(30);
    await doctor.runStatus();
    expect(
      doctor.events({ connectionId: VICTIM }).filter((e) => e.kind === 'connection_removed'),
    ).toHaveLength(1);
  }, 30_000);
});
