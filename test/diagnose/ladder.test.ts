import { describe, expect, it } from 'vitest';
import { type LadderInputs, ladderFor } from '../../src/diagnose/ladder.js';
import type { Finding } from '../../src/model/finding.js';
import { connection, IDS, tunnel } from '../fixtures/snapshot.js';

const f = (
  rule: string,
  layer: Finding['layer'],
  tunnelId: string | null,
  severity: Finding['severity'] = 'critical',
): Finding => ({
  rule,
  severity,
  layer,
  account: IDS.account,
  region: IDS.region,
  vpnGatewayId: IDS.gateway,
  connectionId: IDS.connection,
  tunnelId,
  codes: [],
  runbook: rule,
  text: {
    en: { title: '', summary: '', evidence: [], remediation: [] },
    ja: { title: '', summary: '', evidence: [], remediation: [] },
  },
});

const base = (o: Partial<LadderInputs>): LadderInputs => ({
  connection: connection(),
  tunnel: tunnel(),
  findings: [],
  bgpEnabled: false,
  bgpUp: false,
  routingKnown: true,
  filteringKnown: true,
  notJudged: null,
  ...o,
});
const states = (i: LadderInputs) => Object.fromEntries(ladderFor(i).layers.map((l) => [l.layer, l.state]));

describe('ladderFor', () => {
  it('fails reachability and leaves later phases unknown when the peer is unreachable', () => {
    const i = base({
      tunnel: tunnel({ status: 'ike_sa_not_established' }),
      findings: [f('peer-unreachable', 'reachability', IDS.tunnel1)],
    });
    expect(states(i)).toMatchObject({ reachability: 'fail', ike: 'unknown', ipsec: 'unknown' });
    expect(ladderFor(i).firstFailingLayer).toBe('reachability');
    expect(ladderFor(i).layers[1]?.note).toBe('blocked by reachability');
  });

  it('judges BGP only when enabled and the tunnel is up', () => {
    expect(states(base({ bgpEnabled: true, bgpUp: true })).bgp).toBe('ok');
    expect(states(base({ bgpEnabled: true, bgpUp: false })).bgp).toBe('unknown');
    expect(
      states(base({ bgpEnabled: true, findings: [f('bgp-session-down', 'bgp', IDS.tunnel1)] })).bgp,
    ).toBe('fail');
    expect(states(base({ bgpEnabled: true, tunnel: tunnel({ status: 'ike_sa_established' }) })).bgp).toBe(
      'unknown',
    );
  });

  it('applies connection-scoped findings to every tunnel, ignores info and other tunnels', () => {
    expect(states(base({ findings: [f('vpc-route-missing', 'routing', null)] })).routing).toBe('fail');
    expect(states(base({ findings: [f('psk-mismatch', 'ike', IDS.tunnel2)] })).ike).toBe('ok');
    expect(states(base({ findings: [f('weak-crypto', 'ike', IDS.tunnel1, 'info')] })).ike).toBe('ok');
  });

  it('is unknown, never ok, without topology, and says why a down tunnel is not judged', () => {
    const l = ladderFor(
      base({
        routingKnown: false,
        filteringKnown: false,
        tunnel: tunnel({ status: 'ike_sa_not_established' }),
        notJudged: { en: 'not negotiated yet (EffectImmediately off)', ja: '未ネゴシエーション' },
      }),
    );
    expect(l.layers.map((x) => x.state)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'ok',
      'unknown',
      'unknown',
    ]);
    expect(l.layers[1]?.note).toBe('not negotiated yet (EffectImmediately off)');
    expect(l.layers[1]?.noteJa).toBe('未ネゴシエーション');
    expect(l.firstFailingLayer).toBeNull();
  });

  it('proves nothing about negotiation from a stale status read (last known up is unknown, not ok)', () => {
    const stale = {
      en: 'status not collected (Throttling.User); last known: ipsec_sa_established',
      ja: 'ステータスを収集できませんでした。最後に確認したステータス: ipsec_sa_established',
    };
    const l = ladderFor(base({ bgpEnabled: true, bgpUp: true, statusStale: stale }));
    expect(l.layers.map((x) => [x.layer, x.state])).toEqual([
      ['reachability', 'unknown'],
      ['ike', 'unknown'],
      ['ipsec', 'unknown'],
      ['bgp', 'unknown'],
      ['routing', 'ok'],
      ['filtering', 'ok'],
    ]);
    expect(l.layers[2]?.note).toBe(stale.en);
    expect(l.layers[2]?.noteJa).toBe(stale.ja);
    // A finding still names the failing layer.
    const failing = ladderFor(
      base({ statusStale: stale, findings: [f('psk-mismatch', 'ike', IDS.tunnel1)] }),
    );
    expect(failing.firstFailingLayer).toBe('ike');
  });
});
