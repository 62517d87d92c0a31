// A collection error in Japanese: a sentence saying what failed and what to check, before the
// message quoted as the cloud layer wrote it (what a search or a support ticket needs).
import { describe, expect, it } from 'vitest';
import type { Classified } from '../../src/cloud/classify.js';
import { explainFailure } from '../../src/cloud/explain.js';
import { errorParts } from '../../src/report/error-text.js';

const site = {
  product: 'vpc' as const,
  account: 'prod',
  endpoint: 'https://vpc.cn-hangzhou.aliyuncs.com',
  connectTimeoutMs: 5000,
  readTimeoutMs: 10000,
};
const failure = (f: Partial<Classified>): Classified => ({
  kind: 'transient',
  code: 'NetworkError',
  retryable: true,
  message: '',
  ...f,
});
const ja = (message: string) => errorParts({ account: 'prod', region: 'cn-hangzhou', message }, 'ja');

describe('collection errors in Japanese', () => {
  it('say what to check for each kind of failure the cloud layer explains, and quote the original', () => {
    const cases: Array<[string, RegExp]> = [
      [explainFailure(failure({ message: 'ECONNREFUSED 1.2.3.4:443' }), site), /TCP 443.*確認/],
      [explainFailure(failure({ code: 'Timeout', message: 'ConnectTimeout' }), site), /api\.readTimeoutMs/],
      [
        explainFailure(
          failure({
            code: 'BadResponse',
            kind: 'unknown',
            message: 'response is not JSON: <html>',
            httpStatus: 404,
          }),
          site,
        ),
        /Web ページやプロキシのエラーページ/,
      ],
      [
        explainFailure(failure({ message: 'ECONNREFUSED 127.0.0.1:3128' }), {
          ...site,
          proxy: 'http://127.0.0.1:3128 (HTTPS_PROXY)',
        }),
        /プロキシに接続できませんでした.*NO_PROXY/,
      ],
    ];
    for (const [message, advice] of cases) {
      const { lead, quote } = ja(message);
      expect(lead, message).toMatch(advice);
      expect(quote).toBe(message);
    }
  });
});
