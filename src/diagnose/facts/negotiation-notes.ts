// Bilingual evidence notes of the negotiation facts: why evidence was set aside, and what was missing.
import type { Tunnel, TunnelEvidence } from '../../model/snapshot.js';
import type { CauseRegistry } from '../causes/registry.js';
import type { Cause } from './causes.js';

/** [en, ja] note for evidence whose phase contradicts the tunnel status. */
export function rejection(
  what: string,
  cause: Cause,
  tunnel: Tunnel,
  registry: CauseRegistry,
): [string, string] {
  const needs =
    registry.phaseOf(cause) === 'phase2'
      ? { en: 'phase-2', ja: 'フェーズ 2' }
      : { en: 'phase-1', ja: 'フェーズ 1' };
  return [
    `${what} names ${cause}, a ${needs.en} cause, but tunnel ${tunnel.index} is ${tunnel.status}; set aside`,
    `${what} は ${cause}（${needs.ja}の原因）を示していますが、トンネル ${tunnel.index} は ${tunnel.status} のため採用しません`,
  ];
}

/** What evidence was missing or silent, in English and Japanese. */
export function missingEvidence(
  registry: CauseRegistry,
  ev: TunnelEvidence | undefined,
  codes: string[],
  logLines: number,
  logSignals: number,
) {
  const en: string[] = [];
  const ja: string[] = [];
  const add = (e: string, j: string) => {
    en.push(e);
    ja.push(j);
  };
  if (!ev) {
    add(
      'no evidence was collected for this tunnel (DiagnoseVpnConnections, logs)',
      'このトンネルの根拠（DiagnoseVpnConnections、ログ）は未収集です',
    );
    return { en, ja };
  }
  if (ev.diagnosis === null)
    add('DiagnoseVpnConnections: not available', 'DiagnoseVpnConnections: 取得できませんでした');
  else if (codes.length === 0)
    add(
      'DiagnoseVpnConnections: no failure code (Alibaba keeps codes only ~3 minutes)',
      'DiagnoseVpnConnections: エラーコードなし（コードは約 3 分間しか保持されません）',
    );
  else {
    const generic = codes.filter((c) => registry.mapCode(c).cause === null);
    const setAside = codes.filter((c) => registry.mapCode(c).cause !== null);
    if (generic.length > 0)
      add(
        `DiagnoseVpnConnections: ${generic.join(', ')} names no specific cause`,
        `DiagnoseVpnConnections: ${generic.join(', ')} は具体的な原因を示していません`,
      );
    if (setAside.length > 0)
      add(
        `DiagnoseVpnConnections: ${setAside.join(', ')} contradicts the tunnel status (set aside)`,
        `DiagnoseVpnConnections: ${setAside.join(', ')} はトンネルのステータスと矛盾するため採用しません`,
      );
  }
  if (!ev.logs) add('tunnel logs: not collected', 'トンネルログ: 未収集');
  else if (logLines === 0)
    add('tunnel logs: no lines in the queried window', 'トンネルログ: 照会期間に行がありません');
  else if (logSignals === 0)
    add(
      `tunnel logs: ${logLines} line${logLines === 1 ? '' : 's'}, none names a cause`,
      `トンネルログ: ${logLines} 行中に原因を示す行はありません`,
    );
  if (ev.logs && !ev.logs.complete) add('tunnel logs: incomplete', 'トンネルログ: 不完全');
  for (const e of ev.errors) add(e, e);
  return { en, ja };
}
