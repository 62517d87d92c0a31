// docs/architecture.md stays true: the lists it must cover come from the code (the CLI's command
// registry, the config schema, the rule files, the metrics registry, the alert rule files, the HTTP routes,
// the event kinds, the src/ folders), so adding one of those without a line on the page fails here. And the repository points only into itself: no file cites a design document
// outside it, and no file names a path of the machine it was written on.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { metricCatalogue } from '../../scripts/gen-docs-metrics.js';
import { usage } from '../../src/cli/main.js';
import { configSchema } from '../../src/config/index.js';
import { buildServer } from '../../src/server/app.js';
import { FixtureView } from '../fixtures/view.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PAGE_PATH = join(ROOT, 'docs', 'architecture.md');
const PAGE = readFileSync(PAGE_PATH, 'utf8');
/** The text of every `code span` on the page (commands are read from their first word). */
const SPANS = [...PAGE.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
const named = (name: string) =>
  SPANS.some((s) => s === name || s.startsWith(`${name} `) || s.startsWith(`${name}{`));
const unnamed = (names: string[]) => names.filter((n) => !named(n));

describe('docs/architecture.md names what the code has', () => {
  it('every command of the CLI registry', () => {
    const commands = [...usage().matchAll(/^\s+alivpn-doctor (\S+)/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['serve', 'diagnose', 'simulate', 'demo', 'rules']));
    expect(unnamed(commands), 'add the command to "Command line"').toEqual([]);
  });

  it('every top-level config key', () => {
    const keys = Object.keys(configSchema.shape);
    expect(keys).toContain('accounts');
    expect(unnamed(keys), 'add the key to "Config"').toEqual([]);
  });

  it('every rule id of rules/', () => {
    const dir = join(ROOT, 'rules');
    const ids = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => (YAML.parse(readFileSync(join(dir, f), 'utf8')) as { id: string }).id);
    expect(ids.length).toBeGreaterThan(30);
    expect(unnamed(ids), 'add the rule id to "Rule ids"').toEqual([]);
  });

  it('every metric of the registry', () => {
    const metrics = metricCatalogue().map((m) => m.name);
    expect(metrics).toContain('alivpn_tunnel_up');
    expect(unnamed(metrics), 'add the metric to "Metrics"').toEqual([]);
  });

  it('every alert of the Prometheus rule files (alerts.yaml, slo.yaml, …)', () => {
    const dir = join(ROOT, 'dashboards/prometheus');
    const alerts = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .flatMap((f) => {
        const file = YAML.parse(readFileSync(join(dir, f), 'utf8')) as {
          groups?: { rules: { alert?: string }[] }[];
        };
        return (file.groups ?? []).flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
      });
    expect(alerts).toContain('AliVpnFailover');
    expect(unnamed(alerts), 'add the alert to "Alerts"').toEqual([]);
  });

  it('every route of the HTTP server but its static assets and the OpenAPI UI files', async () => {
    const app = buildServer(new FixtureView(), {
      version: '0',
      authToken: 'token',
      metrics: { defaultMetrics: false },
    });
    const routes: string[] = [];
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${r.url}`);
    });
    await app.ready();
    await app.close();
    const documented = routes.filter((r) => !/ \/(assets|docs)\/|favicon/.test(r));
    expect(documented).toEqual(expect.arrayContaining(['GET /api/v1/report', 'GET /metrics']));
    // named as `METHOD /path`, or by the path alone where the method is GET
    const unnamedRoutes = documented.filter(
      (r) => !SPANS.some((s) => s === r || s.includes(r)) && !(r.startsWith('GET ') && named(r.slice(4))),
    );
    expect(unnamedRoutes, 'add the route to "HTTP API"').toEqual([]);
  });

  it('every event kind', () => {
    const source = readFileSync(join(ROOT, 'src/model/events.ts'), 'utf8');
    const union = /export type EventKind =([\s\S]*?);/.exec(source)?.[1] ?? '';
    const kinds = [...union.matchAll(/\|\s*'([a-z_]+)'/g)].map((m) => m[1]!);
    expect(kinds).toContain('failover');
    expect(unnamed(kinds), 'add the kind to "Events"').toEqual([]);
  });

  it('every folder of src/ in "Layers"', () => {
    const src = join(ROOT, 'src');
    const folders = readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory());
    expect(unnamed(folders.map((f) => `src/${f}`)), 'add a row to "Layers"').toEqual([]);
  });

  it('links only to files that exist', () => {
    const prose = PAGE.replace(/```[\s\S]*?```/g, '');
    const targets = [...prose.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^[a-z]+:/.test(t));
    expect(targets.length).toBeGreaterThan(3);
    expect(targets.filter((t) => !existsSync(join(dirname(PAGE_PATH), t)))).toEqual([]);
    // and the repository paths it names in code spans
    const paths = SPANS.filter((s) =>
      /^(src|test|docs|rules|scenarios|dashboards|config|deploy)\/\S+$/.test(s),
    );
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !existsSync(join(ROOT, p.replace(/[/…]+$/, ''))))).toEqual([]);
  });
});

describe('the repository points only into itself', () => {
  // Files git knows (tracked or new), text only. bench/results holds recorded machine output.
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
    .split('\0')
    .filter((f) => /\.(ts|js|mjs|md|ya?ml|json|sh)$|^Dockerfile$/.test(f))
    .filter((f) => !f.startsWith('bench/results/') && f !== 'package-lock.json')
    .filter((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile());
  const hits = (pattern: RegExp) =>
    files.flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (pattern.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
  const SELF = 'test/docs/architecture.test.ts';

  it('cites docs/architecture.md, not a design document outside the repository', () => {
    expect(files.length).toBeGreaterThan(100);
    const design = new RegExp(['DESIGN', '(\\.md|:)'].join(''));
    expect(hits(design).filter((h) => !h.startsWith(SELF))).toEqual([]);
  });

  it('names no path of the machine it was written on', () => {
    const machine = new RegExp(['(^|[\\s(`\'"])', '/(work|home|root)/'].join(''));
    expect(hits(machine).filter((h) => !h.startsWith(SELF))).toEqual([]);
  });
});
