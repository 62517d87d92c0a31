// Fault injection as the real SDK experiences it: throttling → ThrottlingError, 5xx → ServerError,
// HTML 502 and truncated JSON → SyntaxError, held responses → RequestTimeoutError, QPS limits on an
// injected clock, and rule matching/arming.
import * as Vpc from '@alicloud/vpc20160428';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../src/sim/protocol.js';
import { type SimServer, startSimServer } from '../../src/sim/server.js';
import { failure } from '../support/failure.js';
import { createStubBackend, STUB_KEYS, type StubBackend, vpcClient } from '../support/sim-stub.js';

let backend: StubBackend;
let server: SimServer;
let clock: number;
let dice: number;

beforeEach(async () => {
  clock = Date.now();
  dice = 0.5;
  backend = createStubBackend();
  server = await startSimServer({ backend, now: () => clock, random: () => dice });
});
afterEach(async () => {
  await server.close();
});

const vpcs = (region = 'cn-hangzhou') => new Vpc.DescribeVpcsRequest({ regionId: region });
const connections = () => new Vpc.DescribeVpnConnectionsRequest({ regionId: 'cn-hangzhou' });

describe('throttling', () => {
  it('surfaces as the SDK ThrottlingError with Throttling.User and the retry-after header', async () => {
    server.setFaults([{ kind: 'throttle', action: 'DescribeVpcs', ms: 1500 }]);
    const err = await failure(vpcClient(server.url).describeVpcs(vpcs()));
    expect(err.name).toBe('ThrottlingError');
    expect(err.code).toBe('Throttling.User');
    expect(err.statusCode).toBe(400);
    expect(err.retryAfter).toBe(1500);
    expect((err.data as Record<string, string>).Message).toBe('Request was denied due to user flow control.');
    expect(backend.requests).toHaveLength(0);
    expect(server.calls().at(-1)).toMatchObject({
      httpStatus: 400,
      code: 'Throttling.User',
      account: 'acct-main',
    });
  });

  it('applies only to matching calls and disarms after `count`', async () => {
    server.setFaults([{ kind: 'throttle', action: 'DescribeVpcs', region: 'cn-hangzhou', count: 2 }]);
    const client = vpcClient(server.url);
    expect((await client.describeVpcs(vpcs('eu-central-1'))).body?.totalCount).toBe(3);
    await expect(
      client.describeVpnGateway(new Vpc.DescribeVpnGatewayRequest({ regionId: 'cn-hangzhou' })),
    ).rejects.toMatchObject({ code: 'Forbidden.RAM' });
    await expect(client.describeVpcs(vpcs())).rejects.toMatchObject({ name: 'ThrottlingError' });
    expect(server.faults()).toEqual([
      { kind: 'throttle', action: 'DescribeVpcs', region: 'cn-hangzhou', count: 1 },
    ]);
    await expect(client.describeVpcs(vpcs())).rejects.toMatchObject({ name: 'ThrottlingError' });
    expect(server.faults()).toEqual([]);
    expect((await client.describeVpcs(vpcs())).body?.totalCount).toBe(3);
  });

  it('matches the account and fires only for the configured ratio', async () => {
    server.setFaults([{ kind: 'throttle', account: STUB_KEYS.sts.account, ratio: 0.3 }]);
    expect((await vpcClient(server.url).describeVpcs(vpcs())).body?.totalCount).toBe(3);
    dice = 0.9;
    expect((await vpcClient(server.url, STUB_KEYS.sts).describeVpcs(vpcs())).body?.totalCount).toBe(3);
    dice = 0.1;
    await expect(vpcClient(server.url, STUB_KEYS.sts).describeVpcs(vpcs())).rejects.toMatchObject({
      name: 'ThrottlingError',
    });
  });

  it('enforces a QPS limit per action × region × account on the injected clock', async () => {
    server.setFaults([{ kind: 'qps', product: 'vpc', qps: 2 }]);
    const client = vpcClient(server.url);
    await client.describeVpcs(vpcs());
    clock += 400;
    await client.describeVpcs(vpcs());
    const err = await failure(client.describeVpcs(vpcs()));
    expect(err.name).toBe('ThrottlingError');
    expect(err.code).toBe('Throttling.User');
    expect(err.retryAfter).toBe(600);
    // Other region, other action and other account have their own budgets.
    expect((await client.describeVpcs(vpcs('eu-central-1'))).body?.totalCount).toBe(3);
    expect((await client.describeVpnConnections(connections())).statusCode).toBe(200);
    expect((await vpcClient(server.url, STUB_KEYS.sts).describeVpcs(vpcs())).statusCode).toBe(200);
    // The window slides: once the first call is a second old, one more fits.
    clock += 601;
    expect((await client.describeVpcs(vpcs())).statusCode).toBe(200);
    await expect(client.describeVpcs(vpcs())).rejects.toMatchObject({ name: 'ThrottlingError' });
    const outcomes = server
      .calls()
      .filter((c) => c.action === 'DescribeVpcs' && c.region === 'cn-hangzhou' && c.account === 'acct-main')
      .map((c) => c.code);
    expect(outcomes).toEqual(['200', '200', 'Throttling.User', '200', 'Throttling.User']);
  });

  it('applies scenario faults from the backend as well', async () => {
    backend.scenarioFaults = [{ kind: 'throttle', action: 'DescribeVpnConnections' }];
    await expect(vpcClient(server.url).describeVpnConnections(connections())).rejects.toMatchObject({
      name: 'ThrottlingError',
    });
    expect((await vpcClient(server.url).describeVpcs(vpcs())).statusCode).toBe(200);
  });
});

