// The on-call HTML report: fleet at "/", one connection at "/connections/:id". Registered inside
// the token gate (gate.ts); the assets and the sign-in form live in assets.ts and login.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { Lang } from '../../model/finding.js';
import { buildReport, reportInputFromView } from '../../report/build.js';
import { renderConnectionPage } from '../../report/html/connection.js';
import { renderFleetPage } from '../../report/html/fleet.js';
import { renderNotFoundPage } from '../../report/html/message.js';
import { renderMarkdown } from '../../report/markdown.js';
import type { ReportStatus } from '../../report/schema.js';
import { STATUSES } from '../../report/status.js';
import type { DoctorView } from '../../view/doctor-view.js';
import * as S from '../schemas.js';

export interface HtmlOptions {
  view: DoctorView;
  now: () => number;
  trafficHours: number;
}

const HTML = 'text/html; charset=utf-8';
/** Newest events on the connection page; older ones are in the API with `since`. */
const TIMELINE_LIMIT = 200;

export const htmlRoutes: FastifyPluginAsync<HtmlOptions> = async (app, opts) => {
  const { view, now } = opts;

  app.get<{ Querystring: { account?: string; region?: string; status?: string; lang: Lang } }>(
    '/',
    { schema: { summary: 'On-call report: the fleet', tags: ['html'], querystring: S.htmlFleetQuery } },
    async (req, reply) => {
      const { lang } = req.query;
      // Empty form fields mean "all".
      const filters = {
        account: req.query.account || undefined,
        region: req.query.region || undefined,
        status: (req.query.status || undefined) as ReportStatus | undefined,
      };
      const input = reportInputFromView(view);
      const all = buildReport(input, { lang, now: now() });
      const report = buildReport(input, { lang, filters, now: now() });
      const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ReportStatus, number>;
      for (const c of all.connections) counts[c.status]++;
      const accounts = [...new Set(all.connections.map((c) => c.account))].sort();
      const regions = [...new Set(all.connections.map((c) => c.region))].sort();
      return reply
        .type(HTML)
        .send(renderFleetPage({ report, lang, filters, accounts, regions, counts, base: '' }));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { lang: Lang } }>(
    '/connections/:id',
    {
      schema: {
        summary: 'On-call report: one connection',
        tags: ['html'],
        params: S.connectionIdParams,
        querystring: S.langQuery,
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { lang } = req.query;
      const at = now();
      const report = buildReport(reportInputFromView(view), { lang, filters: { connection: id }, now: at });
      const connection = report.connections.find((c) => c.id === id);
      if (!connection)
        return reply
          .code(404)
          .type(HTML)
          .send(renderNotFoundPage(lang, id, ''));
      const events = view.events({ connectionId: id, limit: TIMELINE_LIMIT });
      const markdown = renderMarkdown({ ...report, connections: [connection] }, lang, {
        events: { [id]: events.slice(0, 20) },
      });
      const page = renderConnectionPage({
        connection,
        events,
        traffic: view.trafficHistory(id, at - opts.trafficHours * 3_600_000),
        trafficHours: opts.trafficHours,
        markdown,
        lang,
        generatedAt: report.generatedAt,
        errors: report.errors,
        base: '',
      });
      return reply.type(HTML).send(page);
    },
  );
};
