// One error shape for the whole API: { statusCode, error, message }, with validation messages
// that name the parameter and what is expected, and no internals (or secrets) on a 5xx.
import type { FastifyError, FastifyInstance } from 'fastify';
import { z } from 'zod';

/** Every 4xx/5xx body of the API (and of unknown paths). */
export const errorResponseSchema = z.object({
  statusCode: z.int(),
  error: z.string(),
  message: z.string(),
});
export type ErrorResponse = z.output<typeof errorResponseSchema>;

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

export function validationMessage(context: string, issues: AjvIssue[]): string {
  return issues
    .map((i) => {
      const where = `${context}${i.instancePath.replace(/\//g, '.')}`;
      switch (i.keyword) {
        case 'additionalProperties':
          return `${where}: unknown parameter "${String(i.params.additionalProperty)}"`;
        case 'enum':
          return `${where} must be one of: ${(i.params.allowedValues as unknown[]).join(', ')}`;
        case 'pattern':
          return `${where} must match ${String(i.params.pattern)}`;
        default:
          return `${where} ${i.message ?? i.keyword}`;
      }
    })
    .join('; ');
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const message = validationMessage(err.validationContext ?? 'request', err.validation as AjvIssue[]);
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
    }
    const code = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (code >= 500) {
      req.log.error({ err }, 'request failed');
      return reply
        .code(code)
        .send({ statusCode: code, error: 'Internal Server Error', message: 'internal error' });
    }
    return reply.code(code).send({ statusCode: code, error: REASONS[code] ?? 'Error', message: err.message });
  });
}
