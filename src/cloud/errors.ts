import type { CloudErrorKind, Product } from './types.js';

export interface CloudErrorFields {
  kind: CloudErrorKind;
  code: string;
  product: Product;
  action: string;
  account: string;
  region: string;
  message: string;
  /** The cause alone (Alibaba's or the transport's message), without the product/action/where prefix. */
  detail?: string;
  requestId?: string;
  /** The RAM action Alibaba names in AccessDeniedDetail.AuthAction. */
  missingAction?: string;
  httpStatus?: number;
  /** Attempts made, including the failing one. */
  attempts?: number;
}

/** A normalised API failure. Its message never contains credentials. */
export class CloudError extends Error {
  readonly kind: CloudErrorKind;
  readonly code: string;
  readonly product: Product;
  readonly action: string;
  readonly account: string;
  readonly region: string;
  readonly requestId?: string;
  readonly missingAction?: string;
  readonly httpStatus?: number;
  readonly attempts: number;
  readonly detail: string;

  constructor(fields: CloudErrorFields) {
    super(fields.message);
    this.name = 'CloudError';
    this.kind = fields.kind;
    this.code = fields.code;
    this.product = fields.product;
    this.action = fields.action;
    this.account = fields.account;
    this.region = fields.region;
    this.attempts = fields.attempts ?? 1;
    this.detail = fields.detail ?? fields.message;
    if (fields.requestId !== undefined) this.requestId = fields.requestId;
    if (fields.missingAction !== undefined) this.missingAction = fields.missingAction;
    if (fields.httpStatus !== undefined) this.httpStatus = fields.httpStatus;
  }
}
