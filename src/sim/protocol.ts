// The seam between the simulator's HTTP transport (server, signatures, faults) and its world
// (state, timeline, operation handlers). The transport never knows what a VPN is; the world never
// parses HTTP.

export type SimProduct = 'vpc' | 'ecs' | 'cms';

/** API versions the real SDKs send in x-acs-version (or Version for the legacy RPC style). */
export const PRODUCT_BY_VERSION: Record<string, SimProduct> = {
  '2016-04-28': 'vpc',
  '2014-05-26': 'ecs',
  '2019-01-01': 'cms',
};

/** One authenticated API call, parameters already flattened as on the wire (`TunnelIds.1`). */
export interface SimRequest {
  product: SimProduct;
  action: string;
  version: string;
  /** Query and form parameters merged, minus the legacy signature parameters. */
  params: Record<string, string>;
  accessKeyId: string;
  /** Name of the world account that owns the AccessKey. */
  account: string;
  /** RegionId parameter when present. */
  regionId: string | undefined;
  requestId: string;
}

/** An API error rendered as Alibaba does: HTTP status plus {RequestId, HostId, Code, Message, Recommend}. */
export class SimApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    /** Extra body fields, e.g. AccessDeniedDetail for Forbidden.RAM. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SimApiError';
  }
}

/** Faults the transport injects; set from a scenario file or the /_sim/faults control endpoint. */
export interface FaultRule {
  /** Which calls: any field omitted matches all. `action` may be a name or '*'. */
  product?: SimProduct;
  action?: string;
  region?: string;
  account?: string;
  kind:
    | 'latency' // add `ms` to every matching call
    | 'throttle' // HTTP 400 Throttling.User for a `ratio` of calls
    | 'qps' // per action × region × account limit `qps`; beyond it Throttling.User
    | 'error5xx' // HTTP `status` (default 503) ServiceUnavailable / InternalError
    | 'html502' // HTTP 502 with an HTML body (the SDK throws a SyntaxError)
    | 'malformed' // HTTP 200 with a truncated JSON body
    | 'timeout' // hold the response for `ms` (beyond the client's read timeout)
    | 'apiError'; // a fixed error: `status`, `code`, `message`
  ms?: number;
  ratio?: number; // 0..1, default 1
  qps?: number;
  status?: number;
  code?: string;
  message?: string;
  /** Applies only for the first `count` matching calls, then disarms. */
  count?: number;
}

/** What the world offers the transport. */
export interface SimBackend {
  /** Look up an AccessKey: its secret and the account it belongs to; undefined when unknown. */
  credential(accessKeyId: string): { secret: string; account: string; securityToken?: string } | undefined;
  /** Answer one call: the response body (PascalCase wire shape), or throw SimApiError. */
  handle(req: SimRequest): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Faults declared by the world (scenario file); the transport adds those set at run time. */
  faults(): FaultRule[];
  /**
   * Control endpoint `/_sim/<path>` (JSON in, JSON out). The transport owns `/_sim/faults` and
   * `/_sim/calls`; everything else (incidents, recovery, clock, world) is the world's.
   */
  control(
    method: string,
    path: string,
    body: unknown,
  ): { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;
}

/** One call as the transport saw it: the simulator's call log (used for API-cost and RAM-policy tests). */
export interface SimCallRecord {
  at: number;
  product: SimProduct;
  action: string;
  region: string | undefined;
  account: string | undefined;
  httpStatus: number;
  code: string; // "200" or the error code
}
