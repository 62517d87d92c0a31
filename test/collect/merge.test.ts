import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  emptyRegion,
  mergedConnections,
  mergeRegionSnapshot,
  TRAFFIC_MAX_AGE_MS,
} from '../../src/collect/merge.js';
import {
  ADDR,
  connection,
  customerGateway,
  evidence,
  IDS,
  NOW,
  region,
  topology,
  tunnel,
} from '../fixtures/snapshot.js';

const base = { account: IDS.account, region: IDS.region };

describe('mergeRegionSnapshot', () => {
  it('starts from an unknown region, never an empty healthy one', () => {
    const r = emptyRegion('a', 'r');
    expect(r.connections.complete).toBe(false);
    expect(mergeRegionSnapshot(null, { account: 'a', region: 'r' })).toEqual(r);
  });

  it('keeps the last good connections, marked incomplete with the new error and the old time, when a status read fails', () => {
    const prev = region();
    const merged = mergeRegionSnapshot(prev, {
      ...base,
      connections: {
        collectedAt: NOW + 30_000,
        complete: false,
        error: 'DescribeVpnConnections: Forbidden.RAM',
        data: [],
      },
    });
    expect(merged.connections.complete).toBe(false);
    expect(merged.connections.error).toBe('DescribeVpnConnections: Forbidden.RAM');
    expect(merged.connections.collectedAt).toBe(prev.connections.collectedAt);
    expect(merged.connections.data.map((c) => c.id)).toEqual([IDS.connection]);
    // A good read replaces it all.
    const fresh = mergeRegionSnapshot(merged, {
      ...base,
      connections: { collectedAt: NOW + 60_000, complete: true, data: [] },
    });
    expect(fresh.connections).toEqual({ collectedAt: NOW + 60_000, complete: true, data: [] });
  });

  it('fills tunnel customer gateway IPs from the topology', () => {
    const noIps = connection({
      tunnels: [tunnel({ index: 1, customerGatewayIp: null }), tunnel({ index: 2, customerGatewayIp: null })],
    });
    const merged = mergeRegionSnapshot(
      region({ topology: topology({ customerGateways: [customerGateway({ ip: '198.51.100.7' })] }) }),
      {
        ...base,
        connections: { collectedAt: NOW, complete: true, data: [noIps] },
      },
    );
    expect(merged.connections.data[0]?.tunnels.map((t) => t.customerGatewayIp)).toEqual([
      '198.51.100.7',
      '198.51.100.7',
    ]);
    expect(ADDR.customerGatewayIp).not.toBe('198.51.100.7');
  });

  it('keeps previous topology parts that a partial read could not fetch', () => {
    const prev = region();
    const partial = topology({ instances: [], securityGroups: [], gateways: [] });
    const merged = mergeRegionSnapshot(prev, {
      ...base,
      topology: { collectedAt: NOW + 1, complete: false, error: 'DescribeInstances: x', data: partial },
    });
    expect(merged.topology?.complete).toBe(false);
    expect(merged.topology?.error).toBe('DescribeInstances: x');
    expect(merged.topology?.data.instances).toEqual(prev.topology?.data.instances);
    expect(merged.topology?.data.gateways).toEqual(prev.topology?.data.gateways);
  });

  it('overlays partial traffic on what was known, and merges evidence by tunnel, dropping tunnels that are gone', () => {
    const prev = region({ evidence: [evidence(IDS.tunnel1), evidence('tun-gone')] });
    const merged = mergeRegionSnapshot(prev, {
      ...base,
      connections: { collectedAt: NOW, complete: true, data: [connection()] },
      evidence: { [IDS.tunnel2]: evidence(IDS.tunnel2) },
      traffic: {
        collectedAt: NOW + 5,
        complete: false,
        error: 'e',
        data: { 'vco-b': { connectionId: 'vco-b', rxBps: 1, txBps: 2, at: NOW } },
      },
    });
    expect(Object.keys(merged.evidence).sort()).toEqual([IDS.tunnel1, IDS.tunnel2].sort());
    expect(Object.keys(merged.traffic?.data ?? {}).sort()).toEqual([IDS.connection, 'vco-b'].sort());
    expect(merged.traffic?.complete).toBe(false);
  });

  it('stops carrying a rate once it is older than TRAFFIC_MAX_AGE_MS (traffic reads keep failing)', () => {
    const prev = region();
    const failed = (at: number) => ({
      ...base,
      traffic: { collectedAt: at, complete: false, error: 'Forbidden.RAM', data: {} },
    });
    const soon = mergeRegionSnapshot(prev, failed(NOW + 60_000));
    expect(Object.keys(soon.traffic?.data ?? {})).toEqual([IDS.connection]);
    const late = mergeRegionSnapshot(soon, failed(NOW + TRAFFIC_MAX_AGE_MS + 60_000));
    expect(late.traffic?.data).toEqual({});
    expect(late.traffic?.complete).toBe(false);
  });
});

