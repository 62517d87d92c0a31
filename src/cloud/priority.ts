// A RegionApi whose calls all carry one priority: background tiers (evidence, topology) wrap theirs
// once at entry, so no call site can forget it and the status tier is never queued behind them.
import type { CallPriority } from './token-bucket.js';
import type { RegionApi } from './types.js';

export function withPriority(api: RegionApi, priority: CallPriority): RegionApi {
  return {
    account: api.account,
    region: api.region,
    vpc: api.vpc,
    ecs: api.ecs,
    cms: api.cms,
    call: (product, action, fn, opts) => api.call(product, action, fn, { priority, ...opts }),
  };
}
