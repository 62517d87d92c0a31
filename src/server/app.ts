// The HTTP server: probes, /metrics, the JSON API under /api/v1, the HTML report, OpenAPI at /docs.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createMetrics, type MetricsOptions } from '../metrics/registry.js';
import { renderLoginPage, renderNotFoundPage } from '../report/html/message.js';
import { authenticator, unauthorizedJson } from './auth.js';
import { installErrorHandler } from './errors.js';
import { apiRoutes } from './routes/api.js';
import { htmlRoutes } from './routes/html.js';
import { opsRoutes } from './routes/ops.js';
import { connection as connectionSchema } from './schemas.js';
import type { DoctorView } from './view.js';

export interface ServerOptions {
  version: string;
  /** When set, /api and the HTML report need `Authorization: Bearer <token>` (or a sign-in cookie). */
  authToken?: string;
  logger?: Logger | false;
  /** Requests per client per minute (default 600); POST …/diagnose per client and connection (default 6). */
  rateLimit?: { max?: number; diagnoseMax?: number };
  metrics?: Pick<MetricsOptions, 'staleAfterMs' | 'defaultMetrics'>;
  /** Hours of traffic on the connection page (default 6). */
  trafficHours?: number;
  now?: () => number;
}

const MAX_URL_LENGTH = 4096;

export function buildServer(view: DoctorView, opts: ServerOptions): FastifyInstance {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    // Unknown parameters are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true } },
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 16 * 1024,
  }) as unknown as FastifyInstance;
  const now = opts.now ?? Date.now;
  const auth = authenticator(opts.authToken);
  const metrics = createMetrics(view, { version: opts.version, now, ...opts.metrics });

  installErrorHandler(app);
  app.addSchema(connectionSchema);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Usually served over plain HTTP inside a private network: do not force HTTPS on clients.
    strictTransportSecurity: false,
  });
  app.register(rateLimit, { max: opts.rateLimit?.max ?? 600, timeWindow: 60_000 });
  app.register(swagger, {
    openapi: {
      info: {
        title: 'alivpn-doctor',
        version: opts.version,
        description: 'Diagnosis of Alibaba Cloud IPsec-VPN connections: report, findings, timeline.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      ...(auth.enabled ? { security: [{ bearer: [] }] } : {}),
    },
  });
  app.register(swaggerUi, {
    routePrefix: '/docs',
    // Swagger UI sets inline styles from its script; allow that on /docs only.
    transformStaticCSP: (csp) => csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.length > MAX_URL_LENGTH) {
      return reply.code(414).send({
        statusCode: 414,
        error: 'URI Too Long',
        message: `request URL has ${req.url.length} characters; the limit is ${MAX_URL_LENGTH}`,
      });
    }
    if (!auth.enabled || !isGuarded(req.url) || auth.check(req)) return;
    if (req.url.startsWith('/api/')) return unauthorizedJson(reply);
    return reply
      .code(401)
      .type('text/html; charset=utf-8')
      .send(renderLoginPage('en', '', safeNext(req.url), false));
  });

  app.register(opsRoutes, { view, metrics });
  app.register(apiRoutes, {
    prefix: '/api/v1',
    view,
    now,
    diagnoseMax: opts.rateLimit?.diagnoseMax ?? 6,
  });
  app.register(htmlRoutes, { view, now, auth, trafficHours: opts.trafficHours ?? 6 });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || req.method !== 'GET') {
      return reply
        .code(404)
        .send({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${path}` });
    }
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(renderNotFoundPage('en', path, ''));
  });
  return app;
}

/** The token guards the API and the HTML report; probes, metrics, assets and docs stay open. */
function isGuarded(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/' || path.startsWith('/api/') || path.startsWith('/connections/');
}

function safeNext(url: string): string {
  return /^\/(?![/\\])\S{0,500}$/.test(url) ? url : '/';
}
