// Where each product's client sends its requests. Without an override we leave `endpoint` unset so
// the SDK resolves it from the region exactly as Alibaba does (cn-hangzhou's central VPC endpoint,
// ecs-cn-hangzhou, metrics.R for CloudMonitor).
import type { AccountConfig } from '../config/index.js';
import type { Product } from './types.js';

export interface EndpointChoice {
  /** host[:port] for Config.endpoint; undefined = let the SDK resolve the regional endpoint. */
  endpoint?: string;
  protocol: 'http' | 'https';
}

export function endpointFor(
  account: Pick<AccountConfig, 'endpoint' | 'endpoints'>,
  product: Product,
): EndpointChoice {
  const override = account.endpoints?.[product] ?? account.endpoint;
  if (override === undefined) return { protocol: 'https' };
  const url = new URL(override.includes('://') ? override : `https://${override}`);
  return { endpoint: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}
