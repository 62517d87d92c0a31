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
import { expectsTunnelsUp } from '../model/tunnel-health.js';
import { type Bilingual, jaField } from './facts/localized.js';

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
  notJudged: Bilingual | null;
  /** Set when the tunnel's status is the last known one (the status read failed): nothing is proven ok. */
  statusStale?: Bilingual | null;
  /** The tunnel's last IKE probe (docs/probe.md): an answer proves reachability, silence explains its failure. */
  probe?: { answered: boolean; silent: boolean; summary: string };
}

type Positive = { state: 'ok' | 'unknown'; note?: Bilingual };

const note = (en: string, ja: string): Bilingual => ({ en, ja });
const PHASE1_DOWN = note('phase 1 not established', 'フェーズ 1 未確立');
const TOPOLOGY_PARTIAL = note('topology not collected completely', 'トポロジーを完全には収集できていません');

/** The probe's one-line summary as a note, in both languages. */
const probeNote = (probe: NonNullable<LadderInputs['probe']>): Bilingual =>
  note(`IKE probe: ${probe.summary}`, `IKE プローブ: ${jaField(probe, 'summary')}`);

function positive(layer: LadderLayer, i: LadderInputs, failed: Set<LadderLayer>): Positive {
  const t = i.tunnel;
  // An answer to our own probe proves the path, whatever the status read says.
  if (layer === 'reachability' && !t.ikeSaUp && i.probe?.answered)
    return { state: 'ok', note: probeNote(i.probe) };
  // Negotiation and BGP are proven by the status read; a stale one proves nothing.
  if (i.statusStale && (layer === 'reachability' || layer === 'ike' || layer === 'ipsec' || layer === 'bgp'))
    return { state: 'unknown', note: i.statusStale };
  switch (layer) {
    case 'reachability':
      if (t.ikeSaUp) return { state: 'ok' };
      // A named phase-1/phase-2 cause means the peer answered.
      if (failed.has('ike') || failed.has('ipsec'))
        return { state: 'ok', note: note('the peer answered', 'ピアは応答しています') };
      return {
        state: 'unknown',
        note:
          i.notJudged ??
          note(
            'phase 1 not established; no evidence about reachability',
            'フェーズ 1 未確立。到達性を示す根拠はありません',
          ),
      };
    case 'ike':
      if (t.ikeSaUp) return { state: 'ok' };
      return {
        state: 'unknown',
        note:
          i.notJudged ??
          (failed.has('reachability')
            ? note('blocked by reachability', '到達性の問題により判定できません')
            : PHASE1_DOWN),
      };
    case 'ipsec':
      if (t.ipsecSaUp) return { state: 'ok' };
      return {
        state: 'unknown',
        note: i.notJudged ?? (t.ikeSaUp ? note('phase 2 not established', 'フェーズ 2 未確立') : PHASE1_DOWN),
      };
    case 'bgp':
      if (!i.bgpEnabled) return { state: 'ok', note: note('BGP not enabled', 'BGP は無効です') };
      if (!t.ipsecSaUp) return { state: 'unknown', note: note('tunnel not established', 'トンネル未確立') };
      return i.bgpUp
        ? { state: 'ok' }
        : {
            state: 'unknown',
            note: note('BGP status not success', 'BGP のステータスが success ではありません'),
          };
    case 'routing':
      return i.routingKnown ? { state: 'ok' } : { state: 'unknown', note: TOPOLOGY_PARTIAL };
    case 'filtering':
      return i.filteringKnown ? { state: 'ok' } : { state: 'unknown', note: TOPOLOGY_PARTIAL };
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
      if (layer === 'reachability' && i.probe?.silent) {
        const n = probeNote(i.probe);
        verdict.note = n.en;
        verdict.noteJa = n.ja;
      }
      return verdict;
    }
    const p = positive(layer, i, failed);
    return p.note
      ? { layer, state: p.state, rules: [], note: p.note.en, noteJa: p.note.ja }
      : { layer, state: p.state, rules: [] };
  });
  const first = layers.find((l) => l.state === 'fail');
  return {
    connectionId: i.connection.id,
    tunnelId: i.tunnel.id,
    layers,
    firstFailingLayer: first?.layer ?? null,
  };
}

/** Why a down tunnel's layers are not judged (en, ja), or null. */
export function notJudgedNote(
  conn: Connection,
  gateway: { id: string; notActive: boolean },
  updating: boolean,
): Bilingual | null {
  if (!expectsTunnelsUp(conn))
    return {
      en: 'not negotiated yet (EffectImmediately off)',
      ja: '未ネゴシエーション (今すぐ有効化がオフ)',
    };
  if (gateway.notActive)
    return {
      en: `gateway ${gateway.id} is not active`,
      ja: `VPN ゲートウェイ ${gateway.id} がアクティブではありません`,
    };
  if (updating) return { en: 'configuration change in progress', ja: '設定の変更中' };
  return null;
}

/**
 * The ladder note of a tunnel whose status could not be read this cycle (en, ja). The read's error is
 * the region's, said once where the region errors are shown, not again in every row of every ladder.
 */
export function staleNote(status: string): Bilingual {
  return {
    en: `status not read this cycle; last known: ${status}`,
    ja: `今回のサイクルでステータスを読み取れませんでした。最後に確認したステータス: ${status}`,
  };
}
