// One API call from raw request to answer: route (action/version → product), authenticate, apply
// faults, let the world answer, render errors as Alibaba does, and record the call.
import {
  PRODUCT_BY_VERSION,
  SimApiError,
  type SimBackend,
  type SimProduct,
  type SimRequest,
} from '../protocol.js';
import type { Authenticator } from './auth.js';
import type { CallLog } from './call-log.js';
import { errorBody, gatewayErrors, newRequestId } from './errors.js';
import type { FaultEngine } from './faults.js';
import { apiTarget, operationParams, type RawCall } from './params.js';

export interface ApiReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Waits `ms`; resolves false when the server is closing (then nothing is written). */
export type Wait = (ms: number) => Promise<boolean>;

const JSON_TYPE = 'application/json;charset=utf-8';

/** What an overloaded Alibaba front end (Tengine) answers with a 502. */
export const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

export interface PipelineDeps {
  backend: SimBackend;
  auth: Authenticator;
  faults: FaultEngine;
  calls: CallLog;
  now: () => number;
}

interface CallContext {
  requestId: string;
  product: SimProduct | undefined;
  region: string | undefined;
}

function jsonReply(
  status: number,
  body: unknown,
  requestId: string,
  extra: Record<string, string> = {},
): ApiReply {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'x-acs-request-id': requestId, ...extra },
    body: JSON.stringify(body),
  };
}

function errorReply(err: SimApiError, ctx: CallContext, retryAfterMs?: number): ApiReply {
  const extra: Record<string, string> =
    retryAfterMs === undefined ? {} : { 'x-acs-retry-after': String(retryAfterMs) };
  return jsonReply(err.httpStatus, errorBody(err, ctx), ctx.requestId, extra);
}

export class ApiPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async handle(call: RawCall, wait: Wait): Promise<ApiReply | undefined> {
    const at = this.deps.now();
    const target = apiTarget(call);
    const params = operationParams(call, target.style);
    const ctx: CallContext = {
      requestId: newRequestId(),
      product: target.version === undefined ? undefined : PRODUCT_BY_VERSION[target.version],
      region: params['RegionId'],
    };
    let account: string | undefined;
    let code = '200';
    let reply: ApiReply | undefined;
    try {
      const outcome = await this.answer(call, target, params, ctx, wait, (a) => {
        account = a;
      });
      reply = outcome.reply;
      code = outcome.code;
    } catch (e) {
      const err = e instanceof SimApiError ? e : gatewayErrors.internalError();
      reply = errorReply(err, ctx);
      code = err.code;
    }
    // A call that names no known product cannot be attributed; the log holds product calls only.
    if (ctx.product && reply) {
      this.deps.calls.add({
        at,
        product: ctx.product,
        action: target.action ?? '',
        region: ctx.region,
        account,
        httpStatus: reply.status,
        code,
      });
    }
    return reply;
  }

  private async answer(
    call: RawCall,
    target: ReturnType<typeof apiTarget>,
    params: Record<string, string>,
    ctx: CallContext,
    wait: Wait,
    setAccount: (account: string) => void,
  ): Promise<{ reply: ApiReply | undefined; code: string }> {
    const v3 = target.style === 'v3';
    if (!target.action) throw gatewayErrors.missingParameter(v3 ? 'x-acs-action' : 'Action');
    if (!target.version) throw gatewayErrors.missingParameter(v3 ? 'x-acs-version' : 'Version');
    if (!ctx.product) throw gatewayErrors.invalidVersion();
    const identity = this.deps.auth.authenticate(call, target.style);
    setAccount(identity.account);

    const plan = this.deps.faults.plan({
      product: ctx.product,
      action: target.action,
      region: ctx.region,
      account: identity.account,
    });
    if (plan.delayMs + plan.holdMs > 0 && !(await wait(plan.delayMs + plan.holdMs))) {
      return { reply: undefined, code: 'Closed' };
    }
    const outcome = plan.outcome;
    if (outcome?.kind === 'error') {
      return { reply: errorReply(outcome.error, ctx, outcome.retryAfterMs), code: outcome.error.code };
    }
    if (outcome?.kind === 'html502') {
      return {
        reply: { status: 502, headers: { 'content-type': 'text/html' }, body: HTML_502 },
        code: 'BadGateway',
      };
    }
    if (outcome?.kind === 'malformed') {
      const whole = JSON.stringify({ RequestId: ctx.requestId, TotalCount: 1, PageNumber: 1, PageSize: 10 });
      const truncated = whole.slice(0, Math.floor(whole.length / 2));
      return { reply: { status: 200, headers: { 'content-type': JSON_TYPE }, body: truncated }, code: '200' };
    }
    const req: SimRequest = {
      product: ctx.product,
      action: target.action,
      version: target.version,
      params,
      accessKeyId: identity.accessKeyId,
      account: identity.account,
      regionId: ctx.region,
      requestId: ctx.requestId,
    };
    const body = await this.deps.backend.handle(req);
    return { reply: jsonReply(200, { RequestId: ctx.requestId, ...body }, ctx.requestId), code: '200' };
  }
}
