// Japanese of the shipped causes' evidence labels (LogPatternDef.label, the classifier's own labels)
// and code notes (ReasonCodeDef.note), keyed by the English. test/diagnose/labels-ja.test.ts checks
// that every shipped label and note has one. A user cause's label (causes/<id>.yaml) stays as written.

const LABELS: Record<string, string> = {
  'peer identity mismatch': 'ピアの ID の不一致',
  'decryption/MAC failure': '復号/MAC の失敗',
  'main/aggressive mode mismatch': 'メインモード/アグレッシブモードの不一致',
  'traffic selectors unacceptable': 'トラフィックセレクタを受け付けない',
  retransmits: '再送',
  'no answer (timeout)': '応答なし (タイムアウト)',
  'encryption algorithm rejected': '暗号化アルゴリズムの拒否',
  'authentication algorithm rejected': '認証アルゴリズムの拒否',
  'IKE version mismatch': 'IKE バージョンの不一致',
  'DPD: peer dead': 'DPD: ピアの応答停止',
  'transport/tunnel mode mismatch': 'トランスポートモード/トンネルモードの不一致',
  'the other side chose no proposal (algorithms, DH group or IKE version)':
    '相手側がどの提案も選択しなかった (アルゴリズム、DH グループ、IKE バージョン)',
  'the kernel refused the IPsec SA': 'カーネルが IPsec SA を拒否',
  'pre-shared secrets mismatch': '事前共有鍵の不一致',
  'phase 2 waited for phase 1': 'フェーズ 2 がフェーズ 1 を待機',
  'phase 2 unanswered': 'フェーズ 2 への応答なし',
  'peer sent DELETE': 'ピアが DELETE を送信',
  'no proposal chosen': '提案が選択されなかった',
  'no acceptable key exchange method': '受け付け可能な鍵交換方式がない',
  'no KE payload (PFS off on one side)': 'KE ペイロードなし (片側のみ PFS 無効)',
  'no IKE config for this IKE version and these addresses (IKE version or customer gateway IP)':
    'この IKE バージョンとアドレスに一致する IKE 設定がない (IKE バージョンまたはカスタマーゲートウェイ IP)',
  'message parsing failed': 'メッセージの解析に失敗',
  'lifetime differs': 'ライフタイムの不一致',
  'incompatible algorithms': 'アルゴリズムの互換性なし',
  'generic authentication failure (PSK, IDs or mode)': '認証の失敗 (事前共有鍵、ID、またはモード)',
  'gave up retransmitting': '再送を中止',
  UNSUPPORTED_CRITICAL_PAYLOAD: 'UNSUPPORTED_CRITICAL_PAYLOAD',
  'PFS group mismatched': 'PFS グループの不一致',
  'NAT-T payload unexpected': '予期しない NAT-T ペイロード',
  'KE type differs': 'KE タイプの不一致',
  INVALID_KE_PAYLOAD: 'INVALID_KE_PAYLOAD',
  'IKEv1 commit bit set by the peer': 'ピアが IKEv1 のコミットビットを設定',
  'HASH mismatched': 'HASH の不一致',
  'DPD notify without hash payload': 'ハッシュペイロードのない DPD 通知',
  'DH group rejected': 'DH グループの拒否',
  'DH computation failed': 'DH 計算の失敗',
  'AH/ESP protocol mismatch': 'AH/ESP プロトコルの不一致',
  // The classifier's own labels (facts/log-classifier.ts).
  'proposals differ in DH group': '提案の DH グループが異なる',
  'PFS on one side only': '片側のみ PFS 有効',
  'DPD request unanswered': 'DPD 要求への応答なし',
};

const NOTES: Record<string, string> = {
  'the peer sends DPD notifications without a hash payload; Alibaba Cloud expects hash-notify order':
    'ピアがハッシュペイロードのない DPD 通知を送信しています。Alibaba Cloud はハッシュ通知の順序を想定しています',
  'the peer proposes AH; Alibaba Cloud supports only ESP':
    'ピアが AH を提案しています。Alibaba Cloud は ESP のみをサポートします',
  'the peer proposes transport mode; Alibaba Cloud supports only tunnel mode':
    'ピアがトランスポートモードを提案しています。Alibaba Cloud はトンネルモードのみをサポートします',
  'the peer sets the IKEv1 commit bit, which Alibaba Cloud does not support':
    'ピアが IKEv1 のコミットビットを設定しています。Alibaba Cloud はこれをサポートしていません',
  'phase 2 got no reply: usually IPsec settings or NAT traversal differ':
    'フェーズ 2 に応答がありません。通常は IPsec 設定または NAT トラバーサルの設定が異なります',
};

const SUFFIXES: [string, string][] = [
  [' after the peer had answered', ' (ピアの応答後)'],
  ['; the peer answered', '。ピアは応答しています'],
];

/** The Japanese of an evidence label (a label without one, e.g. a user cause's, as written). */
export function labelJa(label: string): string {
  if (!label) return label;
  for (const [en, ja] of SUFFIXES)
    if (label.endsWith(en)) return `${labelJa(label.slice(0, -en.length))}${ja}`;
  return LABELS[label] ?? label;
}

/** The Japanese of a code note (a note without one as written). */
export const noteJa = (note: string): string => (note ? (NOTES[note] ?? note) : note);

/** Labels and notes with a translation (for the test that every shipped one has one). */
export const TRANSLATED = { labels: new Set(Object.keys(LABELS)), notes: new Set(Object.keys(NOTES)) };
