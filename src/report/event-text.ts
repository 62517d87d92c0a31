// What an event's detail says, for people, in their language: the facts of the timeline
// (`from`, `role`, `severity` …) and the evidence captured with it (Alibaba's diagnosis rows).
// English keeps the detail's own keys (`from=…`), as the API's `detail` spells them; Japanese names
// each one and translates the values that are ours (roles, severities, layers, phases).

import { describeChange } from '../diagnose/changes/describe.js';
import { RULE_LAYERS, SEVERITIES } from '../diagnose/rule-schema.js';
import type { VpnEvent } from '../model/events.js';
import type { Lang, Layer, Severity } from '../model/finding.js';
import { eventEvidence, eventEvidenceQuotes, eventFacts, formatTime } from './format.js';
import { eventName, layerName, roleName, severityName } from './i18n.js';

const FACT_LABELS_JA: Record<string, string> = {
  from: '変更前',
  to: '変更後',
  role: 'ロール',
  phase: '到達したフェーズ',
  fromTunnelId: '切り替え元',
  toTunnelId: '切り替え先',
  rule: 'ルール',
  severity: '重大度',
  layer: 'レイヤー',
  stateChanges: 'ステータスの変化',
  windowMs: '期間 (ms)',
  threshold: 'しきい値',
  name: '名前',
  diagnosisCapturedAt: '原因の取得日時',
  lastSeenUpAt: '最後に確立を確認した日時',
  sampledEveryMs: 'サンプリング間隔 (ms)',
  gapAtMostMs: '通信断の最大時間 (ms)',
  onStandbyMs: 'スタンバイトンネルでの通信時間 (ms)',
  downForMs: '接続断の時間 (ms)',
};

const PHASE_JA: Record<string, string> = {
  none: 'なし (フェーズ 1 未確立)',
  phase1: 'フェーズ 1',
  unknown: '不明',
};

const SEVERITY_NAMES: ReadonlySet<string> = new Set(SEVERITIES);
const LAYER_NAMES: ReadonlySet<string> = new Set(RULE_LAYERS);

function valueJa(key: string, value: string): string {
  switch (key) {
    case 'role':
      return value === 'master'
        ? roleName('ja', 'primary')
        : value === 'slave'
          ? roleName('ja', 'standby')
          : value;
    case 'severity':
      return SEVERITY_NAMES.has(value) ? severityName('ja', value as Severity) : value;
    case 'layer':
      return LAYER_NAMES.has(value) ? layerName('ja', value as Layer) : value;
    case 'phase':
      return PHASE_JA[value] ?? value;
    case 'diagnosisCapturedAt':
      return formatTime(Number(value)) || value;
    default:
      return value;
  }
}

/** The event's facts as [label, value] pairs in the given language. */
export function eventFactsIn(e: VpnEvent, lang: Lang): Array<[string, string]> {
  const facts = eventFacts(e);
  if (lang === 'en') return facts;
  return facts.map(([k, v]) => [FACT_LABELS_JA[k] ?? k, valueJa(k, v)]);
}

/** One line of facts: "from=…, to=…" in English, "変更前: …、変更後: …" in Japanese. */
export function eventFactsLine(e: VpnEvent, lang: Lang): string {
  const facts = eventFactsIn(e, lang);
  return lang === 'en'
    ? facts.map(([k, v]) => `${k}=${v}`).join(', ')
    : facts.map(([k, v]) => `${k}: ${v}`).join('、');
}

const EVIDENCE_KEYS_JA: [RegExp, string][] = [
  [/(^|, )code: /g, '$1コード: '],
  [/(^|, )reason: /g, '$1理由: '],
  [/(^|, )local: /g, '$1Alibaba 側: '],
  [/(^|, )remote: /g, '$1ピア側: '],
  [/(^|, )log: /g, '$1ログ: '],
];

/**
 * The evidence captured with the event: log lines as they were logged (times in UTC), diagnosis
 * rows (`code: …, reason: …`) with their field names in the given language; `raw` as captured.
 */
export function eventEvidenceQuotesIn(e: VpnEvent, lang: Lang): Array<{ text: string; raw: string }> {
  const quotes = eventEvidenceQuotes(e);
  if (lang === 'en') return quotes;
  const rows = new Set(diagnosisRows(e));
  // The field names are ours (the row flattened), not Alibaba's: translated in the raw quote too.
  const keysJa = (line: string) => EVIDENCE_KEYS_JA.reduce((s, [re, ja]) => s.replace(re, ja), line);
  return quotes.map((q) => (rows.has(q.text) ? { text: keysJa(q.text), raw: keysJa(q.raw) } : q));
}

/** The evidence lines of eventEvidenceQuotesIn. */
export const eventEvidenceIn = (e: VpnEvent, lang: Lang): string[] =>
  eventEvidenceQuotesIn(e, lang).map((q) => q.text);

/** The flattened diagnosis rows of the event (the lines eventEvidence made from objects). */
function diagnosisRows(e: VpnEvent): string[] {
  const rows = (e.detail as { diagnosis?: unknown }).diagnosis;
  if (!Array.isArray(rows)) return [];
  return eventEvidence({ ...e, detail: { diagnosis: rows } });
}

/** One line: "Tunnel down tun-… (from=ipsec_sa_established, to=ike_sa_not_established)". */
export function describeEvent(e: VpnEvent, lang: Lang): string {
  if (e.kind === 'config_change') return `${eventName(lang, e.kind)}: ${describeChange(e, lang)}`;
  const facts = eventFactsLine(e, lang);
  const tunnel = e.tunnelId ? ` ${e.tunnelId}` : '';
  return `${eventName(lang, e.kind)}${tunnel}${facts ? ` (${facts})` : ''}`;
}
