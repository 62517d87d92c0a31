// alivpn_ike_probe_* in the exposition: one series per tunnel, target and port, only for tunnels
// that were probed (the tier is off by default), duration = round trip or the whole wait.
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.js';
import type { TunnelProbes } from '../../src/model/snapshot.js';
import { IDS, NOW } from '../fixtures/snapshot.js';
import { FixtureView } from '../fixtures/view.js';

const probes: TunnelProbes = {
  tunnelId: IDS.tunnel1,
  target: 'customer-gateway',
  address: '203.0.113.10',
  at: NOW,
  summary:
    'UDP 500 to 203.0.113.10: no answer to 3 IKE_SA_INIT in 6 s; UDP 4500: answered NO_PROPOSAL_CHOSEN in 41 ms',
  ports: [
    {
      port: 500,
      ike: 'v2',
      outcome: 'no-answer',
      answered: false,
      answer: '',
      attempts: 3,
      timeoutMs: 2000,
      rttMs: null,
      durationMs: 6003,
      at: NOW,
    },
    {
      port: 4500,
      ike: 'v2',
      outcome: 'answered',
      answered: true,
      answer: 'NO_PROPOSAL_CHOSEN',
      attempts: 1,
      timeoutMs: 2000,
      rttMs: 41,
      durationMs: 41,
      at: NOW,
    },
  ],
};

describe('IKE probe metrics', () => {
  it('exports success and duration per tunnel, target and port; nothing for tunnels never probed', async () => {
    const view = new FixtureView();
    const plain = await createMetrics(view, { version: 't', now: () => NOW, defaultMetrics: false }).render();
    expect(plain).not.toMatch(/^alivpn_ike_probe_success\{/m);

    const region = view.snap!.regions.find((r) =>
      r.connections.data.some((c) => c.tunnels.some((t) => t.id === IDS.tunnel1)),
    )!;
    region.probes = { [IDS.tunnel1]: probes };
    const text = await createMetrics(view, { version: 't', now: () => NOW, defaultMetrics: false }).render();
    const lines = text.split('\n').filter((l) => l.startsWith('alivpn_ike_probe_'));
    expect(lines).toHaveLength(4);
    const line = (metric: string, port: number) =>
      lines.find((l) => l.startsWith(`${metric}{`) && l.includes(`port="${port}"`))!;
    expect(line('alivpn_ike_probe_success', 500)).toMatch(
      new RegExp(`tunnel_id="${IDS.tunnel1}",role="primary",target="customer-gateway",port="500"\\} 0$`),
    );
    expect(line('alivpn_ike_probe_success', 4500)).toMatch(/\} 1$/);
    expect(line('alivpn_ike_probe_duration_seconds', 500)).toMatch(/\} 6\.003$/);
    expect(line('alivpn_ike_probe_duration_seconds', 4500)).toMatch(/\} 0\.041$/);
  });
});
