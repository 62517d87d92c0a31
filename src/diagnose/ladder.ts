// The layer ladder of one tunnel: reachability → ike → ipsec → bgp → routing → filtering.
// A layer fails on a finding of that layer; it is ok only on positive proof; otherwise unknown.
import {
  type Finding,
  LADDER_LAYERS,
  type LadderLayer,
  type LayerVerdict,
  type TunnelLadder,
} from '../model/finding.js';
import type { Connection, Tunnel } from '../model/snapshot.js';

export interface LadderInputs {
  connection: Connection;
  tunnel: Tunnel;
  /** Non-info findings of this tunnel plus this connection's connection-scoped findings. */
  findings: Finding[];
  bgpEnabled: boolean;
  bgpUp: boolean;
  routingKnown: boolean;
  filteringKnown: boolean;
  /** Why a down tunnel is not judged (not negotiated yet, gateway not active, updating), or null. */
  notJudged: string | null;
  /** Set when the tunnel's status is the last known one (the status read failed): nothing is proven ok. */
  statusStale?: string | null;
  /** The tunnel's last IKE probe (docs/probe.md): an answer proves reachability, silence explains its failure. */
  probe?: { answered: boolean; silent: boolean; summary: string };
}

function positive(
  layer: LadderLayer,
  i: LadderInputs,
  failed: Set<LadderLayer>,
): { state: 'ok' | 'unknown'; note?: string } {
  const t = i.tunnel;
  // An answer to our own probe proves the path, whatever the status read says.
  if (layer === 'reachability' && !t.ikeSaUp && i.probe?.answered)
    return { state: 'ok', note: `IKE probe: ${i.probe.summary}` };
  // Negotiation and BGP are proven by the status read; a stale one proves nothing.
  if (i.statusStale && (layer === 'reachability' || layer === 'ike' || layer === 'ipsec' || layer === 'bgp'))
    return { state: 'unknown', note: i.statusStale };
  switch (layer) {
    case 'reachability':
      if (t.ikeSaUp) return { state: 'ok' };
      // A named phase-1/phase-2 cause means the peer answered.
      if (failed.has('ike') || failed.has('ipsec')) return { state: 'ok', note: 'the peer answered' };
      return {
        state: 'unknown',
        note: i.notJudged ?? 'phase 1 not established; no evidence about reachability',
      };
    case 'ike':
      if (t.ikeSaUp) return { state: 'ok' };
      return {
        state: 'unknown',
        note:
          i.notJudged ?? (failed.has('reachability') ? 'blocked by reachability' : 'phase 1 not established'),
      };
    case 'ipsec':
      if (t.ipsecSaUp) return { state: 'ok' };
      return {
        state: 'unknown',
        note: i.notJudged ?? (t.ikeSaUp ? 'phase 2 not established' : 'phase 1 not established'),
      };
    case 'bgp':
      if (!i.bgpEnabled) return { state: 'ok', note: 'BGP not enabled' };
      if (!t.ipsecSaUp) return { state: 'unknown', note: 'tunnel not established' };
      return i.bgpUp ? { state: 'ok' } : { state: 'unknown', note: 'BGP status not success' };
    case 'routing':
      return i.routingKnown
        ? { state: 'ok' }
        : { state: 'unknown', note: 'topology not collected completely' };
    case 'filtering':
      return i.filteringKnown
        ? { state: 'ok' }
        : { state: 'unknown', note: 'topology not collected completely' };
  }
}

export function ladderFor(i: LadderInputs): TunnelLadder {
  const byLayer = new Map<LadderLayer, string[]>();
  for (const f of i.findings) {
    if (f.severity === 'info' || !(LADDER_LAYERS as readonly string[]).includes(f.layer)) continue;
    if (f.tunnelId !== null && f.tunnelId !== i.tunnel.id) continue;
    const layer = f.layer as LadderLayer;
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), f.rule]);
  }
  const failed = new Set(byLayer.keys());
  const layers: LayerVerdict[] = LADDER_LAYERS.map((layer) => {
    const rules = byLayer.get(layer);
    if (rules) {
      const verdict: LayerVerdict = { layer, state: 'fail', rules: [...new Set(rules)] };
      if (layer === 'reachability' && i.probe?.silent) verdict.note = `IKE probe: ${i.probe.summary}`;
      return verdict;
    }
    const p = positive(layer, i, failed);
    return p.note ? { layer, state: p.state, rules: [], note: p.note } : { layer, state: p.state, rules: [] };
  });
  const first = layers.find((l) => l.state === 'fail');
  return {
    connectionId: i.connection.id,
    tunnelId: i.tunnel.id,
    layers,
    firstFailingLayer: first?.layer ?? null,
  };
}
