// What an SDK failure means for us: its kind, the code we count and report, and whether retrying
// can help. Inputs are the error classes of @alicloud/openapi-core (ThrottlingError, ClientError,
// ServerError), Darabonba's RequestTimeoutError, JSON SyntaxError from non-JSON bodies, Node socket
// errors, and @alicloud/credentials chain failures.
import { ResponseTooLargeError } from './response-cap.js';
import { BadResponseError, sdkShapeProblem } from './shape.js';
import type { CloudErrorKind } from './types.js';

export interface Classified {
  kind: CloudErrorKind;
  /** Alibaba's error code, or a synthetic one: Timeout, BadResponse, ResponseTooLarge, NetworkError, CredentialsUnavailable, Unknown. */
  code: string;
  retryable: boolean;
  message: string;
  httpStatus?: number;
  requestId?: string;
  /** Milliseconds Alibaba asked us to wait (x-acs-retry-after). */
  retryAfterMs?: number;
  /** RAM action from AccessDeniedDetail.AuthAction. */
  missingAction?: string;
}

const AUTH_CODES = [
  /^InvalidAccessKeyId(\.|$)/,
  /^InvalidAccessKeySecret/,
  /^SignatureDoesNotMatch$/,
  /^IncompleteSignature$/,
  /^InvalidSecurityToken(\.|$)/,
  /^SecurityTokenExpired$/,
  /^InvalidCredentials$/,
  /^InvalidTimeStamp(\.|$)/,
];
// `Forbbiden.SubUser` is Alibaba's own spelling.
const PERMISSION_CODES = [
  /^Forbidden(\.|$)/,
  /^Forbbiden(\.|$)/,
  /^NoPermission/,
  /^AccessDenied/,
  /^UnauthorizedOperation$/,
];
const TRANSIENT_CODES = [
  /^ServiceUnavailable/,
  /^InternalError$/,
  /^ServiceBusy$/,
  /^SystemBusy$/,
  /^UnknownError$/,
  /^RequestTimeout$/,
  /^Idempotence\.Processing$/,
];
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'ETIMEOUT', // agent-base (the proxy agents): no tunnel to the proxy within the connect timeout
]);

const matches = (code: string, patterns: RegExp[]) => patterns.some((p) => p.test(code));

interface SdkErrorLike {
  name?: string;
  code?: unknown;
  message?: string;
  statusCode?: unknown;
  requestId?: unknown;
  retryAfter?: unknown;
  accessDeniedDetail?: unknown;
  data?: unknown;
}

/** Classify an Alibaba error code (also used for CloudMonitor's HTTP 200 `Success:false`). */
export function kindOfCode(code: string, httpStatus?: number): { kind: CloudErrorKind; retryable: boolean } {
  if (code.includes('Throttling') || httpStatus === 429) return { kind: 'throttled', retryable: true };
  if (matches(code, AUTH_CODES)) return { kind: 'auth', retryable: false };
  if (matches(code, PERMISSION_CODES) || httpStatus === 403) return { kind: 'permission', retryable: false };
  if (/^OperationUnsupported(\.|$)|^UnsupportedOperation|^InvalidAction(\.|$)/.test(code))
    return { kind: 'unsupported', retryable: false };
  if (matches(code, TRANSIENT_CODES) || (httpStatus !== undefined && httpStatus >= 500))
    return { kind: 'transient', retryable: true };
  if (/NotFound|NotExist/.test(code) || httpStatus === 404) return { kind: 'not_found', retryable: false };
  if (httpStatus !== undefined && httpStatus >= 400) return { kind: 'client', retryable: false };
  return { kind: 'unknown', retryable: false };
}

export function classifyError(err: unknown): Classified {
  const e = (err ?? {}) as SdkErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const httpStatus = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const requestId = typeof e.requestId === 'string' && e.requestId !== '' ? e.requestId : undefined;
  const base = { message, ...(httpStatus !== undefined && { httpStatus }), ...(requestId && { requestId }) };

  if (e.name === 'RequestTimeoutError')
    return { ...base, kind: 'transient', code: 'Timeout', retryable: true };
  // Not retried: the same answer would come again, and each retry would download it again.
  if (err instanceof ResponseTooLargeError)
    return { ...base, kind: 'unknown', code: 'ResponseTooLarge', retryable: false };
  const shapeProblem = err instanceof BadResponseError ? message : sdkShapeProblem(message);
  if (shapeProblem !== undefined)
    return { ...base, kind: 'transient', code: 'BadResponse', retryable: true, message: shapeProblem };
  if (err instanceof SyntaxError)
    return {
      ...base,
      kind: 'transient',
      code: 'BadResponse',
      retryable: true,
      message: `response is not JSON: ${message}`,
    };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code))
    return {
      ...base,
      kind: 'transient',
      code: 'NetworkError',
      retryable: true,
      message: `${e.code}: ${message}`,
    };
  if (/unable to get credentials from any of the providers/i.test(message))
    return { ...base, kind: 'auth', code: 'CredentialsUnavailable', retryable: false };

  if (typeof e.code === 'string' && e.code !== '') {
    const { kind, retryable } = kindOfCode(e.code, httpStatus);
    const retryAfterMs = typeof e.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter : undefined;
    const missingAction = authActionOf(e);
    return {
      ...base,
      kind,
      code: e.code,
      retryable,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      ...(missingAction && { missingAction }),
    };
  }
  return { ...base, kind: 'unknown', code: 'Unknown', retryable: false };
}

function authActionOf(e: SdkErrorLike): string | undefined {
  const fromDetail = (detail: unknown) =>
    detail && typeof detail === 'object' ? (detail as Record<string, unknown>).AuthAction : undefined;
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : undefined;
  const action = fromDetail(e.accessDeniedDetail) ?? fromDetail(data?.AccessDeniedDetail);
  return typeof action === 'string' && action !== '' ? action : undefined;
}
