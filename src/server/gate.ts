// The token gate: one encapsulated context that registers every route needing the token, with the
// check as a hook of that context. Which route matched decides (the router has already decoded and
// matched the path), never the spelling of the URL: `/%61pi/v1/report` is the route `/api/v1/report`
// and meets the same hook. A route registered outside this plugin is public by construction.
//
// Order per request: the rate limiters (route-level onRequest hooks) count it first, then the gate
// (preParsing, before any body is read). A client that failed the token too often is refused with
// 429 for the rest of the window, even with the right token, so guessing cannot go on at 600/min.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Lang } from '../model/finding.js';
import { renderLoginPage } from '../report/html/message.js';
import { type Authenticator, unauthorizedJson } from './auth.js';
import { type ApiOptions, apiRoutes } from './routes/api.js';
import { type HtmlOptions, htmlRoutes } from './routes/html.js';

export interface FailureLimiter {
  /** Seconds to wait when the client is over its failure limit, else null (counts nothing). */
  blocked(req: FastifyRequest): Promise<number | null>;
  /** Counts one failure; seconds to wait when this one went over the limit, else null. */
  fail(req: FastifyRequest): Promise<number | null>;
}

/** Failed tokens per client (IPv6 by /56, as the global limiter) and minute; from @fastify/rate-limit. */
export function failureLimiter(app: FastifyInstance, max: number): FailureLimiter {
  const limit = app.createRateLimit({ max, timeWindow: 60_000 });
  const wait = (r: Awaited<ReturnType<typeof limit>>) =>
    !r.isAllowed && r.isExceeded ? Math.max(1, r.ttlInSeconds) : null;
  return {
    blocked: async (req) => wait(await limit(req, { increment: false })),
    fail: async (req) => wait(await limit(req)),
  };
}

export interface GateOptions {
  auth: Authenticator;
  failures: FailureLimiter;
  api: ApiOptions;
  html: HtmlOptions;
}

/** Marks a protected route in its config (and in the OpenAPI document as needing the bearer token). */
export const AUTH_CONFIG = { auth: 'token' } as const;

export const gate: FastifyPluginAsync<GateOptions> = async (app, opts) => {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, ...AUTH_CONFIG };
    if (opts.auth.enabled) route.schema = { ...route.schema, security: [{ bearer: [] }] };
  });
  await app.register(async (api) => {
    if (opts.auth.enabled) api.addHook('preParsing', guard(opts, 'json'));
    await api.register(apiRoutes, { prefix: '/api/v1', ...opts.api });
  });
  await app.register(async (pages) => {
    if (opts.auth.enabled) pages.addHook('preParsing', guard(opts, 'page'));
    await pages.register(htmlRoutes, opts.html);
  });
};

function guard(opts: GateOptions, kind: 'json' | 'page') {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const wait = await opts.failures.blocked(req);
    if (wait === null && opts.auth.check(req)) return payload;
    const over = wait ?? (await opts.failures.fail(req));
    if (over !== null) {
      reply.header('retry-after', String(over));
      if (kind === 'json')
        return reply.code(429).send({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `too many failed tokens from this client; retry in ${over} s`,
        });
      return reply
        .code(429)
        .type('text/html; charset=utf-8')
        .send(renderLoginPage({ lang: langOf(req), next: nextOf(req), failure: { limited: over } }));
    }
    if (kind === 'json') return unauthorizedJson(reply);
    return reply
      .code(401)
      .type('text/html; charset=utf-8')
      .send(renderLoginPage({ lang: langOf(req), next: nextOf(req) }));
  };
}

function langOf(req: FastifyRequest): Lang {
  return (req.query as { lang?: unknown } | undefined)?.lang === 'ja' ? 'ja' : 'en';
}

/** Back to the page asked for after sign-in; only a same-site path (no open redirect). */
function nextOf(req: FastifyRequest): string {
  return /^\/(?![/\\])\S{0,500}$/.test(req.url) ? req.url : '/';
}
