export { type BackoffPolicy, backoffDelay, MAX_RETRY_AFTER_MS } from './backoff.js';
export { RequestBudgets } from './budget.js';
export { type Classified, classifyError, kindOfCode } from './classify.js';
export { createRegionClients, credentialFor, sdkConfigFor } from './clients.js';
export { assertCmsSuccess } from './cms.js';
export { InMemoryApiCallCounter } from './counter.js';
export { type EndpointChoice, endpointFor } from './endpoints.js';
export { CloudError, type CloudErrorFields } from './errors.js';
export { allPagesByNumber, allPagesByToken, MAX_PAGES } from './paging.js';
export { withPriority } from './priority.js';
export { type CloudDeps, createRegionApis } from './region-api.js';
export { BadResponseError, checkShape } from './shape.js';
export { type BackoffState, ThrottleBackoff } from './throttle.js';
export { type CallPriority, type Clock, TokenBucket } from './token-bucket.js';
export type {
  ApiCallCounter,
  BudgetState,
  CloudErrorKind,
  CmsClient,
  EcsClient,
  Product,
  RegionApi,
  RuntimeOptions,
  VpcClient,
} from './types.js';
export { PRODUCTS } from './types.js';
