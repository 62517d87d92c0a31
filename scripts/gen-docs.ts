// Generates the reference docs under docs/reference/ from their sources, so they never drift:
// configuration (config schema), metrics (registry), rules (rules/*.yaml), alerts (alerts.yaml).
// Usage: `npm run docs` (write) or `npx tsx scripts/gen-docs.ts --check` (exit 1 when stale).
// test/docs/reference.test.ts runs the check.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAlertReference } from './gen-docs-alerts.js';
import { renderConfigurationReference } from './gen-docs-config.js';
import { doc, table } from './gen-docs-markdown.js';
import { renderMetricsReference } from './gen-docs-metrics.js';
import { renderRuleCatalogue } from './gen-docs-rules.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const REFERENCE_DIR = resolve(ROOT, 'docs/reference');

interface Page {
  file: string;
  title: string;
  source: string;
  render: () => string;
}

const PAGES: Page[] = [
  {
    file: 'configuration.md',
    title: 'Configuration',
    source: 'src/config/schema.ts',
    render: () => renderConfigurationReference(),
  },
  {
    file: 'metrics.md',
    title: 'Metrics',
    source: 'src/metrics/registry.ts',
    render: () => renderMetricsReference(),
  },
  {
    file: 'rules.md',
    title: 'Rule catalogue (en/ja)',
    source: 'rules/*.yaml',
    render: () => renderRuleCatalogue(),
  },
  {
    file: 'alerts.md',
    title: 'Alerts',
    source: 'dashboards/prometheus/alerts.yaml',
    render: () => renderAlertReference(),
  },
];

function renderIndex(): string {
  return doc(
    'Reference',
    'Generated from the sources named below by `npm run docs`; a test fails when a committed page is stale.',
    [
      table(
        ['page', 'generated from'],
        PAGES.map((p) => [`[${p.title}](${p.file})`, `\`${p.source}\``]),
      ),
    ],
  );
}

/** Every reference page: path relative to the repository root → content. */
export function renderReferenceDocs(): Map<string, string> {
  const out = new Map<string, string>([['docs/reference/README.md', renderIndex()]]);
  for (const p of PAGES) out.set(`docs/reference/${p.file}`, p.render());
  return out;
}

/** Paths whose committed content differs from what the sources produce now. */
export function staleReferenceDocs(): string[] {
  const stale: string[] = [];
  for (const [path, content] of renderReferenceDocs()) {
    let current: string | undefined;
    try {
      current = readFileSync(resolve(ROOT, path), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== content) stale.push(path);
  }
  return stale;
}

function main(argv: string[]): number {
  if (argv.includes('--check')) {
    const stale = staleReferenceDocs();
    if (stale.length) process.stderr.write(`stale: ${stale.join(', ')}; run \`npm run docs\`\n`);
    return stale.length ? 1 : 0;
  }
  for (const [path, content] of renderReferenceDocs()) {
    const file = resolve(ROOT, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
