// Signature checks at the byte level: the server's computation agrees with the SDK's own signing
// code, and hand-made requests exercise what the SDK never sends (replays, tampering, gaps).
import { createHash } from 'node:crypto';
import { OpenApiUtil } from '@alicloud/openapi-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/server.js';
import {
  acs3Signature,
  acs3StringToSign,
  parseAcs3Authorization,
  rpcSignature,
  rpcStringToSign,
} from '../../src/sim/transport/signature.js';
import { createStubBackend, STUB_KEYS, type StubBackend } from '../support/sim-stub.js';

const { accessKeyId, accessKeySecret } = STUB_KEYS.main;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** An API answer's JSON body (Alibaba's PascalCase fields). */
const body = async (res: Response) => (await res.json()) as Record<string, unknown>;
const AWKWARD = { RegionId: 'cn-hangzhou', Name: "it's (a) *test* ~ ok! 東京", 'Tag.1.Key': 'a b+c/d' };

describe('agreement with the SDK signing code', () => {
  it('computes the same ACS3-HMAC-SHA256 signature as OpenApiUtil.getAuthorization', () => {
    const headers: Record<string, string> = {
      host: '127.0.0.1:9100',
      'x-acs-action': 'DescribeVpcs',
      'x-acs-version': '2016-04-28',
      'x-acs-date': '2026-11-26T00:00:00Z',
      'x-acs-signature-nonce': 'n1',
      'x-acs-content-sha256': sha256('A=1'),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const request = { pathname: '/', method: 'POST', query: AWKWARD, headers };
    const authorization = OpenApiUtil.getAuthorization(
      request as never,
      'ACS3-HMAC-SHA256',
      sha256('A=1'),
      accessKeyId,
      accessKeySecret,
    );
    const parsed = parseAcs3Authorization(authorization)!;
    expect(parsed.accessKeyId).toBe(accessKeyId);
    expect(parsed.signedHeaders).toEqual(Object.keys(headers).sort());
    const { stringToSign } = acs3StringToSign({
      method: 'POST',
      path: '/',
      query: AWKWARD,
      headers,
      signedHeaders: parsed.signedHeaders,
      payloadHash: sha256('A=1'),
    });
    expect(acs3Signature(accessKeySecret, stringToSign)).toBe(parsed.signature);
  });

  it('computes the same legacy HMAC-SHA1 signature as OpenApiUtil.getRPCSignature', () => {
    const params = { ...AWKWARD, Action: 'DescribeVpcs', AccessKeyId: accessKeyId, SignatureNonce: 'x' };
    expect(rpcSignature(accessKeySecret, rpcStringToSign('GET', params))).toBe(
      OpenApiUtil.getRPCSignature(params, 'GET', accessKeySecret),
    );
  });
});

describe('hand-made requests', () => {
  let backend: StubBackend;
  let server: SimServer;
  beforeEach(async () => {
    backend = createStubBackend();
    server = await startSimServer({ backend });
  });
  afterEach(async () => {
    await server.close();
  });

  /** A V3 request signed like the SDK signs it, with hooks to break it afterwards. */
  function signedV3(opts: {
    nonce: string;
    body?: string;
    sentBody?: string;
    extraHeader?: [string, string];
  }) {
    const body = opts.body ?? '';
    const query = { RegionId: 'cn-hangzhou', PageSize: '1' };
    const headers: Record<string, string> = {
      host: server.url.replace('http://', ''),
      'x-acs-action': 'DescribeVpcs',
      'x-acs-version': '2016-04-28',
      'x-acs-date': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      'x-acs-signature-nonce': opts.nonce,
      'x-acs-content-sha256': sha256(body),
    };
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.authorization = OpenApiUtil.getAuthorization(
      { pathname: '/', method: 'POST', query, headers } as never,
      'ACS3-HMAC-SHA256',
      sha256(body),
      accessKeyId,
      accessKeySecret,
    );
    if (opts.extraHeader) headers[opts.extraHeader[0]] = opts.extraHeader[1];
    return fetch(`${server.url}/?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers,
      body: opts.sentBody ?? (body || undefined),
    });
  }

  it('accepts a hand-signed request once and rejects its replay with SignatureNonceUsed', async () => {
    const first = await signedV3({ nonce: 'replay-me' });
    expect(first.status).toBe(200);
    expect((await body(first)).TotalCount).toBe(3);
    const replay = await signedV3({ nonce: 'replay-me' });
    expect(replay.status).toBe(400);
    expect((await body(replay)).Code).toBe('SignatureNonceUsed');
  });

  it('rejects a body that differs from the signed x-acs-content-sha256', async () => {
    const ok = await signedV3({ nonce: 'b1', body: 'Name=alpha' });
    expect(ok.status).toBe(200);
    expect(backend.requests[0]?.params.Name).toBe('alpha');
    const tampered = await signedV3({ nonce: 'b2', body: 'Name=alpha', sentBody: 'Name=evil' });
    expect(tampered.status).toBe(400);
    expect((await body(tampered)).Code).toBe('SignatureDoesNotMatch');
    expect(backend.requests).toHaveLength(1);
  });

  it('rejects an x-acs-* header left out of the signature', async () => {
    const res = await signedV3({ nonce: 'h1', extraHeader: ['x-acs-security-token', 'sneaky'] });
    expect(res.status).toBe(400);
    expect((await body(res)).Code).toBe('IncompleteSignature');
  });

  it('answers missing or garbled authorization as Alibaba does', async () => {
    const headers = { 'x-acs-action': 'DescribeVpcs', 'x-acs-version': '2016-04-28' };
    const none = await fetch(`${server.url}/?RegionId=cn-hangzhou`, { method: 'POST', headers });
    expect(none.status).toBe(400);
    expect(await body(none)).toMatchObject({
      Code: 'MissingAccessKeyId',
      HostId: 'vpc.aliyuncs.com',
      Recommend: 'https://api.aliyun.com/troubleshoot?q=MissingAccessKeyId&product=Vpc',
    });
    const garbled = await fetch(`${server.url}/?RegionId=cn-hangzhou`, {
      method: 'POST',
      headers: { ...headers, authorization: 'ACS3-HMAC-SHA256 nonsense' },
    });
    expect((await body(garbled)).Code).toBe('IncompleteSignature');
    const noAction = await fetch(`${server.url}/`, { method: 'POST' });
    // Routing comes before authentication: without an action there is nothing to authorise.
    expect(await body(noAction)).toMatchObject({
      Code: 'MissingParameter',
      Message:
        'The input parameter "x-acs-action" that is mandatory for processing this request is not supplied.',
    });
  });

  it('answers an unparsable JSON body with an Alibaba error body', async () => {
    const res = await fetch(`${server.url}/?RegionId=cn-hangzhou`, {
      method: 'POST',
      headers: {
        'x-acs-action': 'DescribeVpcs',
        'x-acs-version': '2016-04-28',
        'content-type': 'application/json',
      },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({
      Code: 'InvalidParameter',
      Message: 'The request body is not valid JSON.',
    });
  });

  it('accepts the legacy style sent as GET with every parameter in the query', async () => {
    const params: Record<string, string> = {
      Action: 'DescribeVpcs',
      Version: '2016-04-28',
      Format: 'JSON',
      RegionId: 'cn-hangzhou',
      AccessKeyId: accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'legacy-get',
      Timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    params.Signature = OpenApiUtil.getRPCSignature(params, 'GET', accessKeySecret);
    const res = await fetch(`${server.url}/?${new URLSearchParams(params)}`);
    expect(res.status).toBe(200);
    expect((await body(res)).TotalCount).toBe(3);
    expect(backend.requests[0]?.params).toEqual({ RegionId: 'cn-hangzhou' });
    expect(backend.requests[0]?.action).toBe('DescribeVpcs');
  });
});
