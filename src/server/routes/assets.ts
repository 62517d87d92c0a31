// The report's stylesheet and script, and an empty favicon: public, so the sign-in page is styled.
import type { FastifyPluginAsync } from 'fastify';
import { APP_CSS, APP_JS } from '../../report/html/assets.js';

export const assetRoutes: FastifyPluginAsync = async (app) => {
  app.get('/assets/app.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(APP_CSS),
  );
  app.get('/assets/app.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(APP_JS),
  );
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.code(204).send());
};
