// The collectors against the real simulator, through the real cloud layer. The manual clock starts
// at wall time because the simulator checks the request signature's timestamp against it.
import { afterEach, describe, expect, it } from 'vitest';
import { collectEvidence } from '../../src/collect/evidence.js';
import { mergeRegionSnapshot } from '../../src/collect/merge.js';
import { collectStatus } from '../../src/collect/status.js';
import { evidenceTargets } from '../../src/collect/targets.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { track } from '../../src/state/tracker.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { simRegionApis } from './sim-apis.js';

let sim: TestSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('collectors against the simulator', () => {
  it('collects the healthy fleet completely across two regions with only DescribeVpnConnections calls', async () => {
    sim = await startTestSimulator({ scenario: 'healthy', startAt: Date.now() });
    const { apis, counter } = simRegionApis(sim);
    expect(apis.map((a) => a.region).sort()).toEqual(['ap-northeast-1', 'cn-hangzhou']);
    sim.sim.server.resetCalls();
    const results = await Promise.all(apis.map((api) => collectStatus(api)));
    expect(results.map((r) => [r.complete, r.error])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
    const connections = results.flatMap((r) => r.data);
    expect(connections).toHaveLength(5);
    for (const c of connections) {
      expect(c.dualTunnel).toBe(true);
      expect(c.tunnels.map((t) => [t.index, t.role, t.status, t.ipsecSaUp])).toEqual([
        [1, 'master', 'ipsec_sa_established', true],
        [2, 'slave', 'ipsec_sa_established', true],
      ]);
      expect(c.tunnels.every((t) => t.ike.pskFingerprint?.length === 12)).toBe(true);
    }
    const calls = sim.sim.server.calls();
    expect(new Set(calls.map((c) => c.action))).toEqual(new Set(['DescribeVpnConnections']));
    // One page per region: the theoretical minimum for five connections.
    expect(calls).toHaveLength(2);
    expect(counter.total()).toBe(2);
  });

  it('reports a region whose credentials fail as incomplete while the other region still reports', async () => {
    sim = await startTestSimulator({ scenario: 'healthy', startAt: Date.now() });
    const { apis } = simRegionApis(sim);
    sim.sim.server.setFaults([
      {
        kind: 'apiError',
        region: 'ap-northeast-1',
        status: 404,
        code: 'InvalidAccessKeyId.NotFound',
        message: 'Specified access key is not found.',
      },
    ]);
    const byRegion = Object.fromEntries(
      await Promise.all(apis.map(async (api) => [api.region, await collectStatus(api)] as const)),
    );
    expect(byRegion['cn-hangzhou']?.complete).toBe(true);
    expect(byRegion['cn-hangzhou']?.data).toHaveLength(3);
    expect(byRegion['ap-northeast-1']?.complete).toBe(false);
    expect(byRegion['ap-northeast-1']?.error).toMatch(
      /^DescribeVpnConnections: InvalidAccessKeyId\.NotFound/,
    );
  });

  it('absorbs throttling with retries and still collects completely', async () => {
    sim = await startTestSimulator({ scenario: 'healthy', startAt: Date.now() });
    const { apis, counter } = simRegionApis(sim);
    sim.sim.server.setFaults([{ kind: 'throttle', action: 'DescribeVpnConnections', count: 2 }]);
    const results = await Promise.all(apis.map((api) => collectStatus(api)));
    expect(results.map((r) => r.complete)).toEqual([true, true]);
    expect(results.flatMap((r) => r.data)).toHaveLength(5);
    expect(counter.total({ code: 'Throttling.User' })).toBe(2);
  });

  it('captures the diagnosis code and logs of a failing tunnel while the error window is open', async () => {
    sim = await startTestSimulator({ scenario: 'healthy', startAt: Date.now() });
    const { apis } = simRegionApis(sim);
    const api = apis.find((a) => a.region === 'cn-hangzhou');
    if (!api) throw new Error('no cn-hangzhou');
    const failed = await sim.control.fail('vco-bp1hztokyo00000001', 1, 'PskMismatch');
    expect(failed.status).toBeLessThan(300);
    sim.advance(60);
    const status = await collectStatus(api);
    const region = mergeRegionSnapshot(null, {
      account: api.account,
      region: api.region,
      connections: status,
    });
    const targets = evidenceTargets(region);
    expect(targets.map((t) => t.tunnel.role)).toEqual(['master']);
    const ev = await collectEvidence(api, targets, { now: sim.now() });
    const tunnelId = targets[0]?.tunnel.id ?? '';
    expect(ev[tunnelId]?.errors).toEqual([]);
    expect(ev[tunnelId]?.diagnosis?.map((d) => d.failedReasonCode)).toContain('PskMismatch');
    expect(ev[tunnelId]?.logs?.lines.length).toBeGreaterThan(0);
  });

  it('turns successive status reads into failover and failback events', async () => {
    sim = await startTestSimulator({ scenario: 'healthy', startAt: Date.now() });
    const { apis } = simRegionApis(sim);
    const api = apis.find((a) => a.region === 'cn-hangzhou');
    if (!api) throw new Error('no cn-hangzhou');
    const read = async (): Promise<Snapshot> => {
      const connections = await collectStatus(api);
      return {
        takenAt: sim?.now() ?? 0,
        regions: [mergeRegionSnapshot(null, { account: api.account, region: api.region, connections })],
      };
    };
    const healthy = await read();
    await sim.control.fail('vco-bp1hztokyo00000001', 1, 'DpdTimeout');
    sim.advance(30);
    const failed = await read();
    const down = track(healthy, failed, sim.now());
    expect(down.map((e) => [e.kind, e.connectionId])).toEqual([
      ['tunnel_down', 'vco-bp1hztokyo00000001'],
      ['failover', 'vco-bp1hztokyo00000001'],
    ]);
    await sim.control.recover('vco-bp1hztokyo00000001', 1);
    sim.advance(30);
    const back = track(failed, await read(), sim.now());
    expect(back.map((e) => e.kind)).toEqual(['tunnel_up', 'failback']);
  });
});
