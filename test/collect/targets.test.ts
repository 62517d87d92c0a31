import { describe, expect, it } from 'vitest';
import { evidenceTargets } from '../../src/collect/targets.js';
import type { VpnEvent } from '../../src/model/events.js';
import { connection, downTunnel, IDS, NOW, region, tunnel } from '../fixtures/snapshot.js';

const ids = (r: ReturnType<typeof evidenceTargets>) => r.map((t) => t.tunnel.id);

describe('evidenceTargets', () => {
  it('picks the tunnels that are not established', () => {
    const r = region({ connections: [connection({ tunnels: [downTunnel(1), tunnel({ index: 2 })] })] });
    expect(ids(evidenceTargets(r))).toEqual([IDS.tunnel1]);
    expect(evidenceTargets(region())).toEqual([]);
  });

  it('puts tunnels that just transitioned first, even when they are up again', () => {
    const r = region({ connections: [connection({ tunnels: [tunnel({ index: 1 }), downTunnel(2)] })] });
    const up: VpnEvent = {
      at: NOW,
      kind: 'tunnel_up',
      account: IDS.account,
      region: IDS.region,
      vpnGatewayId: IDS.gateway,
      connectionId: IDS.connection,
      tunnelId: IDS.tunnel1,
      detail: {},
    };
    expect(ids(evidenceTargets(r, [up]))).toEqual([IDS.tunnel1, IDS.tunnel2]);
  });

  it('names nothing for a region whose status is unknown', () => {
    const r = region({
      connections: [connection({ tunnels: [downTunnel(1), downTunnel(2)] })],
      connectionsComplete: false,
    });
    expect(evidenceTargets(r)).toEqual([]);
  });
});

describe('evidenceTargets with memory (the daemon)', () => {
  const memory = (lastEvidenceAt: Record<string, number>, downSince: Record<string, number>) => ({
    lastEvidenceAt: new Map(Object.entries(lastEvidenceAt)),
    downSince: new Map(Object.entries(downSince)),
  });
  const opts = { now: NOW, refreshMs: 120_000, huntMs: 300_000, max: 20 };
  const twoDown = () => region({ connections: [connection({ tunnels: [downTunnel(1), downTunnel(2)] })] });

  it('looks again every cycle at a recent failure whose cause is not named yet', () => {
    const m = memory(
      { [IDS.tunnel1]: NOW - 10_000, [IDS.tunnel2]: NOW - 10_000 },
      { [IDS.tunnel1]: NOW - 60_000 },
    );
    // tunnel1 went down a minute ago: hunted; tunnel2 has been down "since now" too (unknown start).
    expect(ids(evidenceTargets(twoDown(), [], m, opts))).toEqual([IDS.tunnel1, IDS.tunnel2]);
  });

  it('refreshes a long outage only when its evidence is older than refreshMs, oldest first, within the cap', () => {
    const long = NOW - 3_600_000;
    const m = memory(
      { [IDS.tunnel1]: NOW - 130_000, [IDS.tunnel2]: NOW - 10_000 },
      { [IDS.tunnel1]: long, [IDS.tunnel2]: long },
    );
    expect(ids(evidenceTargets(twoDown(), [], m, opts))).toEqual([IDS.tunnel1]);
    const older = memory(
      { [IDS.tunnel1]: NOW - 130_000, [IDS.tunnel2]: NOW - 500_000 },
      { [IDS.tunnel1]: long, [IDS.tunnel2]: long },
    );
    expect(ids(evidenceTargets(twoDown(), [], older, opts))).toEqual([IDS.tunnel2, IDS.tunnel1]);
    expect(ids(evidenceTargets(twoDown(), [], older, { ...opts, max: 1 }))).toEqual([IDS.tunnel2]);
  });

  it('leaves alone a connection that negotiates only on traffic (EffectImmediately off)', () => {
    const r = region({
      connections: [connection({ effectImmediately: false, tunnels: [downTunnel(1), downTunnel(2)] })],
    });
    expect(evidenceTargets(r, [], memory({}, {}), opts)).toEqual([]);
  });
});

describe('evidenceTargets: which events count as a transition', () => {
  it('does not target the standby tunnel named by a failover event (it is up)', () => {
    const r = region({ connections: [connection({ tunnels: [downTunnel(1), tunnel({ index: 2 })] })] });
    const failover: VpnEvent = {
      at: NOW,
      kind: 'failover',
      account: IDS.account,
      region: IDS.region,
      vpnGatewayId: IDS.gateway,
      connectionId: IDS.connection,
      tunnelId: IDS.tunnel2,
      detail: {},
    };
    expect(ids(evidenceTargets(r, [failover]))).toEqual([IDS.tunnel1]);
  });
});
