// Turning a classified failure into the CloudError callers see.
import { secrets } from '../log/redact.js';
import type { Classified } from './classify.js';
import { kindOfCode } from './classify.js';
import { CloudError } from './errors.js';
import { type CallSite, explainFailure } from './explain.js';
import type { Product } from './types.js';

export interface Target {
  account: string;
  region: string;
  product: Product;
  action: string;
  /** scheme://host[:port] the product's client sends to, for messages. */
  endpoint?: string;
  /** The proxy in between (proxy.ts describeProxy: no password), for messages. */
  proxy?: string;
}

export function cmsBodyFailure(body: { code?: unknown; message?: unknown; requestId?: unknown }): Classified {
  const code = typeof body.code === 'string' && body.code !== '' ? body.code : 'Unknown';
  const status = /^\d{3}$/.test(code) ? Number(code) : undefined;
  const { kind, retryable } = kindOfCode(code, status);
  return {
    kind,
    code,
    retryable,
    message:
      `CloudMonitor returned Success:false: ${code}: ${typeof body.message === 'string' ? body.message : ''}`.trim(),
    ...(typeof body.requestId === 'string' && { requestId: body.requestId }),
  };
}

/**
 * The CloudError for a failure. Alibaba's message is scrubbed of every known secret here, where it
 * enters: a SignatureDoesNotMatch quotes the string-to-sign (with the STS token), and this text goes
 * on to errors[], the report formats, the HTML, the API, the store and the log. With the call site,
 * the cause is said in words (explain.ts): endpoint, HTTP status, what to check.
 */
export function toCloudError(
  failure: Classified,
  target: Target,
  attempts: number,
  site?: Omit<CallSite, 'product' | 'account' | 'endpoint'>,
): CloudError {
  const hint = failure.missingAction ? ` (the RAM policy lacks ${failure.missingAction})` : '';
  const scrubbed = { ...failure, message: secrets.scrubString(failure.message) };
  const cause = site
    ? explainFailure(scrubbed, {
        ...site,
        product: target.product,
        account: target.account,
        endpoint: target.endpoint,
        ...(target.proxy !== undefined && { proxy: target.proxy }),
      })
    : scrubbed.message;
  const { endpoint: _endpoint, proxy: _proxy, ...where } = target;
  return new CloudError({
    ...where,
    kind: failure.kind,
    code: failure.code,
    message: `${target.product} ${target.action} in ${target.account}/${target.region} failed: ${cause}${hint}`,
    detail: `${cause}${hint}`,
    attempts,
    ...(failure.requestId !== undefined && { requestId: failure.requestId }),
    ...(failure.missingAction !== undefined && { missingAction: failure.missingAction }),
    ...(failure.httpStatus !== undefined && { httpStatus: failure.httpStatus }),
  });
}
