// The fields of the two-sided comparison (src/peer/diff.ts) as people read them, and the Japanese of
// the few values the comparison writes in words. One table for the findings and the report.

export const PEER_FIELD_JA: Record<string, string> = {
  'ike-version': 'IKE バージョン',
  'ike-mode': 'IKE ネゴシエーションモード',
  'ike-encryption': 'IKE 暗号化アルゴリズム',
  'ike-integrity': 'IKE 認証アルゴリズム',
  'ike-dh-group': 'IKE DH グループ',
  'ike-lifetime': 'IKE ライフタイム',
  'local-id': 'デバイス側 ID',
  'remote-id': 'Alibaba 側 ID',
  psk: '事前共有鍵 (SHA-256 指紋)',
  'esp-encryption': 'IPsec 暗号化アルゴリズム',
  'esp-integrity': 'IPsec 認証アルゴリズム',
  pfs: 'PFS グループ',
  'ipsec-lifetime': 'IPsec ライフタイム',
  'local-ts': 'デバイス側トラフィックセレクタ',
  'remote-ts': 'Alibaba 側トラフィックセレクタ',
  dpd: 'DPD',
  'nat-traversal': 'NAT トラバーサル',
};

const VALUE_JA: Record<string, string> = {
  on: 'オン',
  off: 'オフ',
  disabled: '無効',
  any: '任意',
  'needed (device behind NAT)': '必要 (デバイスが NAT の内側)',
  'not needed': '不要',
};

/** A compared field's name in the given language (English: the field id). */
export const peerFieldName = (field: string, lang: 'en' | 'ja'): string =>
  lang === 'ja' ? (PEER_FIELD_JA[field] ?? field) : field;

/** A compared value in the given language (algorithm names, ids and CIDRs stay as they are). */
export const peerValue = (value: string, lang: 'en' | 'ja'): string =>
  lang === 'ja' ? (VALUE_JA[value] ?? value) : value;
