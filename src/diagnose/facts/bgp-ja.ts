// The Japanese of the BGP facts' problem texts (facts/bgp.ts writes them in English, one shape each).
// A text of another shape (a parse error of a CIDR or IP) stays as written.
import { jaList } from './localized.js';

const SHAPES: [RegExp, string][] = [
  [/^no tunnel CIDR is configured$/, 'トンネル CIDR ブロックが設定されていません'],
  [
    /^(\S+) is a \/(\d+); the tunnel CIDR must be a \/30$/,
    '$1 は /$2 です。トンネル CIDR ブロックは /30 である必要があります',
  ],
  [/^(\S+) is not inside 169\.254\.0\.0\/16$/, '$1 は 169.254.0.0/16 内にありません'],
  [/^(\S+) overlaps the reserved block (.+)$/, '$1 は予約済みのブロック $2 と重複しています'],
  [/^no local BGP IP is configured$/, 'ローカル BGP IP アドレスが設定されていません'],
  [
    /^local BGP IP (\S+) is outside the tunnel CIDR (\S+)$/,
    'ローカル BGP IP アドレス $1 はトンネル CIDR ブロック $2 の範囲外です',
  ],
  [
    /^local BGP IP (\S+) is the network address of (\S+)$/,
    'ローカル BGP IP アドレス $1 は $2 のネットワークアドレスです',
  ],
  [
    /^local BGP IP (\S+) is the broadcast address of (\S+)$/,
    'ローカル BGP IP アドレス $1 は $2 のブロードキャストアドレスです',
  ],
  [/^local ASN (\S+) is outside (.+)$/, 'ローカル ASN $1 は有効値 $2 の範囲外です'],
  [
    /^ASN of customer gateway (\S+) (\S+) is outside (.+)$/,
    'カスタマーゲートウェイ $1 の ASN $2 は有効値 $3 の範囲外です',
  ],
  [/^customer gateway (\S+) has no ASN$/, 'カスタマーゲートウェイ $1 に ASN が設定されていません'],
  [/^tunnel CIDR (\S+) is also used by (.+)$/, 'トンネル CIDR ブロック $1 は $2 でも使用されています'],
  [/^(\S+) of (\S+) \((.+)\)$/, '$2 の $1 ($3)'],
];

export function bgpTextJa(en: string): string {
  for (const [re, ja] of SHAPES) if (re.test(en)) return en.replace(re, ja);
  return en;
}

/** A list of BGP problem texts that renders in Japanese too. */
export const bgpList = (en: string[]): string[] => jaList(en, en.map(bgpTextJa));
