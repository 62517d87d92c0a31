// RegionApi.call against a loopback server answering the real SDK clients with scripted replies.
import { DescribeMetricListRequest } from '@alicloud/cms20190101';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertCmsSuccess,
  createRegionApis,
  InMemoryApiCallCounter,
  RequestBudgets,
} from '../../src/cloud/index.js';
import { parseConfig } from '../../src/config/index.js';
import { errorBody, type FakeAlibaba, type FakeReply, startFakeAlibaba } from '../support/fake-alibaba.js';
import { failure, listConnections } from './calls.js';

const connectionsPage = (ids: string[]) => ({
  RequestId: 'req-ok',
  TotalCount: ids.length,
  PageNumber: 1,
  PageSize: 50,
  VpnConnections: { VpnConnection: ids.map((id) => ({ VpnConnectionId: id, Name: id })) },
});

let fake: FakeAlibaba;
let replies: FakeReply[] = [];
beforeAll(async () => {
  fake = await startFakeAlibaba(
    (_call, i) => replies[i] ?? { status: 500, body: errorBody('InternalError', 'script exhausted') },
  );
});
afterAll(() => fake.close());

function setup(
  script: FakeReply[],
  opts: { readTimeoutMs?: number; maxRetries?: number; frozenClock?: boolean } = {},
) {
  replies = script;
  fake.calls.length = 0;
  const config = parseConfig(
    `
api: { readTimeoutMs: ${opts.readTimeoutMs ?? 10000}, retries: { max: ${opts.maxRetries ?? 4} } }
accounts:
  - name: prod
    accessKeyId: AKIDFAKE
    accessKeySecret: fake-secret-value
    regions: [cn-hangzhou]
    endpoint: "${fake.url}"
`,
    'test.yaml',
    {},
  );
  const counter = new InMemoryApiCallCounter();
  const sleeps: number[] = [];
  let t = 0;
  const clock = {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      if (!opts.frozenClock) t += ms;
    },
  };
  const budgets = new RequestBudgets(config.api.budget, clock);
  const [api] = createRegionApis(config, { counter, budgets, ...clock, random: () => 0.5 });
  return { api: api!, counter, sleeps, budgets };
}

describe('RegionApi.call retries', () => {
  it('absorbs throttling: throttled twice then OK gives complete data and counts 3 calls', async () => {
    const throttled = {
      status: 400,
      body: errorBody('Throttling.User', 'Request was denied due to user flow control.'),
    };
    const { api, counter, sleeps } = setup([
      throttled,
      throttled,
      { body: connectionsPage(['vco-1', 'vco-2']) },
    ]);
    const res = await listConnections(api);
    expect(res.body?.vpnConnections?.vpnConnection?.map((c) => c.vpnConnectionId)).toEqual([
      'vco-1',
      'vco-2',
    ]);
    expect(fake.calls).toHaveLength(3);
    expect(counter.snapshot()).toEqual(
      expect.arrayContaining([
        {
          account: 'prod',
          region: 'cn-hangzhou',
          product: 'vpc',
          action: 'DescribeVpnConnections',
          code: 'Throttling.User',
          count: 2,
        },
        {
          account: 'prod',
          region: 'cn-hangzhou',
          product: 'vpc',
          action: 'DescribeVpnConnections',
          code: '200',
          count: 1,
        },
      ]),
    );
    expect(counter.total({ action: 'DescribeVpnConnections' })).toBe(3);
    // full jitter with random 0.5: 0.5 × 200, 0.5 × 400
    expect(sleeps).toEqual([100, 200]);
  });

  it('honours x-acs-retry-after', async () => {
    const { api, sleeps } = setup([
      { status: 400, body: errorBody('Throttling', 'slow down'), headers: { 'x-acs-retry-after': '1500' } },
      { body: connectionsPage(['vco-1']) },
    ]);
    await listConnections(api);
    expect(sleeps).toEqual([1500]);
  });

  it('retries an HTML 502 (non-JSON body) and a 503', async () => {
    const { api, counter } = setup([
      { status: 502, body: '<html><body>502 Bad Gateway</body></html>' },
      {
        status: 503,
        body: errorBody(
          'ServiceUnavailable',
          'The request has failed due to a temporary failure of the server.',
        ),
      },
      { body: connectionsPage(['vco-9']) },
    ]);
    const res = await listConnections(api);
    expect(res.body?.vpnConnections?.vpnConnection?.[0]?.vpnConnectionId).toBe('vco-9');
    expect(counter.snapshot().map((e) => [e.code, e.count])).toEqual([
      ['BadResponse', 1],
      ['ServiceUnavailable', 1],
      ['200', 1],
    ]);
  });

  it('retries a read timeout and a connection reset', async () => {
    const { api, counter } = setup(
      [
        { body: connectionsPage([]), delayMs: 1500 },
        { body: '', reset: true },
        { body: connectionsPage(['vco-3']) },
      ],
      { readTimeoutMs: 300 },
    );
    const res = await listConnections(api);
    expect(res.body?.vpnConnections?.vpnConnection?.[0]?.vpnConnectionId).toBe('vco-3');
    expect(counter.snapshot().map((e) => e.code)).toEqual(['Timeout', 'NetworkError', '200']);
  });

  it('gives up after retries.max retries with the last error', async () => {
    const storm = { status: 503, body: errorBody('ServiceUnavailable', 'down') };
    const { api, counter } = setup([storm, storm, storm, storm], { maxRetries: 2 });
    const err = await failure(listConnections(api));
    expect(err).toMatchObject({
      kind: 'transient',
      code: 'ServiceUnavailable',
      attempts: 3,
      httpStatus: 503,
    });
    expect(counter.total({ code: 'ServiceUnavailable' })).toBe(3);
    expect(fake.calls).toHaveLength(3);
  });
});

