// `alivpn-doctor diagnose`: one full collection and evaluation, the report on stdout.
// Exit 0 ok, 1 warning, 2 critical, 3 unknown (could not collect) — see exitCodeFor. It reads and
// writes no store: state lives in memory for the one run.
import pino from 'pino';
import { createDoctor } from '../../daemon/runtime.js';
import { createLogger, secretsOf } from '../../log/logger.js';
import type { Lang } from '../../model/finding.js';
import { isConnectionId } from '../../model/ids.js';
import { buildReport, reportInputFromView } from '../../report/build.js';
import { statusName, t } from '../../report/i18n.js';
import { renderMarkdown } from '../../report/markdown.js';
import { exitCodeFor, type Report } from '../../report/schema.js';
import { renderText } from '../../report/text.js';
import { oneOf, parse, UsageError } from '../args.js';
import { loadConfigOrReport } from '../config-arg.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
const LANGS = ['en', 'ja'] as const;

export function renderReport(report: Report, format: (typeof FORMATS)[number], lang: Lang): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'markdown' ? renderMarkdown(report, lang) : renderText(report, lang);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    config: { type: 'string', short: 'c' },
    connection: { type: 'string' },
    format: { type: 'string', short: 'f' },
    lang: { type: 'string' },
  });
  const format = oneOf('format', values.format, FORMATS, 'text');
  const lang = oneOf('lang', values.lang, LANGS, 'en');
  if (values.connection !== undefined && !isConnectionId(values.connection)) {
    throw new UsageError(`--connection takes a connection id like vco-… (got "${values.connection}")`);
  }
  // A one-shot report serves nothing: an unset ${ALIVPN_TOKEN} in `server` is not its problem.
  const config = loadConfigOrReport(values.config, { unusedSections: ['server'] });
  // A config that cannot be used gives no verdict: unknown (3), as every other failure to collect.
  if (!config) return 3;

  // stdout carries the report; logs go to stderr, warnings and worse only.
  const logger = createLogger({
    level: config.logging.level === 'info' ? 'warn' : config.logging.level,
    secrets: secretsOf(config),
    destination: pino.destination({ fd: 2, sync: true }),
  });
  // One collection needs no history, and the configured store may be owned by a running `serve`
  // (one writer per store: two count every transition twice). diagnose keeps its state in memory.
  const oneShot = { ...config, storage: { ...config.storage, path: ':memory:' } };
  const { doctor, close } = createDoctor(oneShot, { logger });
  try {
    await doctor.collectOnce();
    const report = buildReport(reportInputFromView(doctor), {
      lang,
      ...(values.connection !== undefined && { filters: { connection: values.connection } }),
    });
    if (values.connection !== undefined && report.connections.length === 0 && report.errors.length === 0) {
      // Not "OK (0 connections)": what was asked about could not be seen, which is unknown (3).
      const where = config.accounts.flatMap((a) => a.regions.map((r) => `${a.name} / ${r}`)).join(', ');
      const message = t(lang, 'connectionNotFound', { id: values.connection, where });
      if (format === 'json') {
        process.stderr.write(`diagnose: ${message}\n`);
        process.stdout.write(renderReport({ ...report, status: 'unknown' }, format, lang));
      } else process.stdout.write(`${statusName(lang, 'unknown').toUpperCase()}: ${message}\n`);
      return 3;
    }
    process.stdout.write(renderReport(report, format, lang));
    return exitCodeFor(report);
  } finally {
    close();
  }
}
