// The cloud-access surface the collectors code against: one RegionApi per account × region,
// whose `call` wraps every SDK call with the request budget, retries, error normalisation and
// call counting. Keep this file small: it is a contract.
import type * as CmsSdk from '@alicloud/cms20190101';
import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as VpcSdk from '@alicloud/vpc20160428';
import type * as $dara from '@darabonba/typescript';
import type { ZodType } from 'zod';

export type Product = 'vpc' | 'ecs' | 'cms';
export const PRODUCTS: readonly Product[] = ['vpc', 'ecs', 'cms'];

export type VpcClient = VpcSdk.default;
export type EcsClient = EcsSdk.default;
export type CmsClient = CmsSdk.default;
export type RuntimeOptions = $dara.RuntimeOptions;

export interface RegionApi {
  readonly account: string;
  readonly region: string;
  readonly vpc: VpcClient;
  readonly ecs: EcsClient;
  readonly cms: CmsClient;
  /**
   * Run one SDK call under the request budget (token bucket per account × product), with retries
   * (exponential backoff, full jitter) for transient failures, errors normalised to CloudError,
   * and every attempt counted. `fn` must pass `runtime` to the SDK method (it carries timeouts).
   */
  call<T>(
    product: Product,
    action: string,
    fn: (runtime: RuntimeOptions) => Promise<T>,
    opts?: {
      /** `low` for background tiers (evidence, topology): they never delay the status tier's calls. */
      priority?: 'normal' | 'low';
      /**
       * The documented shape of the response body (see shape.ts): an answer that does not match is
       * a failed attempt (`BadResponse`, retried), never data.
       */
      shape?: ZodType;
    },
  ): Promise<T>;
}

/** Which call an attempt was: the account and region it was made for, the product and action. */
export interface ApiCallKey {
  account: string;
  region: string;
  product: Product;
  action: string;
}

/** Counts every API attempt; feeds alivpn_api_requests_total{account,region,product,action,code}. */
export interface ApiCallCounter {
  /** `code` is "200" for success, else the Alibaba error code (or a synthetic one: "Timeout", "BadResponse", "ResponseTooLarge", "NetworkError"). */
  record(call: ApiCallKey, code: string): void;
  snapshot(): Array<ApiCallKey & { code: string; count: number }>;
}

/** Request-budget state for one account × product, for metrics. */
export interface BudgetState {
  account: string;
  /** Set when budgets are per region (`api.budget.scope: region`). */
  region?: string;
  product: Product;
  rps: number;
  burst: number;
  tokensAvailable: number;
  /** Calls that had to wait for a token, and the total time they waited. */
  waits: number;
  waitedMs: number;
}

export type CloudErrorKind =
  | 'auth'
  | 'permission'
  | 'throttled'
  | 'transient'
  | 'not_found'
  | 'client'
  | 'unsupported'
  | 'unknown';
