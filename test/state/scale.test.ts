// Fleet-size sanity (issue 8: 2,000 connections, 4,000 tunnels). Bounds are generous: the machine is
// shared; they catch accidental quadratic work, not micro-regressions.
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { openStore } from '../../src/state/store.js';
import { track } from '../../src/state/tracker.js';
import { connection, downTunnel, NOW, region, tunnel } from '../fixtures/snapshot.js';

function fleet(n: number, failedEvery: number): Snapshot {
  const connections = Array.from({ length: n }, (_, i) => {
    const t1 =
      i % failedEvery === 0
        ? downTunnel(1, 'ike_sa_established', { id: `tun-${i}-1` })
        : tunnel({ index: 1, id: `tun-${i}-1` });
    return connection({ id: `vco-${i}`, tunnels: [t1, tunnel({ index: 2, id: `tun-${i}-2` })] });
  });
  return { takenAt: NOW, regions: [region({ connections })] };
}

describe('fleet scale', () => {
  it('tracks 4,000 tunnels with 5% failing over and stores the events quickly', () => {
    const before = fleet(2000, 0);
    const after = fleet(2000, 20);
    const t0 = performance.now();
    const events = track(before, after, NOW, { recentStateChanges: {} });
    const trackMs = performance.now() - t0;
    expect(events.filter((e) => e.kind === 'failover')).toHaveLength(100);
    expect(events.filter((e) => e.kind === 'tunnel_down')).toHaveLength(100);
    const store = openStore(':memory:');
    const t1 = performance.now();
    store.appendEvents(events);
    const storeMs = performance.now() - t1;
    expect(Object.keys(store.counters().failovers)).toHaveLength(100);
    store.close();
    expect(trackMs).toBeLessThan(250);
    expect(storeMs).toBeLessThan(500);
  });
});