describe('server failures', () => {
  it('5xx → ServerError with ServiceUnavailable (503) or InternalError (500)', async () => {
    server.setFaults([
      { kind: 'error5xx', count: 1 },
      { kind: 'error5xx', status: 500 },
    ]);
    const unavailable = await failure(vpcClient(server.url).describeVpcs(vpcs()));
    expect(unavailable).toMatchObject({ name: 'ServerError', code: 'ServiceUnavailable', statusCode: 503 });
    const internal = await failure(vpcClient(server.url).describeVpcs(vpcs()));
    expect(internal).toMatchObject({ name: 'ServerError', code: 'InternalError', statusCode: 500 });
  });

  it('HTML 502 → the SDK throws a SyntaxError', async () => {
    server.setFaults([{ kind: 'html502' }]);
    const err = await failure(vpcClient(server.url).describeVpcs(vpcs()));
    expect(err.name).toBe('SyntaxError');
    expect(err.code).toBeUndefined();
    expect(server.calls().at(-1)).toMatchObject({ httpStatus: 502, code: 'BadGateway' });
  });

  it('malformed 200 body → SyntaxError', async () => {
    server.setFaults([{ kind: 'malformed' }]);
    const err = await failure(vpcClient(server.url).describeVpcs(vpcs()));
    expect(err.name).toBe('SyntaxError');
  });

  it('fixed API error with its own status and code', async () => {
    server.setFaults([
      {
        kind: 'apiError',
        action: 'DescribeVpcs',
        status: 400,
        code: 'OperationUnsupported.DiagnoseVpn',
        message: 'The VPN gateway does not support diagnosis.',
      },
    ]);
    const err = await failure(vpcClient(server.url).describeVpcs(vpcs()));
    expect(err).toMatchObject({
      name: 'ClientError',
      code: 'OperationUnsupported.DiagnoseVpn',
      statusCode: 400,
    });
    expect((err.data as Record<string, string>).Message).toBe('The VPN gateway does not support diagnosis.');
  });

  it('timeout → RequestTimeoutError once the client read timeout passes', async () => {
    server.setFaults([{ kind: 'timeout', ms: 3000 }]);
    const started = Date.now();
    const err = await failure(vpcClient(server.url, { readTimeout: 200 }).describeVpcs(vpcs()));
    expect(err.name).toBe('RequestTimeoutError');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('latency delays the answer by `ms`', async () => {
    server.setFaults([{ kind: 'latency', ms: 250 }]);
    const started = Date.now();
    const res = await vpcClient(server.url).describeVpcs(vpcs());
    expect(res.body?.totalCount).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('close() does not wait for held responses', async () => {
    server.setFaults([{ kind: 'timeout', ms: 20_000 } satisfies FaultRule]);
    const pending = vpcClient(server.url, { readTimeout: 30_000 })
      .describeVpcs(vpcs())
      .catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
