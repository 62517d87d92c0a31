// English and Japanese UI strings of every report format (text, Markdown, HTML), in one table.
// Finding titles, evidence and remediation come translated from the rules (Finding.text).
//
// Japanese glossary: one term per concept, as Alibaba Cloud's Japanese IPsec-VPN page writes them.
// Rules (rules/*.yaml), fact texts (src/diagnose/facts) and these strings use the same words;
// test/report/japanese.test.ts checks that no English is left.
//   primary / standby tunnel   プライマリトンネル / スタンバイトンネル (roles: プライマリ / スタンバイ)
//   VPN gateway                VPN ゲートウェイ
//   customer gateway           カスタマーゲートウェイ
//   on-prem (gateway) device   オンプレミス(ゲートウェイ)デバイス; the device's side: デバイス側
//   pre-shared key             事前共有鍵
//   negotiation, phase 1/2     ネゴシエーション, フェーズ 1 / フェーズ 2
//   status (negotiation)       ステータス
//   established / down         確立 / 切断 (a tunnel); connection down: 接続断
//   failover / failback        フェールオーバー / フェールバック
//   finding                    検出事項
//   evidence                   根拠
//   remediation                対処方法
//   peer                       ピア (Alibaba's side: Alibaba 側, the peer's: ピア側)
//   tunnel CIDR block          トンネル CIDR ブロック; local BGP IP address: ローカル BGP IP アドレス
//   route table, routing mode  ルートテーブル, ルーティングモード
//   security group, network ACL セキュリティグループ, ネットワーク ACL
//   EffectImmediately          今すぐ有効化
//   IKE probe                  IKE プローブ
import type { EventKind } from '../model/events.js';
import type { Lang, Layer, LayerState, Severity } from '../model/finding.js';
import type { ReportStatus } from './schema.js';