describe('an unchanged connection keeps its object', () => {
  it('reuses the previous object when a new read has the same data, and takes a changed one as read', () => {
    const prev = region({
      topology: topology({ customerGateways: [customerGateway({ ip: '198.51.100.7' })] }),
    });
    const first = mergeRegionSnapshot(prev, {
      ...base,
      connections: { collectedAt: NOW, complete: true, data: [connection()] },
    });
    const kept = first.connections.data[0]!;
    // The same data read again (new objects, as every status read makes): the old object stays.
    const again = mergeRegionSnapshot(first, {
      ...base,
      connections: { collectedAt: NOW + 10_000, complete: true, data: [structuredClone(connection())] },
    });
    expect(again.connections.collectedAt).toBe(NOW + 10_000);
    expect(again.connections.data[0]).toBe(kept);
    // A changed field is a new object with the new value.
    const changed = mergeRegionSnapshot(again, {
      ...base,
      connections: {
        collectedAt: NOW + 20_000,
        complete: true,
        data: [
          connection({
            tunnels: [tunnel({ index: 1, status: 'ike_sa_not_established' }), tunnel({ index: 2 })],
          }),
        ],
      },
    });
    expect(changed.connections.data[0]).not.toBe(kept);
    expect(changed.connections.data[0]!.tunnels[0]!.status).toBe('ike_sa_not_established');
    expect(changed.connections.data[0]!.tunnels[0]!.customerGatewayIp).toBe('198.51.100.7');
  });

  it('keeps the objects through an update of another tier', () => {
    const first = mergeRegionSnapshot(region({ topology: topology() }), {
      ...base,
      connections: { collectedAt: NOW, complete: true, data: [connection()] },
    });
    const next = mergeRegionSnapshot(first, { ...base, evidence: {} });
    expect(next.connections).toBe(first.connections);
  });
});

describe('mergedConnections: a status read settled as it arrives, folded in at the end', () => {
  it('takes a topology read that landed in between: the fold fills the new customer gateway IP', () => {
    const read = connection({
      tunnels: [tunnel({ index: 1, customerGatewayIp: null }), tunnel({ index: 2, customerGatewayIp: null })],
    });
    const before = mergeRegionSnapshot(region({ topology: topology() }), {
      ...base,
      connections: { collectedAt: NOW, complete: true, data: [read] },
    });
    // The status read arrives and is settled against the region as it then is…
    const settled = mergedConnections(before, { collectedAt: NOW + 10_000, complete: true, data: [read] });
    expect(settled.data[0]).toBe(before.connections.data[0]); // unchanged: the same object
    // …then a topology read moves the customer gateway to a new IP, before the cycle folds its reads.
    const moved = mergeRegionSnapshot(before, {
      ...base,
      topology: {
        collectedAt: NOW + 5_000,
        complete: true,
        data: topology({ customerGateways: [customerGateway({ ip: '198.51.100.99' })] }),
      },
    });
    const folded = mergeRegionSnapshot(moved, { ...base, connections: settled });
    expect(folded.connections.data[0]!.tunnels.map((t) => t.customerGatewayIp)).toEqual([
      '198.51.100.99',
      '198.51.100.99',
    ]);
    expect(folded.connections.collectedAt).toBe(NOW + 10_000);
  });

  it('keeps the last good connections when the read failed, and the fold changes nothing more', () => {
    const before = region();
    const failed = { collectedAt: NOW + 10_000, complete: false, error: 'Throttling.User', data: [] };
    const settled = mergedConnections(before, failed);
    expect(settled).toMatchObject({ complete: false, error: 'Throttling.User' });
    expect(settled.data).toEqual(before.connections.data);
    const folded = mergeRegionSnapshot(before, { ...base, connections: settled });
    expect(folded.connections).toEqual(
      mergeRegionSnapshot(before, { ...base, connections: failed }).connections,
    );
  });
});

describe('snapshots are values', () => {
  it('hands out frozen connections under the test suite: a change in place fails loudly', () => {
    const merged = mergeRegionSnapshot(region(), {
      ...base,
      connections: { collectedAt: NOW, complete: true, data: [connection()] },
    });
    const t = merged.connections.data[0]!.tunnels[0]!;
    expect(Object.isFrozen(t.ike)).toBe(true);
    expect(() => {
      (t as { status: string }).status = 'ike_sa_not_established';
    }).toThrow(TypeError);
  });
});

describe('applyUpdate', () => {
  it('adds and replaces regions in account/region order', () => {
    let s = applyUpdate(
      null,
      { account: 'b', region: 'r1', connections: { collectedAt: 1, complete: true, data: [] } },
      10,
    );
    s = applyUpdate(
      s,
      { account: 'a', region: 'r2', connections: { collectedAt: 2, complete: true, data: [] } },
      20,
    );
    s = applyUpdate(
      s,
      { account: 'b', region: 'r1', connections: { collectedAt: 3, complete: false, error: 'x', data: [] } },
      30,
    );
    expect(s.takenAt).toBe(30);
    expect(s.regions.map((r) => [r.account, r.region, r.connections.complete])).toEqual([
      ['a', 'r2', true],
      ['b', 'r1', false],
    ]);
  });
});
