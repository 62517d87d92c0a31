// The HTTP server: probes, /metrics, the JSON API under /api/v1, the HTML report, OpenAPI at /docs.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { secrets } from '../log/redact.js';
import { createMetrics, type MetricsOptions } from '../metrics/registry.js';
import { renderNotFoundPage } from '../report/html/message.js';
import type { DoctorView } from '../view/doctor-view.js';
import { authenticator } from './auth.js';
import { installErrorHandler } from './errors.js';
import { failureLimiter, gate } from './gate.js';
import { assetRoutes } from './routes/assets.js';
import { loginRoutes } from './routes/login.js';
import { opsRoutes } from './routes/ops.js';
import { connection as connectionSchema } from './schemas.js';

export interface ServerOptions {
  version: string;
  /** When set, /api and the HTML report need `Authorization: Bearer <token>` (or a sign-in cookie). */
  authToken?: string;
  logger?: Logger | false;
  /**
   * Requests per client per minute (default 600; not the probes); POST …/diagnose per client and
   * connection (default 6); failed tokens per client (default 20, then 429 for the rest of the minute).
   */
  rateLimit?: { max?: number; diagnoseMax?: number; authFailureMax?: number };
  metrics?: Pick<MetricsOptions, 'staleAfterMs' | 'defaultMetrics' | 'objectives'>;
  /** Hours of traffic on the connection page (default 6). */
  trafficHours?: number;
  now?: () => number;
  /** Serve through another listener (serve's reload-proof front) instead of the app's own. */
  serverFactory?: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server;
}

const MAX_URL_LENGTH = 4096;

export function buildServer(view: DoctorView, opts: ServerOptions): FastifyInstance {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    // Unknown parameters are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true } },
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 16 * 1024,
    ...(opts.serverFactory && { serverFactory: opts.serverFactory }),
  }) as unknown as FastifyInstance;
  const now = opts.now ?? Date.now;
  const auth = authenticator(opts.authToken);
  const metrics = createMetrics(view, { version: opts.version, now, ...opts.metrics });

  installErrorHandler(app);
  // Every answer (API JSON, HTML, metrics) leaves through the process's one secret scrubber: here,
  // or for /metrics family by family before it is encoded (metrics/exposition.ts).
  app.addHook('onSend', async (_req, _reply, payload) =>
    typeof payload === 'string' ? secrets.scrubString(payload) : payload,
  );
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
    },
    // Shared schemas appear under their `$id` (ReportConnection), not as def-0.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
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
  });

  // Public routes here; every route that needs the token is registered inside the gate.
  app.register(opsRoutes, { view, metrics });
  app.register(assetRoutes);
  app.register(async (scope) => {
    const failures = failureLimiter(scope, opts.rateLimit?.authFailureMax ?? 20);
    if (auth.enabled) await scope.register(loginRoutes, { auth, failures });
    await scope.register(gate, {
      auth,
      failures,
      api: { view, now, diagnoseMax: opts.rateLimit?.diagnoseMax ?? 6 },
      html: { view, now, trafficHours: opts.trafficHours ?? 6 },
    });
  });

  // Unknown paths count against the client's limit too (probing spellings is traffic like any other).
  let limitUnknown: ReturnType<FastifyInstance['rateLimit']> | undefined;
  const notFoundLimit = async (req: FastifyRequest, reply: FastifyReply) => {
    limitUnknown ??= app.rateLimit();
    await limitUnknown.call(app, req, reply);
  };
  app.setNotFoundHandler({ preHandler: notFoundLimit }, (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || req.method !== 'GET') {
      return reply
        .code(404)
        .send({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${path}` });
    }
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(renderNotFoundPage(/[?&]lang=ja(&|$)/.test(req.url) ? 'ja' : 'en', path, ''));
  });
  return app;
}
