// A collection error as the report shows it. The message itself (built by src/cloud/explain.ts from
// Alibaba's answer: action, error code, Alibaba's own text, request id, endpoint) is quoted as it is,
// since that is what a search or a support ticket needs; a Japanese reader gets a sentence in
// Japanese before it saying what kind of failure it is and what to check.
import type { Lang } from '../model/finding.js';
import type { ReportError } from './schema.js';

const KINDS_JA: [RegExp, string][] = [
  [
    /not called: backing off/,
    'Alibaba Cloud のフロー制御のため、待機中で API を呼び出していません (待機が終わると再開します)',
  ],
  [
    /Throttling|flow control/i,
    'Alibaba Cloud のフロー制御 (スロットリング) により API 呼び出しが拒否されました',
  ],
  [
    /InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|check the AccessKey/,
    '認証に失敗しました。アカウントの AccessKey または STS トークンを確認してください',
  ],
  [
    /Forbidden|NoPermission|check the RAM policy/,
    '権限がありません。アカウントの RAM ポリシーを確認してください',
  ],
  [
    /^proxy .* on the way to/,
    'プロキシに接続できませんでした。プロキシが動作しているか、このホストから接続できるか (HTTPS_PROXY / HTTP_PROXY または api.proxy.url) を確認するか、NO_PROXY / api.proxy.noProxy でエンドポイントに直接接続してください',
  ],
  [
    /no complete answer|timed out|Timeout/i,
    'API エンドポイントから時間内に応答がありませんでした。エンドポイントとこのホストからの接続 (TCP 443 の送信許可、または途中のプロキシ) を確認し、応答が遅いだけなら api.readTimeoutMs を大きくしてください',
  ],
  [
    /at the socket|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT/,
    'API エンドポイントに接続できませんでした。エンドポイント (accounts[].endpoint / endpoints、またはリージョン) と、このホストから接続できるか (TCP 443 の送信許可、または途中のプロキシ。接続先ホストは docs/real-account.md) を確認してください',
  ],
  [
    /not the API's JSON|not JSON/,
    'API エンドポイントの応答を読み取れませんでした。エンドポイントが Alibaba Cloud の API であり、Web ページやプロキシのエラーページではないことを確認してください',
  ],
];

/** What kind of failure a collection error is, in Japanese. */
export function errorSummaryJa(message: string): string {
  for (const [re, ja] of KINDS_JA) if (re.test(message)) return ja;
  return 'Alibaba Cloud API の呼び出しに失敗しました';
}

/** "account / region: message" (English) or "account / region: 要約。原文: message" (Japanese). */
export function errorParts(e: ReportError, lang: Lang): { lead: string; quote: string } {
  if (lang === 'en') return { lead: `${e.account} / ${e.region}: `, quote: e.message };
  return {
    lead: `${e.account} / ${e.region}: ${errorSummaryJa(e.message)}。API の応答 (原文): `,
    quote: e.message,
  };
}
