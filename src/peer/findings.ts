// Turns the two-sided diff into findings with the catalogue's rule ids and lays them over the rule
// engine's diagnosis. On a tunnel that is up, each difference is a warning that says when it bites; on
// a tunnel that is down, it is the cause confirmed from both sides: it replaces `negotiation-failed`
// and phase-1/phase-2 guesses from log lines that it contradicts.

import { labelJa } from '../diagnose/causes/labels-ja.js';
import type { LogVerdict } from '../diagnose/logs/classify.js';
import type { Diagnosis, Finding, Layer, LayerVerdict, TunnelLadder } from '../model/finding.js';
import { PEER_FIELD_JA, peerValue } from '../model/peer-fields.js';
import type { Connection } from '../model/snapshot.js';
import { anyTunnelEstablished } from '../model/tunnel-health.js';
import { strongswanProposal, UnsupportedAlgorithmError } from './algorithms.js';
import type { PeerDifference } from './diff.js';
import type { PeerTunnelMatch } from './match.js';
import { routeBased } from './swanctl-generate.js';

export interface TunnelPeerDiff {
  match: PeerTunnelMatch;
  differences: PeerDifference[];
  /** The classifier's reading of the device's own log for this tunnel (null: no failure seen). */
  log?: LogVerdict | null;
}

const LAYER: Record<string, Layer> = {
  'ipsec-proposal-mismatch': 'ipsec',
  'pfs-mismatch': 'ipsec',
  'traffic-selector-mismatch': 'ipsec',
};
const layerOf = (rule: string): Layer => LAYER[rule] ?? 'ike';

const FIELD_JA = PEER_FIELD_JA;

function safeProposal(enc: string, auth: string, dh: string | null): string | null {
  try {
    return strongswanProposal(enc, auth, dh, 'cloud');
  } catch (err) {
    if (err instanceof UnsupportedAlgorithmError) return null;
    throw err;
  }
}

/** The exact swanctl.conf line to change on the device, from the cloud side's values. */
export function peerFixLine(d: PeerDifference, m: PeerTunnelMatch): string {
  const { tunnel: t, conn, connection: c } = m;
  const child = conn.children[0]?.name ?? conn.name;
  const at = `connections.${conn.name}`;
  switch (d.field) {
    case 'ike-version':
      return `${at}.version = ${t.ike.version.toLowerCase() === 'ikev2' ? 2 : 1}`;
    case 'ike-mode':
      return `${at}.aggressive = ${t.ike.mode.toLowerCase() === 'aggressive' ? 'yes' : 'no'}`;
    case 'ike-encryption':
    case 'ike-integrity':
    case 'ike-dh-group':
      return `${at}.proposals = ${safeProposal(t.ike.encAlg, t.ike.authAlg, t.ike.dhGroup) ?? `(${t.ike.encAlg}/${t.ike.authAlg} has no strongSwan equivalent)`}`;
    case 'esp-encryption':
    case 'esp-integrity':
    case 'pfs':
      return `${at}.children.${child}.esp_proposals = ${safeProposal(t.ipsec.encAlg, t.ipsec.authAlg, t.ipsec.pfs) ?? `(${t.ipsec.encAlg}/${t.ipsec.authAlg} has no strongSwan equivalent)`}`;
    case 'ike-lifetime':
      return `${at}.${t.ike.version.toLowerCase() === 'ikev2' ? 'rekey_time' : 'reauth_time'} = ${t.ike.lifetimeSeconds}s`;
    case 'ipsec-lifetime':
      return `${at}.children.${child}.rekey_time = ${t.ipsec.lifetimeSeconds}s`;
    case 'local-id':
      return `${at}.local.id = ${d.cloud}`;
    case 'remote-id':
      return `${at}.remote.id = ${d.cloud}`;
    case 'psk':
      return `secrets.ike-….secret for ${conn.name}: the PSK of ${t.id} (alivpn-doctor peer-config --connection ${c.id} --include-psk prints it)`;
    case 'local-ts':
      return `${at}.children.${child}.local_ts = ${(routeBased(c) ? ['0.0.0.0/0'] : c.remoteSubnets).join(', ')}`;
    case 'remote-ts':
      return `${at}.children.${child}.remote_ts = ${(routeBased(c) ? ['0.0.0.0/0'] : c.localSubnets).join(', ')}`;
    case 'nat-traversal':
      return `enable NAT traversal on Alibaba tunnel ${t.id} (EnableNatTraversal), or give the device a public address`;
    case 'dpd':
      return `${at}.dpd_delay = 30s`;
  }
}

