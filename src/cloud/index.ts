export { CloudError, type CloudErrorFields } from './errors.js';
export { allPagesByNumber, allPagesByToken, MAX_PAGES } from './paging.js';
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
