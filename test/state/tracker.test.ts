import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { advanceBaseline, track } from '../../src/state/tracker.js';
import { connection, downTunnel, IDS, NOW, snapshotWith, tunnel } from '../fixtures/snapshot.js';

const withTunnels = (
  t1: ReturnType<typeof tunnel>,
  t2: ReturnType<typeof tunnel>,
  complete = true,
): Snapshot =>
  snapshotWith({ connections: [connection({ tunnels: [t1, t2] })], connectionsComplete: complete });

const healthy = () => withTunnels(tunnel({ index: 1 }), tunnel({ index: 2 }));
const masterDown = (status = 'ike_sa_not_established') =>
  withTunnels(downTunnel(1, status), tunnel({ index: 2 }));
const bothDown = () => withTunnels(downTunnel(1), downTunnel(2, 'ike_sa_established'));

const kinds = (events: ReturnType<typeof track>) => events.map((e) => e.kind);

describe('track', () => {
  it('reports nothing without a previous snapshot or without changes', () => {
    expect(track(null, healthy(), NOW)).toEqual([]);
    expect(track(healthy(), healthy(), NOW)).toEqual([]);
  });

  it('detects a failover with the tunnel down and the phase it still reaches', () => {
    const events = track(healthy(), masterDown('ike_sa_established'), NOW);
    expect(kinds(events)).toEqual(['tunnel_down', 'failover']);
    expect(events[0]).toMatchObject({
      at: NOW,
      account: IDS.account,
      region: IDS.region,
      vpnGatewayId: IDS.gateway,
      connectionId: IDS.connection,
      tunnelId: IDS.tunnel1,
      detail: { from: 'ipsec_sa_established', to: 'ike_sa_established', phase: 'phase1', role: 'master' },
    });
    expect(events[1]).toMatchObject({
      tunnelId: IDS.tunnel2,
      detail: { fromTunnelId: IDS.tunnel1, toTunnelId: IDS.tunnel2 },
    });
    expect(track(healthy(), masterDown('ike_sa_not_established'), NOW)[0]?.detail.phase).toBe('none');
  });

  it('detects a failback when the master comes back', () => {
    const events = track(masterDown(), healthy(), NOW);
    expect(kinds(events)).toEqual(['tunnel_up', 'failback']);
    expect(events[1]).toMatchObject({
      tunnelId: IDS.tunnel1,
      detail: { fromTunnelId: IDS.tunnel2, toTunnelId: IDS.tunnel1 },
    });
  });

  it('detects connection down and up, and status changes between down states', () => {
    expect(kinds(track(masterDown(), bothDown(), NOW))).toEqual(['tunnel_down', 'connection_down']);
    const up = track(bothDown(), masterDown(), NOW);
    expect(kinds(up)).toEqual(['tunnel_up', 'connection_up']);
    expect(up[1]?.tunnelId).toBe(IDS.tunnel2);
    const change = track(masterDown('ike_sa_not_established'), masterDown('ike_sa_established'), NOW);
    expect(kinds(change)).toEqual(['tunnel_status_changed']);
    expect(change[0]?.detail).toMatchObject({
      from: 'ike_sa_not_established',
      to: 'ike_sa_established',
      phase: 'phase1',
    });
  });

  it('yields no events for a region that is incomplete in either snapshot', () => {
    const unknown = withTunnels(downTunnel(1), downTunnel(2), false);
    expect(track(healthy(), unknown, NOW)).toEqual([]);
    expect(track(unknown, healthy(), NOW)).toEqual([]);
  });

  it('calls a disappeared connection removed (not down), and does not announce a new one', () => {
    const gone = snapshotWith({ connections: [] });
    const removed = track(healthy(), gone, NOW);
    expect(kinds(removed)).toEqual(['connection_removed']);
    expect(removed[0]).toMatchObject({ tunnelId: null, at: NOW });
    const other = snapshotWith({
      connections: [connection({ id: 'vco-new', tunnels: [downTunnel(1), downTunnel(2)] })],
    });
    expect(kinds(track(healthy(), other, NOW))).toEqual(['connection_removed']);
    expect(track(gone, other, NOW)).toEqual([]);
  });

  it('announces flapping once, when stored plus new changes cross the threshold', () => {
    const history = { recentStateChanges: { [IDS.tunnel1]: 4 }, flapThreshold: 4, flapWindowMs: 600_000 };
    const events = track(healthy(), masterDown(), NOW, history);
    expect(kinds(events)).toEqual(['tunnel_down', 'failover', 'flapping']);
    expect(events[2]).toMatchObject({
      tunnelId: IDS.tunnel1,
      detail: { stateChanges: 5, threshold: 4, windowMs: 600_000 },
    });
    // Already above the threshold: no second announcement.
    const again = track(masterDown(), healthy(), NOW, {
      ...history,
      recentStateChanges: { [IDS.tunnel1]: 5 },
    });
    expect(kinds(again)).toEqual(['tunnel_up', 'failback']);
    // Below it: none either.
    expect(
      kinds(track(healthy(), masterDown(), NOW, { ...history, recentStateChanges: { [IDS.tunnel1]: 2 } })),
    ).not.toContain('flapping');
  });
});

describe('advanceBaseline', () => {
  it('keeps the last complete view of a region, so a change during an outage is reported after it', () => {
    let baseline = advanceBaseline(null, healthy());
    const outage = withTunnels(downTunnel(1), tunnel({ index: 2 }), false);
    expect(track(baseline, outage, NOW)).toEqual([]);
    baseline = advanceBaseline(baseline, outage);
    expect(baseline.regions[0]?.connections.complete).toBe(true);
    expect(kinds(track(baseline, masterDown(), NOW + 60_000))).toEqual(['tunnel_down', 'failover']);
  });
});
