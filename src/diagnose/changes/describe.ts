// One-line descriptions of configuration changes, in English and Japanese: "tunnel 1 DH group
// group14 → group2". Used by findings ("changed 2 min before the failure: …") and the timeline.
import type { ChangeKind, ConfigChangeDetail, FieldChange, VpnEvent } from '../../model/events.js';
import type { Lang } from '../../model/finding.js';

const KIND_NAMES: Record<ChangeKind, Record<Lang, string>> = {
  'tunnel-ike': { en: 'IKE', ja: 'IKE' },
  'tunnel-ipsec': { en: 'IPsec', ja: 'IPsec' },
  'tunnel-bgp': { en: 'BGP', ja: 'BGP' },
  psk: { en: 'pre-shared key', ja: '事前共有鍵' },
  'customer-gateway': { en: 'customer gateway', ja: 'カスタマーゲートウェイ' },
  connection: { en: 'connection', ja: '接続' },
  'vpn-route': { en: 'VPN gateway routes', ja: 'VPN ゲートウェイのルート' },
  'route-table': { en: 'route table', ja: 'ルートテーブル' },
  'security-group': { en: 'security group', ja: 'セキュリティグループ' },
  'network-acl': { en: 'network ACL', ja: 'ネットワーク ACL' },
  'vpn-gateway': { en: 'VPN gateway', ja: 'VPN ゲートウェイ' },
};

const FIELD_NAMES: Record<string, Record<Lang, string>> = {
  version: { en: 'version', ja: 'バージョン' },
  mode: { en: 'mode', ja: 'モード' },
  encAlg: { en: 'encryption', ja: '暗号化アルゴリズム' },
  authAlg: { en: 'integrity', ja: '認証アルゴリズム' },
  dhGroup: { en: 'DH group', ja: 'DH グループ' },
  pfs: { en: 'PFS group', ja: 'PFS グループ' },
  lifetimeSeconds: { en: 'lifetime (s)', ja: 'ライフタイム (秒)' },
  localId: { en: 'local ID', ja: 'ローカル ID' },
  remoteId: { en: 'remote ID', ja: 'リモート ID' },
  enableDpd: { en: 'DPD', ja: 'DPD' },
  enableNatTraversal: { en: 'NAT traversal', ja: 'NAT トラバーサル' },
  pskFingerprint: { en: 'fingerprint', ja: 'フィンガープリント' },
  customerGatewayId: { en: 'customer gateway', ja: 'カスタマーゲートウェイ' },
  ip: { en: 'IP', ja: 'IP' },
  asn: { en: 'ASN', ja: 'ASN' },
  enabled: { en: 'enabled', ja: '有効' },
  localAsn: { en: 'local ASN', ja: 'ローカル ASN' },
  peerAsn: { en: 'peer ASN', ja: 'ピア ASN' },
  localBgpIp: { en: 'local BGP IP', ja: 'ローカル BGP IP' },
  peerBgpIp: { en: 'peer BGP IP', ja: 'ピア BGP IP' },
  tunnelCidr: { en: 'tunnel CIDR', ja: 'トンネル CIDR' },
  effectImmediately: { en: 'EffectImmediately', ja: 'EffectImmediately' },
  routingMode: { en: 'routing mode', ja: 'ルーティングモード' },
  localSubnets: { en: 'local subnets', ja: 'ローカルサブネット' },
  remoteSubnets: { en: 'remote subnets', ja: 'リモートサブネット' },
  enableTunnelsBgp: { en: 'tunnel BGP', ja: 'トンネル BGP' },
  status: { en: 'status', ja: 'ステータス' },
  businessStatus: { en: 'business status', ja: '課金ステータス' },
  spec: { en: 'specification', ja: 'スペック' },
  enableBgp: { en: 'BGP', ja: 'BGP' },
};

const ADDED: Record<Lang, string> = { en: 'added', ja: '追加' };
const REMOVED: Record<Lang, string> = { en: 'removed', ja: '削除' };

function value(v: unknown, lang: Lang): string {
  if (v === null || v === undefined || v === '') return lang === 'ja' ? '(なし)' : '(none)';
  if (Array.isArray(v)) return v.length === 0 ? value(null, lang) : v.join(', ');
  return String(v);
}

function describeField(c: FieldChange, lang: Lang): string {
  // A list item (route, rule, entry) added or removed carries its description as the value.
  if (c.before === null && c.after !== null && !(c.field in FIELD_NAMES))
    return `${c.field} ${ADDED[lang]}: ${value(c.after, lang)}`;
  if (c.after === null && c.before !== null && !(c.field in FIELD_NAMES))
    return `${c.field} ${REMOVED[lang]}: ${value(c.before, lang)}`;
  const name = FIELD_NAMES[c.field]?.[lang] ?? c.field;
  return `${name} ${value(c.before, lang)} → ${value(c.after, lang)}`;
}

export function changeDetail(e: VpnEvent): ConfigChangeDetail | null {
  if (e.kind !== 'config_change') return null;
  const d = e.detail as Partial<ConfigChangeDetail>;
  return d && typeof d.kind === 'string' && Array.isArray(d.changes) ? (d as ConfigChangeDetail) : null;
}

/**
 * "tunnel 1 IKE: DH group group14 → group2" — `tunnelIndex` names a tunnel by its number when
 * the caller knows it (the subject id otherwise).
 */
export function describeChange(
  e: VpnEvent,
  lang: Lang,
  tunnelIndex?: (tunnelId: string) => number | undefined,
): string {
  const d = changeDetail(e);
  if (!d) return '';
  const index = e.tunnelId ? tunnelIndex?.(e.tunnelId) : undefined;
  const where =
    index !== undefined
      ? lang === 'ja'
        ? `トンネル ${index} の${KIND_NAMES[d.kind][lang]}`
        : `tunnel ${index} ${KIND_NAMES[d.kind][lang]}`
      : `${KIND_NAMES[d.kind]?.[lang] ?? d.kind} ${d.subject}`;
  const shown = d.changes.slice(0, 4).map((c) => describeField(c, lang));
  const more = d.changes.length - shown.length;
  const tail = more > 0 ? (lang === 'ja' ? ` ほか ${more} 件` : ` and ${more} more`) : '';
  return `${where}: ${shown.join('; ')}${tail}`;
}

/** "2 min" / "2 分": how long before the failure a change came. */
export function minutesBefore(ms: number, lang: Lang): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes === 0) {
    const s = Math.max(0, Math.round(ms / 1000));
    return lang === 'ja' ? `${s} 秒` : `${s} s`;
  }
  return lang === 'ja' ? `${minutes} 分` : `${minutes} min`;
}