function finding(
  rule: string,
  diffs: PeerDifference[],
  m: PeerTunnelMatch,
  severity: Finding['severity'],
  up: boolean,
): Finding {
  const { tunnel: t, connection: c } = m;
  const both = diffs.map(
    (d) => `${d.field}: Alibaba says ${d.cloud}, the device (${m.peer}, ${m.conn.name}) says ${d.peer}`,
  );
  const bothJa = diffs.map(
    (d) =>
      `${FIELD_JA[d.field] ?? d.field}: Alibaba 側 ${peerValue(d.cloud, 'ja')}、デバイス側 (${m.peer}, ${m.conn.name}) ${peerValue(d.peer, 'ja')}`,
  );
  const when = [...new Set(diffs.map((d) => d.bites))];
  const whenJa = [...new Set(diffs.map((d) => d.bitesJa))];
  const fixes = [...new Set(diffs.map((d) => peerFixLine(d, m)))];
  const title = up
    ? `Tunnel ${t.index} works now, but the device disagrees with Alibaba (${diffs.map((d) => d.field).join(', ')})`
    : `Tunnel ${t.index} is down: the device disagrees with Alibaba (${diffs.map((d) => d.field).join(', ')})`;
  const summary = up
    ? `Read from both sides: ${both.join('; ')}. It ${when.join('; ')}.`
    : `Read from both sides: ${both.join('; ')}. This is why the tunnel does not negotiate.`;
  return {
    rule,
    severity,
    layer: layerOf(rule),
    account: c.account,
    region: c.region,
    vpnGatewayId: c.vpnGatewayId,
    connectionId: c.id,
    tunnelId: t.id,
    codes: ['peer-config'],
    runbook: rule,
    text: {
      en: {
        title,
        summary,
        evidence: [...both, ...(up ? when.map((w) => `When: it ${w}`) : [])],
        remediation: [
          ...fixes.map((f) => `On the device (swanctl.conf, then swanctl --load-all): ${f}`),
          `Or change Alibaba tunnel ${t.index} (${t.id}) to the device's value.`,
        ],
      },
      ja: {
        title: up
          ? `トンネル ${t.index} は現在稼働中ですが、デバイスと Alibaba の設定が一致しません`
          : `トンネル ${t.index} はダウン: デバイスと Alibaba の設定が一致しません`,
        summary: up
          ? `両側から読み取り: ${bothJa.join('、')}。${whenJa.join('、')}。`
          : `両側から読み取り: ${bothJa.join('、')}。このためトンネルがネゴシエーションできません。`,
        evidence: [...bothJa, ...(up ? whenJa.map((w) => `発生時期: ${w}`) : [])],
        remediation: [
          ...fixes.map((f) => `デバイス側 (swanctl.conf を修正し swanctl --load-all): ${f}`),
          `または Alibaba のトンネル ${t.index} (${t.id}) をデバイスの値に合わせてください。`,
        ],
      },
    },
  };
}

const logLines = (log: LogVerdict) =>
  log.evidence.slice(0, 5).map((e) => `The device's log (${e.label}): ${e.line}`);
const logLinesJa = (log: LogVerdict) =>
  log.evidence.slice(0, 5).map((e) => `デバイスのログ (${labelJa(e.label)}): ${e.line}`);

/** The device's log lines that support the same cause, added to a two-sided finding. */
function withLog(f: Finding, log: LogVerdict | null): Finding {
  if (!log || !(log.cause === f.rule || log.candidates.includes(f.rule))) return f;
  const lines = logLines(log);
  return {
    ...f,
    text: {
      en: { ...f.text.en, evidence: [...f.text.en.evidence, ...lines] },
      ja: { ...f.text.ja, evidence: [...f.text.ja.evidence, ...logLinesJa(log)] },
    },
  };
}