const STRINGS = {
  title: { en: 'IPsec-VPN connection report', ja: 'IPsec-VPN 接続レポート' },
  generatedAt: { en: 'Generated', ja: '生成日時' },
  overall: { en: 'Overall status', ja: '全体の状態' },
  connections: { en: 'Connections', ja: '接続' },
  connectionsCount: { en: '{n} connections', ja: '{n} 件の接続' },
  connectionsCountOne: { en: '{n} connection', ja: '{n} 件の接続' },
  noConnections: { en: 'No connections match.', ja: '該当する接続はありません。' },
  noConnectionsUnread: {
    en: 'No connections to show: {n} account/region pairs could not be collected (see above), so nothing is known about them.',
    ja: '表示できる接続はありません: {n} 件のアカウント/リージョンを収集できなかったため (上記を参照)、その状態は不明です。',
  },
  noConnectionsUnreadOne: {
    en: 'No connections to show: {n} account/region pair could not be collected (see above), so nothing is known about it.',
    ja: '表示できる接続はありません: {n} 件のアカウント/リージョンを収集できなかったため (上記を参照)、その状態は不明です。',
  },
  connection: { en: 'Connection', ja: '接続' },
  connectionNotFound: {
    en: 'connection {id} was not found in any configured account or region (searched {where}); check the id, or add its account and region to the config',
    ja: '接続 {id} は、設定されたどのアカウント/リージョンにも見つかりませんでした (検索対象: {where})。ID を確認するか、そのアカウントとリージョンを設定に追加してください',
  },
  accountRegion: { en: 'Account / region', ja: 'アカウント / リージョン' },
  account: { en: 'Account', ja: 'アカウント' },
  region: { en: 'Region', ja: 'リージョン' },
  gateway: { en: 'VPN gateway', ja: 'VPN ゲートウェイ' },
  status: { en: 'Status', ja: '状態' },
  tunnel: { en: 'Tunnel', ja: 'トンネル' },
  tunnels: { en: 'Tunnels', ja: 'トンネル' },
  zone: { en: 'Zone', ja: 'ゾーン' },
  tunnelIp: { en: 'Gateway IP', ja: 'ゲートウェイ IP' },
  customerGatewayIp: { en: 'Customer gateway IP', ja: 'カスタマーゲートウェイ IP' },
  negotiation: { en: 'Negotiation', ja: 'ネゴシエーション' },
  carriesTraffic: { en: 'carries traffic', ja: '通信中' },
  activeTunnel: { en: 'Active tunnel', ja: 'アクティブなトンネル' },
  noActiveTunnel: { en: 'No tunnel carries traffic', ja: '通信できるトンネルがありません' },
  onStandby: {
    en: 'Failed over: traffic runs on the standby tunnel',
    ja: 'フェールオーバー中: スタンバイトンネルで通信しています',
  },
  up: { en: 'up', ja: '確立' },
  down: { en: 'down', ja: '切断' },
  findings: { en: 'Findings', ja: '検出事項' },
  openFindings: { en: 'Open findings', ja: '未解決の検出事項' },
  noFindings: { en: 'No open findings.', ja: '未解決の検出事項はありません。' },
  evidence: { en: 'Evidence', ja: '根拠' },
  remediation: { en: 'Remediation', ja: '対処方法' },
  runbook: { en: 'Runbook', ja: 'ランブック' },
  rule: { en: 'Rule', ja: 'ルール' },
  layer: { en: 'Layer', ja: 'レイヤー' },
  severity: { en: 'Severity', ja: '重大度' },
  errors: { en: 'Regions that could not be collected', ja: '収集できなかったリージョン' },
  ladder: { en: 'Layer ladder', ja: 'レイヤー診断' },
  firstFailingLayer: { en: 'Fix first', ja: '最初に直す箇所' },
  bothSides: { en: 'Both sides', ja: '両側の設定' },
  device: { en: 'device', ja: 'デバイス' },
  noIkeSa: { en: 'no IKE SA', ja: 'IKE SA なし' },
  sideField: { en: 'Field', ja: '項目' },
  alibabaSays: { en: 'Alibaba says', ja: 'Alibaba 側' },
  deviceSays: { en: 'The device says', ja: 'デバイス側' },
  sidesAgree: { en: 'agree', ja: '一致' },
  sidesDiffer: { en: 'differ', ja: '不一致' },
  sidesUnknown: { en: 'unknown', ja: '不明' },
  lastFailover: { en: 'Last failover', ja: '最終フェールオーバー' },
  never: { en: 'never', ja: 'なし' },
  unknownValue: { en: 'unknown', ja: '不明' },
  timeline: { en: 'Timeline', ja: 'イベント履歴' },
  noEvents: { en: 'No events recorded.', ja: '記録されたイベントはありません。' },
  traffic: { en: 'Traffic (last {h} h)', ja: 'トラフィック (直近 {h} 時間)' },
  noTraffic: { en: 'No traffic data.', ja: 'トラフィックのデータがありません。' },
  receive: { en: 'Receive', ja: '受信' },
  transmit: { en: 'Transmit', ja: '送信' },
  copyMarkdown: { en: 'Copy as Markdown', ja: 'Markdown でコピー' },
  copied: { en: 'Copied', ja: 'コピーしました' },
  autoRefresh: { en: 'Auto-refresh', ja: '自動更新' },
  print: { en: 'Print', ja: '印刷' },
  diagnoseNow: { en: 'Diagnose now', ja: '今すぐ診断' },
  all: { en: 'All', ja: 'すべて' },
  filter: { en: 'Filter', ja: '絞り込み' },
  back: { en: 'All connections', ja: '接続一覧へ' },
  notFound: { en: 'Connection not found', ja: '接続が見つかりません' },
  unauthorized: { en: 'Sign in with the access token', ja: 'アクセストークンでサインインしてください' },
  signIn: { en: 'Sign in', ja: 'サインイン' },
  token: { en: 'Access token', ja: 'アクセストークン' },
  signInWrong: {
    en: 'Sign-in failed: this access token was not accepted. Check it against server.authToken in the daemon’s config (usually set from ALIVPN_TOKEN) and try again.',
    ja: 'サインインできませんでした: このアクセストークンは受け付けられませんでした。デーモンの設定の server.authToken（通常は ALIVPN_TOKEN から設定）と照らし合わせて、もう一度お試しください。',
  },
  signInLimited: {
    en: 'Too many failed sign-ins from this address. Wait {s} seconds, then try again.',
    ja: 'このアドレスからのサインイン失敗が多すぎます。{s} 秒待ってから、もう一度お試しください。',
  },
  asLogged: {
    en: 'As Alibaba logged it (UTC+8, no zone)',
    ja: 'Alibaba のログの原文 (UTC+8、タイムゾーン表記なし)',
  },
  // Last-known state of a region that cannot be read (src/report/as-of.ts).
  lastKnown: { en: 'last known', ja: '最終確認値' },
  asOf: { en: 'as of {time}, {age} ago', ja: '{time} 時点、{age}前' },
  lastKnownAsOf: { en: 'last known, {asOf}', ja: '最終確認値 ({asOf})' },
  ageSeconds: { en: '{n} s', ja: '{n} 秒' },
  ageMinutes: { en: '{n} min', ja: '{n} 分' },
  ageHours: { en: '{n} h', ja: '{n} 時間' },
  ageDays: { en: '{n} d', ja: '{n} 日' },
  lastKnownState: {
    en: 'Last known state, {asOf}: {where} could not be read since. Nothing here is current.',
    ja: '最終確認値 ({asOf}): {where} はその後読み取れていません。ここに表示している状態は現在のものではありません。',
  },
  findingsUnknownUnread: {
    en: 'Unknown: {where} could not be read, so whether anything is wrong now is not known.',
    ja: '不明: {where} を読み取れないため、現在の検出事項は分かりません。',
  },
  sameAsAbove: { en: '↑ same as above', ja: '↑ 上と同じ' },
  findingsUnknown: {
    en: 'Unknown: the diagnosis of this connection is not complete yet.',
    ja: '不明: この接続の診断はまだ完了していません。',
  },
  // "Diagnose now" (the page says these, not the API's English message).
  diagnoseLimited: {
    en: 'Too many diagnoses of this connection: wait a minute, then try again.',
    ja: 'この接続の診断要求が多すぎます。1 分待ってから、もう一度お試しください。',
  },
  diagnoseGone: {
    en: 'This connection is no longer listed: reload the page.',
    ja: 'この接続は一覧にありません。ページを再読み込みしてください。',
  },
  diagnoseFailed: {
    en: 'Collecting evidence failed; see the daemon log.',
    ja: '根拠を収集できませんでした。デーモンのログを確認してください。',
  },
  diagnoseSignIn: {
    en: 'The sign-in has expired: reload the page and sign in again.',
    ja: 'サインインの有効期限が切れました。ページを再読み込みして、もう一度サインインしてください。',
  },
  diagnoseUnreachable: {
    en: 'The daemon did not answer; check that it is running.',
    ja: 'デーモンから応答がありません。起動しているか確認してください。',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof STRINGS;

/** A UI string with `{name}` placeholders filled in. */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  // "1 connection", not "1 connections": a key may have a singular twin `<key>One`.
  const one = `${key}One`;
  if (vars.n === 1 && one in STRINGS) key = one as MessageKey;
  return STRINGS[key][lang].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

const STATUS_NAMES: Record<ReportStatus, Record<Lang, string>> = {
  ok: { en: 'OK', ja: '正常' },
  warning: { en: 'Warning', ja: '警告' },
  critical: { en: 'Critical', ja: '重大' },
  unknown: { en: 'Unknown', ja: '不明' },
};
const SEVERITY_NAMES: Record<Severity, Record<Lang, string>> = {
  critical: { en: 'Critical', ja: '重大' },
  warning: { en: 'Warning', ja: '警告' },
  info: { en: 'Info', ja: '情報' },
};
const ROLE_NAMES: Record<'primary' | 'standby', Record<Lang, string>> = {
  primary: { en: 'primary', ja: 'プライマリ' },
  standby: { en: 'standby', ja: 'スタンバイ' },
};
const LAYER_NAMES: Record<Layer, Record<Lang, string>> = {
  reachability: { en: 'Reachability', ja: '到達性' },
  ike: { en: 'IKE (phase 1)', ja: 'IKE (フェーズ 1)' },
  ipsec: { en: 'IPsec (phase 2)', ja: 'IPsec (フェーズ 2)' },
  bgp: { en: 'BGP', ja: 'BGP' },
  routing: { en: 'Routing', ja: 'ルーティング' },
  filtering: { en: 'Filtering', ja: 'フィルタリング' },
  redundancy: { en: 'Redundancy', ja: '冗長性' },
  config: { en: 'Configuration', ja: '設定' },
};
const LAYER_STATE_NAMES: Record<LayerState, Record<Lang, string>> = {
  ok: { en: 'OK', ja: '正常' },
  fail: { en: 'FAIL', ja: '異常' },
  unknown: { en: 'unknown', ja: '不明' },
};
const EVENT_NAMES: Record<EventKind, Record<Lang, string>> = {
  tunnel_down: { en: 'Tunnel down', ja: 'トンネル切断' },
  tunnel_up: { en: 'Tunnel up', ja: 'トンネル確立' },
  tunnel_status_changed: { en: 'Tunnel status changed', ja: 'トンネルの状態変化' },
  failover: { en: 'FAILOVER to standby tunnel', ja: 'スタンバイトンネルへフェールオーバー' },
  failback: { en: 'FAILBACK to primary tunnel', ja: 'プライマリトンネルへフェールバック' },
  connection_down: { en: 'Connection down', ja: '接続断' },
  connection_up: { en: 'Connection restored', ja: '接続回復' },
  connection_removed: { en: 'Connection removed', ja: '接続削除' },
  flapping: { en: 'Tunnel flapping', ja: 'トンネルのフラッピング' },
  config_change: { en: 'Configuration changed', ja: '設定変更' },
  finding_opened: { en: 'Finding opened', ja: '検出事項が発生' },
  finding_resolved: { en: 'Finding resolved', ja: '検出事項が解消' },
};

export const statusName = (lang: Lang, s: ReportStatus): string => STATUS_NAMES[s][lang];
export const severityName = (lang: Lang, s: Severity): string => SEVERITY_NAMES[s][lang];
export const roleName = (lang: Lang, r: 'primary' | 'standby'): string => ROLE_NAMES[r][lang];
export const layerName = (lang: Lang, l: Layer): string => LAYER_NAMES[l]?.[lang] ?? l;
export const layerStateName = (lang: Lang, s: LayerState): string => LAYER_STATE_NAMES[s][lang];
export const eventName = (lang: Lang, k: EventKind): string => EVENT_NAMES[k]?.[lang] ?? k;

/** Human-readable bit rate, e.g. "1.2 Mbit/s"; the unit is the same in both languages. */
export function formatBps(bps: number | null | undefined, lang: Lang): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return t(lang, 'unknownValue');
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'];
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** What an empty connection list means: nothing matches, or nothing could be read (never the same). */
export function emptyFleetText(report: { errors: readonly unknown[] }, lang: Lang): string {
  return report.errors.length > 0
    ? t(lang, 'noConnectionsUnread', { n: report.errors.length })
    : t(lang, 'noConnections');
}
