// RegionApi: the SDK clients of one account × region, and `call`, which runs an SDK call under the
// request budget with retries, error normalisation and counting.

import type { ZodType } from 'zod';
import type { AppConfig } from '../config/index.js';
import type { Logger } from '../log/logger.js';
import { secrets } from '../log/redact.js';
import { backoffDelay } from './backoff.js';
import { RequestBudgets } from './budget.js';
import { type Classified, classifyError } from './classify.js';
import { createRegionClients, credentialFor } from './clients.js';
import { endpointFor } from './endpoints.js';
import { CloudError } from './errors.js';
import { cmsBodyFailure, type Target, toCloudError } from './failure.js';
import { describeProxy, proxyFor, proxySettings, proxySummary } from './proxy.js';
import { withProxy } from './proxy-agent.js';
import { type ResponseLimit, withResponseLimit } from './response-cap.js';
import { RuntimeOptionsClass } from './sdk.js';
import { checkShape } from './shape.js';
import { ThrottleBackoff } from './throttle.js';
import type { CallPriority } from './token-bucket.js';
import type { ApiCallCounter, Product, RegionApi, RuntimeOptions } from './types.js';

export interface CloudDeps {
  counter: ApiCallCounter;
  logger?: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1) source for backoff jitter (tests make it deterministic). */
  random?: () => number;
  /** Shared budgets (pass one to read budgets.states() for metrics); created from the config if absent. */
  budgets?: RequestBudgets;
  /** Shared throttling backoff (pass one to read its states() for metrics); created from the config if absent. */
  backoff?: ThrottleBackoff;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (default process.env; tests pass their own). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** scheme://host of a product's client: the configured override, else what the SDK resolved for the region. */
