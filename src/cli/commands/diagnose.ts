// `alivpn-doctor diagnose`: one full collection and evaluation, the report on stdout.
// Exit 0 ok, 1 warning, 2 critical, 3 unknown (could not collect) — see exitCodeFor. It reads and
// writes no store: state lives in memory for the one run.
import pino from 'pino';
import { createDoctor } from '../../daemon/runtime.js';
import { createLogger, secretsOf } from '../../log/logger.js';
import type { Lang } from '../../model/finding.js';
import { buildReport, reportInputFromView } from '../../report/build.js';
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
  if (values.connection !== undefined && !/^vco-[A-Za-z0-9-]+$/.test(values.connection)) {
    throw new UsageError(`--connection takes a connection id like vco-… (got "${values.connection}")`);
  }
  const config = loadConfigOrReport(values.config);
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
      process.stderr.write(
        `diagnose: connection ${values.connection} was not found in any configured account or region\n`,
      );
      process.stdout.write(renderReport(report, format, lang));
      return 3; // unknown: what was asked about could not be seen
    }
    process.stdout.write(renderReport(report, format, lang));
    return exitCodeFor(report);
  } finally {
    close();
  }
}
