import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { classifyError, kindOfCode } from '../../src/cloud/index.js';

// Build errors exactly as @alicloud/openapi-core does from an error body.
const sdkError = (
  Cls: typeof ClientError,
  code: string,
  statusCode: number,
  extra: Record<string, unknown> = {},
) =>
  new Cls({
    code,
    message: `${code}: code: ${statusCode}, msg request id: req-1`,
    statusCode,
    requestId: 'req-1',
    data: { Code: code },
    ...extra,
  });

describe('classifyError', () => {
  it('retries throttling and honours retryAfter', () => {
    const c = classifyError(sdkError(ThrottlingError, 'Throttling.User', 400, { retryAfter: 1500 }));
    expect(c).toMatchObject({
      kind: 'throttled',
      code: 'Throttling.User',
      retryable: true,
      retryAfterMs: 1500,
      httpStatus: 400,
      requestId: 'req-1',
    });
    expect(classifyError(sdkError(ClientError, 'Throttling.DeepPageSkip', 400))).toMatchObject({
      kind: 'throttled',
      retryable: true,
    });
  });

  it('retries 5xx, timeouts, non-JSON bodies and connection resets', () => {
    expect(classifyError(sdkError(ServerError, 'ServiceUnavailable', 503))).toMatchObject({
      kind: 'transient',
      code: 'ServiceUnavailable',
      retryable: true,
    });
    expect(classifyError(sdkError(ServerError, 'SomethingOdd', 500))).toMatchObject({
      kind: 'transient',
      retryable: true,
    });
    const timeout = Object.assign(new Error('ReadTimeout(3000). POST http://x failed.'), {
      name: 'RequestTimeoutError',
    });
    expect(classifyError(timeout)).toMatchObject({ kind: 'transient', code: 'Timeout', retryable: true });
    let syntax: unknown;
    try {
      JSON.parse('<html>502 Bad Gateway</html>');
    } catch (e) {
      syntax = e;
    }
    expect(classifyError(syntax)).toMatchObject({ kind: 'transient', code: 'BadResponse', retryable: true });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyError(reset)).toMatchObject({ kind: 'transient', code: 'NetworkError', retryable: true });
  });

  it('never retries authentication errors', () => {
    for (const code of [
      'InvalidAccessKeyId.NotFound',
      'SignatureDoesNotMatch',
      'InvalidSecurityToken.Expired',
      'InvalidSecurityToken.Malformed',
    ]) {
      expect(
        classifyError(sdkError(ClientError, code, code === 'InvalidAccessKeyId.NotFound' ? 404 : 400)),
      ).toMatchObject({ kind: 'auth', code, retryable: false });
    }
    const chain = new Error('unable to get credentials from any of the providers in the chain: …');
    expect(classifyError(chain)).toMatchObject({
      kind: 'auth',
      code: 'CredentialsUnavailable',
      retryable: false,
    });
  });

  it('never retries permission errors and names the missing RAM action', () => {
    const denied = sdkError(ClientError, 'Forbidden.RAM', 403, {
      accessDeniedDetail: {
        AuthAction: 'vpc:DescribeVpnConnections',
        PolicyType: 'AccountLevelIdentityBasedPolicy',
        NoPermissionType: 'ImplicitDeny',
      },
    });
    expect(classifyError(denied)).toMatchObject({
      kind: 'permission',
      code: 'Forbidden.RAM',
      retryable: false,
      missingAction: 'vpc:DescribeVpnConnections',
    });
    for (const code of ['Forbidden', 'Forbbiden.SubUser', 'Forbidden.SubUser']) {
      expect(classifyError(sdkError(ClientError, code, 403))).toMatchObject({
        kind: 'permission',
        retryable: false,
      });
    }
    // AccessDeniedDetail only in the raw body
    const rawOnly = sdkError(ClientError, 'Forbidden.RAM', 403, {
      data: { AccessDeniedDetail: { AuthAction: 'ecs:DescribeInstances' } },
    });
    expect(classifyError(rawOnly).missingAction).toBe('ecs:DescribeInstances');
  });

  it('sorts the remaining client errors', () => {
    expect(classifyError(sdkError(ClientError, 'OperationUnsupported.TunnelIds', 400))).toMatchObject({
      kind: 'unsupported',
      retryable: false,
    });
    expect(
      classifyError(sdkError(ClientError, 'InvalidVpnConnectionInstanceId.NotFound', 404)),
    ).toMatchObject({ kind: 'not_found', retryable: false });
    expect(classifyError(sdkError(ClientError, 'InvalidParameter', 400))).toMatchObject({
      kind: 'client',
      retryable: false,
    });
    expect(classifyError('something strange')).toMatchObject({
      kind: 'unknown',
      code: 'Unknown',
      retryable: false,
    });
  });

  it('classifies CloudMonitor codes, which are often numeric strings', () => {
    expect(kindOfCode('Throttling', 200)).toEqual({ kind: 'throttled', retryable: true });
    expect(kindOfCode('500', 500)).toEqual({ kind: 'transient', retryable: true });
    expect(kindOfCode('403', 403)).toEqual({ kind: 'permission', retryable: false });
    expect(kindOfCode('400', 400)).toEqual({ kind: 'client', retryable: false });
  });
});
