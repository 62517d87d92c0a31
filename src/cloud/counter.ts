import type { ApiCallCounter, ApiCallKey, Product } from './types.js';

type Entry = ApiCallKey & { code: string; count: number };

/** In-memory API call counts by account × region × product × action × code. */
export class InMemoryApiCallCounter implements ApiCallCounter {
  private readonly counts = new Map<string, Entry>();

  record(call: ApiCallKey, code: string): void {
    const { account, region, product, action } = call;
    const key = `${account}\u0000${region}\u0000${product}\u0000${action}\u0000${code}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { account, region, product, action, code, count: 1 });
  }

  snapshot(): Entry[] {
    return [...this.counts.values()].map((e) => ({ ...e }));
  }

  /** Sum over the entries matching the filter (tests, bench). */
  total(
    filter: { account?: string; region?: string; product?: Product; action?: string; code?: string } = {},
  ): number {
    let sum = 0;
    for (const e of this.counts.values())
      if (
        (filter.account === undefined || e.account === filter.account) &&
        (filter.region === undefined || e.region === filter.region) &&
        (filter.product === undefined || e.product === filter.product) &&
        (filter.action === undefined || e.action === filter.action) &&
        (filter.code === undefined || e.code === filter.code)
      )
        sum += e.count;
    return sum;
  }
}