/** A down tunnel's cause named by the device's own log (no configuration difference was found). */
function logFinding(
  rule: string,
  log: LogVerdict,
  m: PeerTunnelMatch,
  connections: readonly Connection[],
): Finding {
  const { tunnel: t, connection: c } = m;
  const conn = connections.find((x) => x.id === c.id) ?? c;
  const severity: Finding['severity'] = anyTunnelEstablished(conn) ? 'warning' : 'critical';
  const lines = logLines(log);
  return {
    rule,
    severity,
    layer: log.phase ?? layerOf(rule),
    account: c.account,
    region: c.region,
    vpnGatewayId: c.vpnGatewayId,
    connectionId: c.id,
    tunnelId: t.id,
    codes: ['peer-log'],
    runbook: rule,
    text: {
      en: {
        title: `Tunnel ${t.index} is down: the device's log names ${rule}`,
        summary: `The on-prem device ${m.peer} (${m.conn.name}) logged why the negotiation fails; its configuration as read shows no difference from Alibaba's.`,
        evidence: lines,
        remediation: [
          `See the runbook for ${rule}; compare the device's settings with alivpn-doctor peer-config --connection ${c.id}.`,
        ],
      },
      ja: {
        title: `トンネル ${t.index} はダウン: デバイスのログが ${rule} を示しています`,
        summary: `オンプレミスのデバイス ${m.peer} (${m.conn.name}) のログに失敗理由が記録されています。読み取った設定には Alibaba との違いはありません。`,
        evidence: logLinesJa(log),
        remediation: [
          `${rule} のランブックを参照し、alivpn-doctor peer-config --connection ${c.id} の出力と比較してください。`,
        ],
      },
    },
  };
}

/** Layers the peer's view proves or fails on a ladder, recomputing the first failing layer. */
function withPeerLayers(ladder: TunnelLadder, failing: Map<Layer, string[]>): TunnelLadder {
  const layers: LayerVerdict[] = ladder.layers.map((l) => {
    const rules = failing.get(l.layer);
    return rules
      ? {
          layer: l.layer,
          state: 'fail',
          rules,
          note: 'confirmed from both sides',
          noteJa: '両側の設定で確認済み',
        }
      : l;
  });
  return { ...ladder, layers, firstFailingLayer: layers.find((l) => l.state === 'fail')?.layer ?? null };
}

/**
 * The diagnosis with the peers' differences laid over it. `connections` are the cloud side's, to
 * judge the impact (a cause that took the whole connection down is critical).
 */
export function overlayPeerFindings(
  diagnosis: Diagnosis,
  diffs: readonly TunnelPeerDiff[],
  connections: readonly Connection[],
): Diagnosis {
  let findings = diagnosis.findings;
  let ladders = diagnosis.ladders;
  for (const { match: m, differences, log } of diffs) {
    const t = m.tunnel;
    if (differences.length === 0) {
      // No configuration difference: the device's own log may still name why a down tunnel fails.
      if (!t.ipsecSaUp && log?.cause && log.cause !== 'negotiation-failed') {
        findings = [
          ...findings.filter(
            (f) => !(f.tunnelId === t.id && (f.rule === 'negotiation-failed' || f.rule === log.cause)),
          ),
          logFinding(log.cause, log, m, connections),
        ];
      }
      continue;
    }
    const up = t.ipsecSaUp;
    const conn = connections.find((c) => c.id === m.connection.id) ?? m.connection;
    const connectionDown = !anyTunnelEstablished(conn);
    const severity: Finding['severity'] = up ? 'warning' : connectionDown ? 'critical' : 'warning';
    const byRule = new Map<string, PeerDifference[]>();
    for (const d of differences) byRule.set(d.rule, [...(byRule.get(d.rule) ?? []), d]);
    const ours = [...byRule].map(([rule, ds]) => withLog(finding(rule, ds, m, severity, up), log ?? null));
    const ourRules = new Set(ours.map((f) => f.rule));
    // Two-sided evidence beats one-sided guesses about the same tunnel's negotiation.
    findings = findings.filter(
      (f) =>
        f.tunnelId !== t.id ||
        (!ourRules.has(f.rule) &&
          !(
            !up &&
            (f.rule === 'negotiation-failed' ||
              ((f.layer === 'ike' || f.layer === 'ipsec') && !ourRules.has(f.rule)))
          )),
    );
    findings = [...findings, ...ours];
    if (!up) {
      const failing = new Map<Layer, string[]>();
      for (const f of ours) failing.set(f.layer, [...(failing.get(f.layer) ?? []), f.rule]);
      ladders = ladders.map((l) => (l.tunnelId === t.id ? withPeerLayers(l, failing) : l));
    }
  }
  return { findings, ladders };
}
