// Every attempt is bounded by connect + read timeout, even when the SDK's own read timer does not
// fire (a response held on a reused keep-alive socket); the timeout is retried like any other.
import { describe, expect, it } from 'vitest';
import { CloudError, InMemoryApiCallCounter, RequestBudgets } from '../../src/cloud/index.js';
import { callWithPolicy } from '../../src/cloud/region-api.js';
import { configSchema } from '../../src/config/index.js';

describe('callWithPolicy deadline', () => {
  it('gives up on a call that never answers after connect + read timeout, retrying it as a timeout', async () => {
    const api = configSchema.parse({
      api: { readTimeoutMs: 150, connectTimeoutMs: 100, retries: { max: 1, baseDelayMs: 1, maxDelayMs: 1 } },
      accounts: [{ name: 'a', regions: ['cn-hangzhou'] }],
    }).api;
    const counter = new InMemoryApiCallCounter();
    const budgets = new RequestBudgets(api.budget, { now: Date.now, sleep: async () => {} });
    let attempts = 0;
    const started = Date.now();
    const failure = await callWithPolicy(
      { counter, budgets, api, sleep: async () => {}, random: () => 0.5 },
      { account: 'a', region: 'cn-hangzhou', product: 'vpc', action: 'DescribeVpnConnections' },
      () => {
        attempts++;
        return new Promise<never>(() => {}); // held forever
      },
    ).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(CloudError);
    expect((failure as CloudError).code).toBe('Timeout');
    expect((failure as CloudError).kind).toBe('transient');
    expect(attempts).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(2 * 250 - 20);
    expect(elapsed).toBeLessThan(10_000); // bounded, not hanging (loose: CI machines are noisy)
    expect(counter.snapshot()).toEqual([
      {
        account: 'a',
        region: 'cn-hangzhou',
        product: 'vpc',
        action: 'DescribeVpnConnections',
        code: 'Timeout',
        count: 2,
      },
    ]);
  });
});
