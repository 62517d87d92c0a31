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
