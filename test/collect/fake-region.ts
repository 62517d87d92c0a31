// A RegionApi (C's real cloud layer: budget, retries, counting) pointed at the scripted fake server,
// with a router that answers each action from a handler.

import { InMemoryApiCallCounter } from '../../src/cloud/counter.js';
import { createRegionApis } from '../../src/cloud/region-api.js';
import type { RegionApi } from '../../src/cloud/types.js';
import { parseConfig } from '../../src/config/index.js';
import {
  errorBody,
  type FakeAlibaba,
  type FakeCall,
  type FakeReply,
  startFakeAlibaba,
} from '../support/fake-alibaba.js';

export type Handler = (call: FakeCall) => FakeReply;

export interface FakeRegion {
  api: RegionApi;
  fake: FakeAlibaba;
  counter: InMemoryApiCallCounter;
  handlers: Record<string, Handler>;
  actions(): string[];
  close(): Promise<void>;
}

export const ok = (body: unknown): FakeReply => ({ body: { RequestId: 'req-ok', ...(body as object) } });
export const fail = (status: number, code: string, message = code): FakeReply => ({
  status,
  body: errorBody(code, message),
});

export async function fakeRegion(handlers: Record<string, Handler>): Promise<FakeRegion> {
  const fake = await startFakeAlibaba((call) => {
    const h = handlers[call.action];
    return h ? h(call) : fail(400, 'InvalidAction.NotFound', `no handler for ${call.action}`);
  });
  const config = parseConfig(
    [
      'api: { retries: { max: 1, baseDelayMs: 1, maxDelayMs: 2 }, readTimeoutMs: 5000 }',
      'accounts:',
      '  - name: prod',
      '    accessKeyId: AKIDFAKEEXAMPLE',
      '    accessKeySecret: fake-secret-value',
      '    regions: [cn-hangzhou]',
      `    endpoint: "${fake.url}"`,
    ].join('\n'),
    'test.yaml',
    {},
  );
  const counter = new InMemoryApiCallCounter();
  const [api] = createRegionApis(config, { counter, sleep: async () => {} });
  if (!api) throw new Error('no RegionApi created');
  return {
    api,
    fake,
    counter,
    handlers,
    actions: () => fake.calls.map((c) => c.action),
    close: () => fake.close(),
  };
}

/** Slice a list as Alibaba's PageNumber/PageSize paging does. */
export function page<T>(
  call: FakeCall,
  items: T[],
): { items: T[]; pageNumber: number; pageSize: number; total: number } {
  const pageNumber = Number(call.query.PageNumber ?? '1');
  const pageSize = Number(call.query.PageSize ?? '10');
  return {
    items: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageNumber,
    pageSize,
    total: items.length,
  };
}