function endpointUrl(
  account: AppConfig['accounts'][number],
  product: Product,
  client: object,
): string | undefined {
  const { endpoint, protocol } = endpointFor(account, product);
  const host = endpoint ?? (client as { _endpoint?: unknown })._endpoint;
  return typeof host === 'string' && host !== '' ? `${protocol}://${host}` : undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One RegionApi per configured account × region, in config order. */
export function createRegionApis(config: AppConfig, deps: CloudDeps): RegionApi[] {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const budgets = deps.budgets ?? new RequestBudgets(config.api.budget, { now, sleep });
  const credentials = new Map(config.accounts.map((a) => [a.name, credentialFor(a)]));
  const proxy = proxySettings(config.api, deps.env);
  const summary = proxySummary(proxy);
  if (summary) deps.logger?.info({ proxy: summary }, 'Alibaba Cloud API calls go through an HTTP(S) proxy');
  const ctx: CallContext = {
    learnSecrets: (account) => learnCredential(credentials.get(account)),
    counter: deps.counter,
    logger: deps.logger,
    sleep,
    random: deps.random ?? Math.random,
    budgets,
    backoff: deps.backoff ?? new ThrottleBackoff(config.api.throttleBackoff, now),
    api: config.api,
  };
  return config.accounts.flatMap((account) => {
    const credential = credentials.get(account.name)!;
    return account.regions.map((region) => {
      const clients = createRegionClients(account, region, config.api, credential);
      const endpoints = {
        vpc: endpointUrl(account, 'vpc', clients.vpc),
        ecs: endpointUrl(account, 'ecs', clients.ecs),
        cms: endpointUrl(account, 'cms', clients.cms),
      };
      return {
        account: account.name,
        region,
        ...clients,
        call: <T>(
          product: Product,
          action: string,
          fn: (runtime: RuntimeOptions) => Promise<T>,
          opts?: { priority?: CallPriority; shape?: ZodType },
        ) =>
          withProxy(proxy, () => {
            const endpoint = endpoints[product];
            const via = endpoint === undefined ? undefined : proxyFor(proxy, endpoint);
            return callWithPolicy(
              ctx,
              {
                account: account.name,
                region,
                product,
                action,
                endpoint,
                ...(via && { proxy: describeProxy(via) }),
              },
              fn,
              opts?.priority,
              opts?.shape,
            );
          }),
      } satisfies RegionApi;
    });
  });
}

export interface CallContext {
  /** Teach the scrubber the account's current credential (the chain's may be anything) before a failure is worded. */
  learnSecrets?: (account: string) => Promise<void>;
  counter: ApiCallCounter;
  logger?: Logger | undefined;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  budgets: RequestBudgets;
  backoff?: ThrottleBackoff;
  api: AppConfig['api'];
}

export async function callWithPolicy<T>(
  ctx: CallContext,
  target: Target,
  fn: (runtime: RuntimeOptions) => Promise<T>,
  priority: CallPriority = 'normal',
  shape?: ZodType,
): Promise<T> {
  const { product, action } = target;
  const bucket = ctx.budgets.bucketFor(target.account, target.region, product);
  const maxRetries = ctx.api.retries.max;
  // Backing off after throttling: the call is not sent (and draws no token from the budget).
  const wait = ctx.backoff?.skip(target.account, product);
  if (wait) {
    throw new CloudError({
      ...target,
      kind: 'throttled',
      code: 'BackingOff',
      message: `${product} ${action} in ${target.account}/${target.region} not called: backing off ${Math.ceil(wait.remainingMs / 1000)} s after ${wait.code || 'throttling'} (Alibaba's flow control)`,
      detail: `not called: backing off ${Math.ceil(wait.remainingMs / 1000)} s after ${wait.code || 'throttling'}`,
      attempts: 0,
    });
  }
  for (let attempt = 0; ; attempt++) {
    await bucket.acquire(priority);
    let failure: Classified;
    const limit: ResponseLimit = { product, action, maxBytes: ctx.api.maxResponseBytes };
    try {
      const result = await withDeadline(
        withResponseLimit(limit, () => fn(runtimeOptions(ctx.api))),
        ctx.api.connectTimeoutMs + ctx.api.readTimeoutMs,
      );
      // CloudMonitor's Success:false (its own error code) comes before the shape it then lacks.
      const cmsFailure = product === 'cms' ? cmsFailureOf(result) : undefined;
      if (shape && !cmsFailure)
        checkShape(shape, (result as { body?: unknown } | undefined)?.body, product, action);
      if (!cmsFailure) {
        ctx.counter.record(target, '200');
        ctx.backoff?.succeeded(target.account, product);
        return result;
      }
      failure = cmsFailure;
    } catch (err) {
      failure = classifyError(err);
      // A body that is not JSON loses its HTTP status in the SDK; the response hook saw it.
      if (failure.httpStatus === undefined && limit.answer)
        failure = { ...failure, httpStatus: limit.answer.status };
    }
    ctx.counter.record(target, failure.code);
    const throttled = failure.kind === 'throttled';
    if (throttled) ctx.backoff?.throttledAnswer(target.account, product, failure.code);
    // No retry into a cool-down another call of this account × product has just started.
    const coolingDown = throttled && ctx.backoff?.coolingDown(target.account, product) === true;
    if (!failure.retryable || attempt >= maxRetries || coolingDown) {
      if (throttled) ctx.backoff?.throttledFailure(target.account, product, failure.retryAfterMs);
      await ctx.learnSecrets?.(target.account);
      throw toCloudError(failure, target, attempt + 1, {
        connectTimeoutMs: ctx.api.connectTimeoutMs,
        readTimeoutMs: ctx.api.readTimeoutMs,
        ...(limit.answer?.contentType !== undefined && { contentType: limit.answer.contentType }),
      });
    }
    const delay = backoffDelay(ctx.api.retries, attempt, ctx.random, failure.retryAfterMs);
    ctx.logger?.debug(
      { ...target, code: failure.code, attempt: attempt + 1, delayMs: delay },
      'retrying Alibaba Cloud API call',
    );
    await ctx.sleep(delay);
  }
}

/** The AccessKey secret and STS token the credential (static or from the chain) hands the SDK now. */
async function learnCredential(credential: ReturnType<typeof credentialFor> | undefined): Promise<void> {
  try {
    const c = await credential?.getCredential();
    if (c) secrets.learn([c.accessKeySecret, c.securityToken, c.bearerToken]);
  } catch {
    // No credential to learn: the failure is about that, and its text cannot contain one.
  }
}

/**
 * The SDK's read timer does not fire for a response held on a reused keep-alive socket, so a call
 * could hang until the socket's idle timeout; this bounds every attempt by connect + read timeout.
 * The abandoned request finishes or fails on its own; its result is ignored.
 */
function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`ReadTimeout(${ms}): no complete response within the configured timeouts`);
      err.name = 'RequestTimeoutError';
      reject(err);
    }, ms);
  });
  call.catch(() => undefined); // an abandoned attempt that fails later is not an unhandled rejection
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}

function runtimeOptions(api: AppConfig['api']): RuntimeOptions {
  // autoretry off: retries are ours (budgeted, counted, jittered).
  return new RuntimeOptionsClass({
    readTimeout: api.readTimeoutMs,
    connectTimeout: api.connectTimeoutMs,
    autoretry: false,
  });
}

/** CloudMonitor answers some failures with HTTP 200 and `Success: false`; the SDK does not throw. */
function cmsFailureOf(result: unknown): Classified | undefined {
  const body = (
    result as { body?: { success?: unknown; code?: unknown; message?: unknown; requestId?: unknown } }
  )?.body;
  if (body?.success !== false) return undefined;
  return cmsBodyFailure(body);
}
