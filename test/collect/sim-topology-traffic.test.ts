// Topology and traffic collectors against the real simulator (network, ECS and CloudMonitor operations).
import { afterEach, describe, expect, it } from 'vitest';
import { mergeRegionSnapshot } from '../../src/collect/merge.js';
import { collectStatus } from '../../src/collect/status.js';
import { collectTopology } from '../../src/collect/topology.js';
import { collectTraffic } from '../../src/collect/traffic.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { simRegionApis } from './sim-apis.js';

let sim: TestSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('topology and traffic against the simulator', () => {
  it('collects a complete topology around the watched gateways', async () => {
    sim = await startTestSimulator({ scenario: 'healthy', startAt: Date.now() });
    const { apis } = simRegionApis(sim);
    for (const api of apis) {
      const status = await collectStatus(api);
      expect(status.complete).toBe(true);
      const topo = await collectTopology(api, status.data);
      expect([api.region, topo.complete, topo.error]).toEqual([api.region, true, undefined]);
      const gatewayIds = new Set(status.data.map((c) => c.vpnGatewayId));
      expect(new Set(topo.data.gateways.map((g) => g.id))).toEqual(gatewayIds);
      expect(topo.data.customerGateways.length).toBeGreaterThan(0);
      expect(topo.data.vpcs.length).toBeGreaterThan(0);
      expect(topo.data.vswitches.length).toBeGreaterThan(0);
      expect(topo.data.routeTables.flatMap((t) => t.entries).length).toBeGreaterThan(0);
      expect(topo.data.vpnRoutes.length).toBeGreaterThan(0);
      expect(topo.data.networkAcls.length).toBeGreaterThan(0);
      expect(topo.data.networkAcls.every((a) => a.ingress.length > 0 && a.egress.length > 0)).toBe(true);
      expect(topo.data.instances.length).toBeGreaterThan(0);
      // Every security group of every instance was read.
      const groupIds = new Set(topo.data.instances.flatMap((i) => i.securityGroupIds));
      expect(new Set(topo.data.securityGroups.map((g) => g.id))).toEqual(groupIds);
      expect(topo.data.securityGroups.every((g) => g.rules.length > 0)).toBe(true);
      // Every tunnel's customer gateway is known, so the merge can fill its IP.
      const merged = mergeRegionSnapshot(null, {
        account: api.account,
        region: api.region,
        connections: status,
        topology: topo,
      });
      expect(merged.connections.data.flatMap((c) => c.tunnels).every((t) => t.customerGatewayIp)).toBe(true);
    }
  });

  it('reads traffic rates for every connection', async () => {
    sim = await startTestSimulator({ scenario: 'healthy', startAt: Date.now() });
    const { apis } = simRegionApis(sim);
    for (const api of apis) {
      const status = await collectStatus(api);
      expect(status.complete).toBe(true);
      expect(status.data.length).toBeGreaterThan(0);
      const traffic = await collectTraffic(api, status.data, sim.now());
      expect([api.region, traffic.complete, traffic.error]).toEqual([api.region, true, undefined]);
      for (const c of status.data) {
        expect(traffic.data[c.id]?.rxBps).toBeTypeOf('number');
        expect(traffic.data[c.id]?.txBps).toBeTypeOf('number');
      }
    }
  });
});
