// /api/v1: the JSON report, one connection, its timeline, findings and on-demand diagnosis.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Lang } from '../../model/finding.js';
import { buildReport, type ReportFilters, reportInputFromView } from '../../report/build.js';
import { findingsList } from '../../report/findings-list.js';
import { renderMarkdown } from '../../report/markdown.js';
import type { ReportConnection } from '../../report/schema.js';
import { renderText } from '../../report/text.js';
import { timelineEvent } from '../../report/timeline.js';
import type { DoctorView } from '../../view/doctor-view.js';
import * as S from '../schemas.js';

export interface ApiOptions {
  view: DoctorView;
  now: () => number;
  /** Per client and connection, per minute. */
  diagnoseMax: number;
}

type FilterQuery = ReportFilters & { lang: Lang };

const errors = { 400: S.errorResponse, 401: S.errorResponse, 404: S.errorResponse, 429: S.errorResponse };

export const apiRoutes: FastifyPluginAsync<ApiOptions> = async (app, opts) => {
  const { view, now } = opts;
  const report = (filters: ReportFilters, lang: Lang) =>
    buildReport(reportInputFromView(view), { filters, lang, now: now() });
  const findConnection = (id: string, lang: Lang): ReportConnection | undefined =>
    report({ connection: id }, lang).connections.find((c) => c.id === id);
  const notFound = (id: string) => ({
    statusCode: 404,
    error: 'Not Found',
    message: `connection ${id} not found`,
  });

  app.get<{ Querystring: FilterQuery & { format: 'json' | 'markdown' | 'text' } }>(
    '/report',
    {
      schema: {
        summary: 'The JSON report (schemaVersion 1), or Markdown/text with format=',
        tags: ['report'],
        querystring: S.reportQuery,
        response: { 200: S.report, ...errors },
      },
    },
    async (req, reply) => {
      const { lang, format, ...filters } = req.query;
      const r = report(filters, lang);
      if (format === 'markdown')
        return reply.type('text/markdown; charset=utf-8').send(renderMarkdown(r, lang));
      if (format === 'text') return reply.type('text/plain; charset=utf-8').send(renderText(r, lang));
      return r;
    },
  );

  app.get<{ Querystring: FilterQuery }>(
    '/findings',
    {
      schema: {
        summary: 'Open findings, worst first',
        tags: ['report'],
        querystring: S.findingsQuery,
        response: { 200: S.findingsResponse, ...errors },
      },
    },
    async (req) => {
      const { lang, ...filters } = req.query;
      return findingsList(report(filters, lang));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { lang: Lang } }>(
    '/connections/:id',
    {
      schema: {
        summary: 'One connection: tunnels, ladders, findings',
        tags: ['connections'],
        params: S.connectionIdParams,
        querystring: S.langQuery,
        response: { 200: { $ref: 'ReportConnection' }, ...errors },
      },
    },
    async (req, reply) =>
      findConnection(req.params.id, req.query.lang) ?? reply.code(404).send(notFound(req.params.id)),
  );

  app.get<{ Params: { id: string }; Querystring: { since?: string; limit: number; lang: Lang } }>(
    '/connections/:id/events',
    {
      schema: {
        summary: 'Timeline: state changes, failovers, failbacks, findings opened/resolved, with evidence',
        tags: ['connections'],
        params: S.connectionIdParams,
        querystring: S.eventsQuery,
        response: { 200: S.eventsResponse, ...errors },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const since = req.query.since === undefined ? undefined : Date.parse(req.query.since);
      const events = view.events({ connectionId: id, since, limit: req.query.limit });
      if (events.length === 0 && !findConnection(id, 'en')) return reply.code(404).send(notFound(id));
      return { connectionId: id, events: events.map((e) => timelineEvent(e, req.query.lang)) };
    },
  );

  app.post<{ Params: { id: string }; Querystring: { lang: Lang } }>(
    '/connections/:id/diagnose',
    {
      schema: {
        summary: 'Collect evidence for the connection now and re-evaluate (rate-limited)',
        tags: ['connections'],
        params: S.connectionIdParams,
        querystring: S.langQuery,
        response: { 200: { $ref: 'ReportConnection' }, ...errors, 502: S.errorResponse },
      },
      config: {
        rateLimit: {
          max: opts.diagnoseMax,
          timeWindow: 60_000,
          // The matched route and the decoded id, never the raw URL: every spelling of one
          // connection's path shares one bucket.
          keyGenerator: (req: FastifyRequest) =>
            `${req.ip} ${req.routeOptions.url} ${(req.params as { id?: string }).id}`,
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (!findConnection(id, 'en')) return reply.code(404).send(notFound(id));
      try {
        await view.refreshEvidence(id);
      } catch (err) {
        req.log.warn({ err, connectionId: id }, 'evidence refresh failed');
        return reply.code(502).send({
          statusCode: 502,
          error: 'Bad Gateway',
          message: `evidence refresh for ${id} failed; see the daemon log`,
        });
      }
      return findConnection(id, req.query.lang) ?? reply.code(404).send(notFound(id));
    },
  );
};
