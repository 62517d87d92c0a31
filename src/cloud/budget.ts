// Request budgets: one token bucket per account × product (or per account × region × product when
// `api.budget.scope` is `region`), so a large fleet stays under Alibaba's flow control.
import type { ApiConfig } from '../config/index.js';
import { type Clock, TokenBucket } from './token-bucket.js';
import type { BudgetState, Product } from './types.js';

const realClock: Clock = {
  now: Date.now,
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export class RequestBudgets {
  private readonly buckets = new Map<
    string,
    { account: string; region?: string; product: Product; bucket: TokenBucket }
  >();

  constructor(
    private readonly config: ApiConfig['budget'],
    private readonly clock: Clock = realClock,
  ) {}

  /** The bucket a call for this account, region and product draws from. */
  bucketFor(account: string, region: string, product: Product): TokenBucket {
    const perRegion = this.config.scope === 'region';
    const key = perRegion ? `${account}\u0000${region}\u0000${product}` : `${account}\u0000${product}`;
    let entry = this.buckets.get(key);
    if (!entry) {
      const { rps, burst } = this.config[product];
      entry = {
        account,
        product,
        bucket: new TokenBucket(rps, burst, this.clock),
        ...(perRegion && { region }),
      };
      this.buckets.set(key, entry);
    }
    return entry.bucket;
  }

  /** For metrics: tokens available and waits so far, per bucket. */
  states(): BudgetState[] {
    return [...this.buckets.values()].map(({ account, region, product, bucket }) => ({
      account,
      ...(region !== undefined && { region }),
      product,
      rps: bucket.rps,
      burst: bucket.burst,
      tokensAvailable: bucket.available(),
      waits: bucket.waits,
      waitedMs: bucket.waitedMs,
    }));
  }
}
