// The alert rules pass `promtool check rules` and their `promtool test rules` unit tests, every contract (docs/architecture.md)
// alert is covered (firing and a near miss), and the example Alertmanager routing is valid.
// promtool/amtool come from the Debian packages `prometheus` and `prometheus-alertmanager`: when they
// are missing this test FAILS (findBinary throws), it never skips.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { findBinary } from '../support/prom-stack.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROM_DIR = `${ROOT}dashboards/prometheus`;
const ALERTS_FILE = `${PROM_DIR}/alerts.yaml`;
/** Availability objectives: recording rules and the burn-rate alerts (issue 17). */
const SLO_FILE = `${PROM_DIR}/slo.yaml`;
const SLO_ALERTS = ['AliVpnAvailabilityBudgetBurn', 'AliVpnAvailabilityBudgetBurnSlow'];
const SLO_RECORDING_RULES = 18;
const TEST_FILES = readdirSync(`${PROM_DIR}/tests`)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `${PROM_DIR}/tests/${f}`);
const AM_EXAMPLE = `${ROOT}dashboards/alertmanager/alertmanager.example.yml`;

const DESIGN_ALERTS = [
  'AliVpnFailover',
  'AliVpnConnectionDown',
  'AliVpnStandbyTunnelDown',
  'AliVpnTunnelFlapping',
  'AliVpnCriticalFinding',
  'AliVpnCollectorFailing',
  'AliVpnIkeProbeFailing',
];

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const alertRules = (): AlertRule[] =>
  (YAML.parse(readFileSync(ALERTS_FILE, 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap(
    (g) => g.rules,
  );

async function runTool(bin: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: ROOT });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('Prometheus alert rules', () => {
  it('pass promtool check rules', async () => {
    const result = await runTool(findBinary('promtool'), ['check', 'rules', ALERTS_FILE]);
    expect(result.output).toContain(`SUCCESS: ${DESIGN_ALERTS.length} rules found`);
    expect(result.code, result.output).toBe(0);
    const slo = await runTool(findBinary('promtool'), ['check', 'rules', SLO_FILE]);
    expect(slo.output).toContain(`SUCCESS: ${SLO_ALERTS.length + SLO_RECORDING_RULES} rules found`);
    expect(slo.code, slo.output).toBe(0);
  });

  it('pass their promtool unit tests', async () => {
    expect(TEST_FILES.length).toBeGreaterThan(0);
    const result = await runTool(findBinary('promtool'), ['test', 'rules', ...TEST_FILES]);
    expect(result.output).not.toContain('FAILED');
    expect(result.output.match(/SUCCESS/g)?.length, result.output).toBe(TEST_FILES.length);
    expect(result.code, result.output).toBe(0);
  }, 180_000);

  it('define exactly the contract alerts (docs/architecture.md), each with severity, summary, description and runbook_url', () => {
    const rules = alertRules();
    expect(rules.map((r) => r.alert).sort()).toEqual([...DESIGN_ALERTS].sort());
    for (const rule of rules) {
      expect(rule.labels?.severity, rule.alert).toBeTruthy();
      expect(rule.for, `${rule.alert} for:`).toMatch(/^\d+[smh]$/);
      expect(rule.annotations?.summary, rule.alert).toContain('{{ $labels.');
      expect(rule.annotations?.description, rule.alert).toContain('{{ $labels.');
      expect(rule.annotations?.runbook_url, rule.alert).toMatch(
        /^https:\/\/\S+\/docs\/runbook\.md#([a-z0-9-]+|\{\{ \$labels\.rule \}\})$/,
      );
    }
  });

  it('are unit-tested for every alert: firing with exact labels and annotations, and a near miss', () => {
    const firing = new Set<string>();
    const nearMiss = new Set<string>();
    for (const file of TEST_FILES) {
      const doc = YAML.parse(readFileSync(file, 'utf8')) as {
        tests: {
          alert_rule_test?: {
            alertname: string;
            exp_alerts: { exp_labels?: object; exp_annotations?: Record<string, string> }[];
          }[];
        }[];
      };
      for (const test of doc.tests) {
        for (const check of test.alert_rule_test ?? []) {
          if (check.exp_alerts.length === 0) nearMiss.add(check.alertname);
          const complete = check.exp_alerts.every(
            (a) =>
              a.exp_labels &&
              a.exp_annotations?.summary &&
              a.exp_annotations.description &&
              a.exp_annotations.runbook_url,
          );
          if (check.exp_alerts.length > 0 && complete) firing.add(check.alertname);
        }
      }
    }
    const every = [...DESIGN_ALERTS, ...SLO_ALERTS].sort();
    expect([...firing].sort()).toEqual(every);
    expect([...nearMiss].sort()).toEqual(every);
  });
});

describe('example Alertmanager configuration', () => {
  const amtool = () => findBinary('amtool');
  const route = async (labels: string[]): Promise<string> => {
    const result = await runTool(amtool(), [
      'config',
      'routes',
      'test',
      `--config.file=${AM_EXAMPLE}`,
      ...labels,
    ]);
    expect(result.code, result.output).toBe(0);
    return result.output
      .split('\n')
      .find((l) => l.trim() && !l.startsWith('Warning'))!
      .trim();
  };

  it('passes amtool check-config', async () => {
    const result = await runTool(amtool(), ['check-config', AM_EXAMPLE]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });

  it('routes by severity and by the rule that names the cause', async () => {
    const finding = ['alertname=AliVpnCriticalFinding', 'severity=critical'];
    expect(await route([...finding, 'rule=psk-mismatch'])).toBe('onprem-network-pager');
    expect(await route([...finding, 'rule=security-group-blocks'])).toBe('cloud-platform-pager');
    expect(await route(['alertname=AliVpnConnectionDown', 'severity=critical'])).toBe('vpn-oncall-pager');
    expect(await route(['alertname=AliVpnFailover', 'severity=warning'])).toBe('vpn-chat');
  });

  it('lets AliVpnConnectionDown inhibit the redundancy alerts of the same connection', () => {
    const doc = YAML.parse(readFileSync(AM_EXAMPLE, 'utf8')) as {
      inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
    };
    const rule = doc.inhibit_rules.find((r) =>
      r.source_matchers.includes('alertname="AliVpnConnectionDown"'),
    );
    expect(rule?.equal).toEqual(['account', 'region', 'connection_id']);
    const target = new RegExp(`^${/alertname=~"(.*)"/.exec(rule!.target_matchers[0]!)![1]}$`);
    for (const name of ['AliVpnFailover', 'AliVpnStandbyTunnelDown']) expect(name).toMatch(target);
    expect('AliVpnCriticalFinding').not.toMatch(target);
  });
});
