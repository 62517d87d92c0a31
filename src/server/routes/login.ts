// The sign-in form (only when a token is configured). A wrong token counts against the same
// per-client failure limit as a wrong bearer token on the API (see gate.ts), and the page says why
// it refused, in the language the person came with; the language survives the redirect.
import type { FastifyPluginAsync } from 'fastify';
import type { Lang } from '../../model/finding.js';
import { renderLoginPage } from '../../report/html/message.js';
import { type Authenticator, sessionCookie } from '../auth.js';
import type { FailureLimiter } from '../gate.js';

export interface LoginOptions {
  auth: Authenticator;
  failures: FailureLimiter;
}

const HTML = 'text/html; charset=utf-8';

export const loginRoutes: FastifyPluginAsync<LoginOptions> = async (app, { auth, failures }) => {
  app.get<{ Querystring: { lang: Lang; next?: string } }>(
    '/login',
    { schema: { hide: true, querystring: loginQuery } },
    async (req, reply) =>
      reply.type(HTML).send(renderLoginPage({ lang: req.query.lang, next: req.query.next ?? '/' })),
  );

  app.post<{ Body: { token: string; next?: string; lang: Lang } }>(
    '/login',
    // Guessing is bounded by the failure limiter shared with the API, not by a limit of this route.
    { schema: { hide: true, body: loginBody } },
    async (req, reply) => {
      const { lang } = req.body;
      const next = req.body.next ?? '/';
      const blocked = await failures.blocked(req);
      const session = blocked === null ? auth.sessionFor(req.body.token) : null;
      if (session)
        return reply.header('set-cookie', sessionCookie(session)).redirect(withLang(next, lang), 303);
      const wait = blocked ?? (await failures.fail(req));
      if (wait !== null)
        return reply
          .code(429)
          .header('retry-after', String(wait))
          .type(HTML)
          .send(renderLoginPage({ lang, next, failure: { limited: wait } }));
      return reply
        .code(401)
        .type(HTML)
        .send(renderLoginPage({ lang, next, failure: 'wrong' }));
    },
  );
};

/** The page after sign-in keeps the language of the sign-in page unless `next` names one. */
export function withLang(next: string, lang: Lang): string {
  if (lang === 'en' || /[?&]lang=/.test(next)) return next;
  const hash = next.indexOf('#');
  const [path, frag] = hash < 0 ? [next, ''] : [next.slice(0, hash), next.slice(hash)];
  return `${path}${path.includes('?') ? '&' : '?'}lang=${lang}${frag}`;
}

/** Only same-site paths: "/…" but not "//host" (no open redirect). */
const NEXT_PATH = { type: 'string', pattern: '^/(?![/\\\\])[^\\s]{0,500}$' } as const;
const LANG = { type: 'string', enum: ['en', 'ja'], default: 'en' } as const;
const loginQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { lang: LANG, next: NEXT_PATH },
} as const;
const loginBody = {
  type: 'object',
  required: ['token'],
  additionalProperties: false,
  properties: { token: { type: 'string', minLength: 1, maxLength: 1024 }, next: NEXT_PATH, lang: LANG },
} as const;