describe('RegionApi.call errors', () => {
  it('does not retry an authentication error and reports kind auth', async () => {
    const { api, counter, sleeps } = setup([
      { status: 404, body: errorBody('InvalidAccessKeyId.NotFound', 'Specified access key is not found.') },
    ]);
    const err = await failure(listConnections(api));
    expect(err).toMatchObject({
      kind: 'auth',
      code: 'InvalidAccessKeyId.NotFound',
      product: 'vpc',
      action: 'DescribeVpnConnections',
      account: 'prod',
      region: 'cn-hangzhou',
      requestId: 'req-InvalidAccessKeyId.NotFound',
      httpStatus: 404,
      attempts: 1,
    });
    expect(fake.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(counter.snapshot()).toEqual([
      {
        account: 'prod',
        region: 'cn-hangzhou',
        product: 'vpc',
        action: 'DescribeVpnConnections',
        code: 'InvalidAccessKeyId.NotFound',
        count: 1,
      },
    ]);
    expect(err.message).not.toContain('fake-secret-value');
  });

  it('reports Forbidden.RAM with the missing RAM action, without retrying', async () => {
    const { api } = setup([
      {
        status: 403,
        body: errorBody('Forbidden.RAM', 'User not authorized to operate on the specified resource.', {
          AccessDeniedDetail: {
            AuthAction: 'vpc:DescribeVpnConnections',
            PolicyType: 'AccountLevelIdentityBasedPolicy',
            NoPermissionType: 'ImplicitDeny',
            AuthPrincipalType: 'SubUser',
          },
        }),
      },
    ]);
    const err = await failure(listConnections(api));
    expect(err).toMatchObject({
      kind: 'permission',
      code: 'Forbidden.RAM',
      missingAction: 'vpc:DescribeVpnConnections',
    });
    const detail = `Forbidden.RAM: code: 403, User not authorized to operate on the specified resource. request id: req-Forbidden.RAM (HTTP 403 from vpc endpoint ${fake.url}) (the RAM policy lacks vpc:DescribeVpnConnections)`;
    expect(err.message).toBe(`vpc DescribeVpnConnections in prod/cn-hangzhou failed: ${detail}`);
    expect(err.detail).toBe(detail);
    expect(fake.calls).toHaveLength(1);
  });

  it('treats CloudMonitor HTTP 200 Success:false as an error', async () => {
    const { api, counter } = setup([
      {
        body: {
          RequestId: 'req-cms',
          Success: false,
          Code: '400',
          Message: 'The specified dimensions are invalid.',
        },
      },
    ]);
    const err = await failure(
      api.call('cms', 'DescribeMetricList', (runtime) =>
        api.cms.describeMetricListWithOptions(
          new DescribeMetricListRequest({ namespace: 'acs_vpn', metricName: 'ipsec_rx.rate', period: '60' }),
          runtime,
        ),
      ),
    );
    expect(err).toMatchObject({
      kind: 'client',
      code: '400',
      product: 'cms',
      action: 'DescribeMetricList',
      requestId: 'req-cms',
    });
    expect(err.message).toContain('The specified dimensions are invalid.');
    expect(counter.snapshot()).toEqual([
      {
        account: 'prod',
        region: 'cn-hangzhou',
        product: 'cms',
        action: 'DescribeMetricList',
        code: '400',
        count: 1,
      },
    ]);
  });

  it('retries CloudMonitor Success:false throttling, then returns the data', async () => {
    const { api, counter } = setup([
      {
        body: {
          RequestId: 'r1',
          Success: false,
          Code: 'Throttling',
          Message: 'Request was denied due to user flow control.',
        },
      },
      { body: { RequestId: 'r2', Success: true, Code: '200', Datapoints: '[{"Value":12.5}]' } },
    ]);
    const res = await api.call('cms', 'DescribeMetricList', (runtime) =>
      api.cms.describeMetricListWithOptions(
        new DescribeMetricListRequest({ namespace: 'acs_vpn', metricName: 'ipsec_rx.rate' }),
        runtime,
      ),
    );
    expect(JSON.parse(res.body?.datapoints ?? '[]')).toEqual([{ Value: 12.5 }]);
    expect(counter.snapshot().map((e) => e.code)).toEqual(['Throttling', '200']);
  });

  it('assertCmsSuccess throws for Success:false bodies and passes others', () => {
    const where = { action: 'DescribeMetricLast', account: 'prod', region: 'cn-hangzhou' };
    expect(() => assertCmsSuccess({ success: true, code: '200' }, where)).not.toThrow();
    expect(() => assertCmsSuccess({}, where)).not.toThrow();
    try {
      assertCmsSuccess({ success: false, code: '403', message: 'denied' }, where);
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toMatchObject({
        name: 'CloudError',
        kind: 'permission',
        code: '403',
        product: 'cms',
        action: 'DescribeMetricLast',
      });
    }
  });
});

describe('request budget', () => {
  it('makes a burst of calls wait for tokens instead of failing', async () => {
    const ok = { body: connectionsPage(['vco-1']) };
    // Frozen clock: all 25 calls arrive at the same instant.
    const { api, sleeps, budgets } = setup(
      Array.from({ length: 25 }, () => ok),
      { frozenClock: true },
    );
    await Promise.all(Array.from({ length: 25 }, () => listConnections(api)));
    // vpc budget: burst 20 at 10 rps → the last 5 callers wait 100…500 ms
    expect(sleeps).toEqual([100, 200, 300, 400, 500]);
    expect(budgets.states()).toEqual([
      expect.objectContaining({
        account: 'prod',
        product: 'vpc',
        rps: 10,
        burst: 20,
        waits: 5,
        waitedMs: 1500,
      }),
    ]);
  });
});
