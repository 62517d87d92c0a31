// The alert annotations follow `report.runbookBaseUrl`'s pattern: scripts/gen-prometheusrule.ts
// --runbook-base moves every runbook_url of the PrometheusRule to your own runbook (base + `#anchor`,
// or a `%s` pattern), keeping the anchors; the shipped file keeps the shipped links.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { PROMETHEUS_RULE_PATH, renderPrometheusRule } from '../../scripts/gen-prometheusrule.js';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../src/report/runbook.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const WIKI = 'https://wiki.example.com/ops/alivpn-runbook';

interface Rule {
  alert?: string;
  record?: string;
  annotations?: { runbook_url?: string };
}
const rulesOf = (text: string): Rule[] =>
  (YAML.parse(text) as { spec: { groups: { rules: Rule[] }[] } }).spec.groups.flatMap((g) => g.rules);
const alertsOf = (text: string) => rulesOf(text).filter((r) => r.alert);
const anchorOf = (url: string) => url.slice(url.indexOf('#') + 1);

const shipped = readFileSync(PROMETHEUS_RULE_PATH, 'utf8');

describe('gen-prometheusrule --runbook-base', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('ships links to docs/runbook.md, the same base the report uses by default', () => {
    const alerts = alertsOf(shipped);
    expect(alerts.length).toBeGreaterThan(5);
    for (const a of alerts) expect(a.annotations?.runbook_url).toMatch(`${DEFAULT_RUNBOOK_BASE_URL}#`);
  });

  it('moves every alert to the given base and keeps each anchor and everything else', () => {
    const moved = renderPrometheusRule(undefined, { runbookBase: WIKI });
    new PrometheusRule(YAML.parse(moved)).validate();
    const before = alertsOf(shipped);
    const after = alertsOf(moved);
    expect(after.map((a) => a.alert)).toEqual(before.map((a) => a.alert));
    after.forEach((a, i) => {
      const was = before[i]!.annotations!.runbook_url!;
      expect(a.annotations?.runbook_url).toBe(`${WIKI}#${anchorOf(was)}`);
      expect({ ...a, annotations: { ...a.annotations, runbook_url: was } }).toEqual(before[i]);
    });
    expect(after.find((a) => a.alert === 'AliVpnCriticalFinding')?.annotations?.runbook_url).toBe(
      `${WIKI}#{{ $labels.rule }}`,
    );
    expect(rulesOf(moved).filter((r) => r.record)).toEqual(rulesOf(shipped).filter((r) => r.record));
  });

  it('takes a %s pattern (mixins runbookURLPattern)', () => {
    const moved = alertsOf(
      renderPrometheusRule(undefined, { runbookBase: 'https://rb.example.com/alivpn/%s' }),
    );
    expect(moved.find((a) => a.alert === 'AliVpnFailover')?.annotations?.runbook_url).toBe(
      'https://rb.example.com/alivpn/alivpnfailover',
    );
  });

  it('writes your copy from the command line and refuses a base that is not a URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alivpn-rule-'));
    dirs.push(dir);
    const out = join(dir, 'prometheusrule.yaml');
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const script = join(ROOT, 'scripts/gen-prometheusrule.ts');
    const ok = spawnSync(tsx, [script, '--runbook-base', WIKI, '--out', out], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(renderPrometheusRule(undefined, { runbookBase: WIKI }));
    expect(readFileSync(PROMETHEUS_RULE_PATH, 'utf8')).toBe(shipped);
    const bad = spawnSync(tsx, [script, '--runbook-base', 'wiki/runbook'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--runbook-base: "wiki/runbook" is not a URL');
  });
});
