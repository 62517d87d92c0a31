// The benchmark fleet: 2,000 connections over 10 regions and 2 accounts, served to the real SDK.
import * as Vpc from '@alicloud/vpc20160428';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_REGIONS, fleetKey, generateFleet } from '../../src/sim/fleet.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

const fleet = generateFleet({
  connections: 2000,
  regions: 10,
  accounts: 2,
  failing: 0.05,
  latencyMs: 1,
  qps: 1000,
});
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: fleet });
});
afterAll(async () => {
  await sim.close();
});

describe('generateFleet', () => {
  it('spreads the connections evenly with unique on-prem CIDRs per account', () => {
    expect(fleet.accounts.map((a) => a.name)).toEqual(['fleet-1', 'fleet-2']);
    for (const account of fleet.accounts) {
      expect(account.regions.map((r) => r.id)).toEqual(FLEET_REGIONS);
      expect(account.regions.every((r) => r.connections.length === 100)).toBe(true);
      expect(account.regions.every((r) => r.vpnGateways.length === 5)).toBe(true);
      const cidrs = account.regions.flatMap((r) => r.connections.flatMap((c) => c.remoteSubnets));
      expect(new Set(cidrs).size).toBe(1000);
    }
    expect(fleet.accounts[1]!.accessKeys[0]).toEqual(fleetKey(1));
    expect(fleet.faults).toEqual([
      { kind: 'latency', ms: 1 },
      { kind: 'qps', qps: 1000 },
    ]);
    // ~5 % of the connections fail on tunnel 1 from the start.
    expect(fleet.timeline.length).toBeGreaterThan(50);
    expect(fleet.timeline.length).toBeLessThan(160);
    expect(fleet.timeline.every((e) => e.at === 0 && e.action.kind === 'fail' && e.action.tunnel === 1)).toBe(
      true,
    );
  });

  it('rejects impossible fleets', () => {
    expect(() => generateFleet({ connections: 0 })).toThrow(/needs connections/);
    expect(() => generateFleet({ connections: 10_000, accounts: 1 })).toThrow(/at most 4096/);
  });
});

describe('the fleet through the SDK', () => {
  it('pages 100 connections of a region in 50s, per account', async () => {
    const vpc = sim.vpc(1, 'ap-northeast-1');
    const ids: string[] = [];
    for (let page = 1; page <= 2; page++) {
      const res = await vpc.describeVpnConnections(
        new Vpc.DescribeVpnConnectionsRequest({ regionId: 'ap-northeast-1', pageSize: 50, pageNumber: page }),
      );
      expect(res.body!.totalCount).toBe(100);
      ids.push(...res.body!.vpnConnections!.vpnConnection!.map((c) => c.vpnConnectionId!));
    }
    expect(new Set(ids).size).toBe(100);
    expect(ids.every((id) => id.startsWith('vco-fleet16'))).toBe(true);
  });

  it('diagnoses the failing tunnels', async () => {
    const failing = fleet.timeline.filter((e) => e.action.connectionId.startsWith('vco-fleet00c'));
    sim.advance(120); // every cause has printed its error line by now
    const res = await sim
      .vpc(0)
      .diagnoseVpnConnections(
        new Vpc.DiagnoseVpnConnectionsRequest({ regionId: 'cn-hangzhou', pageSize: 100 }),
      );
    expect(res.body!.totalCount).toBe(failing.length);
    expect(new Set(res.body!.vpnConnections!.map((v) => v.vpnConnectionId))).toEqual(
      new Set(failing.map((e) => e.action.connectionId)),
    );
  });
});
