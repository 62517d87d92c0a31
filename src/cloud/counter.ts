import type { ApiCallCounter, Product } from './types.js';

/** In-memory API call counts by product × action × code. */
export class InMemoryApiCallCounter implements ApiCallCounter {
  private readonly counts = new Map<
    string,
    { product: Product; action: string; code: string; count: number }
  >();

  record(product: Product, action: string, code: string): void {
    const key = `${product}\u0000${action}\u0000${code}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { product, action, code, count: 1 });
  }

  snapshot(): Array<{ product: string; action: string; code: string; count: number }> {
    return [...this.counts.values()].map((e) => ({ ...e }));
  }

  /** Sum over the entries matching the filter (tests, bench). */
  total(filter: { product?: Product; action?: string; code?: string } = {}): number {
    let sum = 0;
    for (const e of this.counts.values())
      if (
        (filter.product === undefined || e.product === filter.product) &&
        (filter.action === undefined || e.action === filter.action) &&
        (filter.code === undefined || e.code === filter.code)
      )
        sum += e.count;
    return sum;
  }
}
