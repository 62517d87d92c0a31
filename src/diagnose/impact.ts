// Severity follows impact (docs/runbook.md#standby-tunnel-down): the one place that decides how bad a
// cause is for the connection, applied by the engine after every rule has been evaluated.
//
// The rule: a tunnel-scoped finding on a tunnel that is not established, while another tunnel of the
// same connection carries traffic, costs redundancy, not connectivity, so it is at most `warning`.
// That covers both a standby failure (the primary carries traffic) and a failover (the primary is
// down, the standby carries traffic). A cause on a connection with no established tunnel, a finding
// on the tunnel that carries the traffic, and connection-scoped findings keep the rule's severity.
// The step only ever lowers: a configured per-rule severity stays the upper bound. When the status
// is not current (the region's status could not be read), nothing is lowered: unknown is never
// taken as "the other tunnel still carries traffic".
import { activeTunnel, reportRole } from '../model/derive.js';
import type { Finding, Severity } from '../model/finding.js';
import type { Connection } from '../model/snapshot.js';

/** The most a cause can be when another tunnel of the connection carries traffic. */
export const REDUNDANCY_ONLY_CEILING: Severity = 'warning';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
/** The report's severity names (src/report/i18n.ts), which diagnose/ cannot import. */
const SEVERITY_JA: Record<Severity, string> = { critical: '重大', warning: '警告', info: '情報' };

function lowered(f: Finding, active: { id: string; index: number; role: 'primary' | 'standby' }): Finding {
  const from = f.severity;
  const to = REDUNDANCY_ONLY_CEILING;
  const en = `Severity ${to} (rule: ${from}): tunnel ${active.index} (${active.id}, ${active.role}) carries traffic, so this failure costs redundancy, not connectivity.`;
  const roleJa = active.role === 'primary' ? 'プライマリ' : 'スタンバイ';
  const ja = `重大度 ${SEVERITY_JA[to]}（ルールの既定: ${SEVERITY_JA[from]}）: トンネル ${active.index}（${active.id}、${roleJa}）が通信中のため、この障害は冗長性を損なうものの接続は維持されています。`;
  return {
    ...f,
    severity: to,
    text: {
      en: { ...f.text.en, evidence: [...f.text.en.evidence, en] },
      ja: { ...f.text.ja, evidence: [...f.text.ja.evidence, ja] },
    },
  };
}

/**
 * Caps the severity of one connection's findings by their impact.
 * `statusCurrent`: false when the tunnel statuses are last-known, not freshly read.
 */
export function applyImpact(findings: Finding[], conn: Connection, statusCurrent: boolean): Finding[] {
  if (!statusCurrent) return findings;
  const active = activeTunnel(conn);
  if (!active) return findings;
  const info = { id: active.id, index: active.index, role: reportRole(active.role) };
  return findings.map((f) => {
    if (f.tunnelId === null || f.tunnelId === active.id) return f;
    if (RANK[f.severity] <= RANK[REDUNDANCY_ONLY_CEILING]) return f;
    const tunnel = conn.tunnels.find((t) => t.id === f.tunnelId);
    if (!tunnel || tunnel.ipsecSaUp) return f;
    return lowered(f, info);
  });
}
