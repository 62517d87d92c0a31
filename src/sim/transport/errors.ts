// Alibaba Cloud's error vocabulary as the API gateway answers it, and the JSON error body.
// Codes, statuses and messages follow what the real service returns (as the SDK surfaces them:
// statusCode, code, message, requestId); the SDK turns them into its error classes.
import { randomUUID } from 'node:crypto';
import { SimApiError, type SimProduct } from '../protocol.js';

const RECOMMEND_PRODUCT: Record<SimProduct, string> = { vpc: 'Vpc', ecs: 'Ecs', cms: 'Cms' };

/** A request id in Alibaba's format (upper-case UUID). */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/** The endpoint host Alibaba reports as HostId for a product and region (§6.1). */
export function hostId(product: SimProduct | undefined, region: string | undefined): string {
  const r = region ?? 'cn-hangzhou';
  switch (product) {
    case 'ecs':
      return r === 'cn-hangzhou' ? 'ecs-cn-hangzhou.aliyuncs.com' : `ecs.${r}.aliyuncs.com`;
    case 'cms':
      return `metrics.${r}.aliyuncs.com`;
    case 'vpc':
      return r === 'cn-hangzhou' ? 'vpc.aliyuncs.com' : `vpc.${r}.aliyuncs.com`;
    default:
      return 'aliyuncs.com';
  }
}

export function recommendUrl(code: string, product: SimProduct | undefined): string {
  const base = `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}`;
  return product ? `${base}&product=${RECOMMEND_PRODUCT[product]}` : base;
}

/** The error body: {RequestId, HostId, Code, Message, Recommend} plus any extra fields. */
export function errorBody(
  err: SimApiError,
  ctx: { requestId: string; product: SimProduct | undefined; region: string | undefined },
): Record<string, unknown> {
  return {
    RequestId: ctx.requestId,
    HostId: hostId(ctx.product, ctx.region),
    Code: err.code,
    Message: err.message,
    Recommend: recommendUrl(err.code, ctx.product),
    ...err.extra,
  };
}

/** Authentication and routing errors of the API gateway. */
export const gatewayErrors = {
  missingAccessKeyId: () =>
    new SimApiError(400, 'MissingAccessKeyId', 'AccessKeyId is mandatory for this action.'),
  incompleteSignature: () =>
    new SimApiError(
      400,
      'IncompleteSignature',
      'The request signature does not conform to Aliyun standards.',
    ),
  accessKeyNotFound: () =>
    new SimApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  /** V3 and V1 word it differently; both include the server's string to sign. */
  signatureMismatch: (stringToSign: string, legacy: boolean) =>
    new SimApiError(
      400,
      'SignatureDoesNotMatch',
      legacy
        ? `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`
        : `Specified signature does not match our calculation. server string to sign is:${stringToSign}`,
    ),
  timestampExpired: () =>
    new SimApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
  timestampFormat: () =>
    new SimApiError(
      400,
      'InvalidTimeStamp.Format',
      'Specified time stamp or date value is not well formatted.',
    ),
  nonceUsed: () => new SimApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  invalidSignatureMethod: () =>
    new SimApiError(400, 'InvalidSignatureMethod', 'Specified signature method is not supported.'),
  missingSecurityToken: () =>
    new SimApiError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.'),
  securityTokenMismatch: () =>
    new SimApiError(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey.',
    ),
  missingParameter: (name: string) =>
    new SimApiError(
      400,
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    ),
  invalidVersion: () => new SimApiError(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
  /** What Alibaba answers for an action the product does not have; world dispatchers throw it too. */
  invalidAction: () =>
    new SimApiError(
      404,
      'InvalidAction.NotFound',
      'Specified api is not found, please check your url and method.',
    ),
  throttled: () => new SimApiError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
  serviceUnavailable: () =>
    new SimApiError(
      503,
      'ServiceUnavailable',
      'The request has failed due to a temporary failure of the server.',
    ),
  internalError: () =>
    new SimApiError(
      500,
      'InternalError',
      'The request processing has failed due to some unknown error, exception or failure.',
    ),
};
