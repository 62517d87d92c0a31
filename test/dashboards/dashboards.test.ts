// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Grafana variable references, not JS templates
// Grafana conventions for the shipped dashboards and provisioning files (no Grafana needed).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  allPanels,
  DASHBOARD_FILES,
  DESIGN_METRICS,
  dashboardQueries,
  leftoverVariables,
  loadDashboard,
  parsePromql,
  RECORDED_SERIES,
  substituteVariables,
  variableQuery,
} from './queries.js';

const FIXED_UIDS: Record<string, string> = {
  'overview.json': 'alivpn-overview',
  'connection.json': 'alivpn-connection',
};
const SAMPLE_VALUES = {
  datasource: 'alivpn-prometheus',
  account: '.*',
  region: '.*',
  connection: 'vco-test',
  report_base_url: 'http://localhost:9756',
  __rate_interval: '1m',
  __interval: '30s',
  __range: '1h',
};

const dashboards = DASHBOARD_FILES.map((file) => ({ file, dashboard: loadDashboard(file) }));

describe('Grafana dashboards', () => {
  it('have fixed, distinct uids', () => {
    const uids = dashboards.map(({ file, dashboard }) => {
      expect(dashboard.uid, file).toBe(FIXED_UIDS[file]);
      return dashboard.uid;
    });
    expect(new Set(uids).size).toBe(uids.length);
  });

  for (const { file, dashboard } of dashboards) {
    describe(file, () => {
      const panels = allPanels(dashboard).filter((p) => p.type !== 'row');

      it('has distinct panel ids', () => {
        const ids = allPanels(dashboard).map((p) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
      });

      it('gives every panel a unit, a description and the datasource variable', () => {
        expect(panels.length).toBeGreaterThan(5);
        for (const panel of panels) {
          expect(panel.description?.trim().length ?? 0, `${panel.title}: description`).toBeGreaterThan(20);
          expect(panel.fieldConfig?.defaults?.unit, `${panel.title}: unit`).toMatch(/^\S+$/);
          expect(panel.datasource?.uid, `${panel.title}: datasource`).toBe('${datasource}');
          expect(panel.targets?.length ?? 0, `${panel.title}: targets`).toBeGreaterThan(0);
        }
      });

      it('has a datasource variable and account → region → connection chained through label_values', () => {
        const vars = dashboard.templating.list;
        const byName = new Map(vars.map((v) => [v.name, v]));
        expect(byName.get('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
        const account = variableQuery(byName.get('account')!);
        const region = variableQuery(byName.get('region')!);
        const connection = variableQuery(byName.get('connection')!);
        expect(account).toMatch(/^label_values\(alivpn_\w+, account\)$/);
        expect(region).toMatch(/^label_values\(alivpn_\w+\{account=~"\$account"\}, region\)$/);
        expect(connection).toMatch(
          /^label_values\(alivpn_\w+\{account=~"\$account", region=~"\$region"\}, connection_id\)$/,
        );
        for (const name of ['account', 'region', 'connection']) {
          const v = byName.get(name)!;
          expect(v.type).toBe('query');
          expect(v.datasource?.uid, name).toBe('${datasource}');
          const metric = /^label_values\((\w+)/.exec(variableQuery(v))?.[1];
          expect(DESIGN_METRICS.has(metric ?? ''), `${name} uses ${metric}`).toBe(true);
        }
        // Chain order: a variable may only refer to variables defined before it.
        const order = vars.map((v) => v.name);
        expect(order.indexOf('account')).toBeLessThan(order.indexOf('region'));
        expect(order.indexOf('region')).toBeLessThan(order.indexOf('connection'));
      });

      it('uses only contract metric names (docs/architecture.md), valid PromQL and $__rate_interval/$__range windows', () => {
        const queries = dashboardQueries(dashboard);
        expect(queries.length).toBeGreaterThan(8);
        for (const q of queries) {
          const expr = substituteVariables(q.expr, SAMPLE_VALUES);
          expect(leftoverVariables(expr), `${q.where}: unknown variables`).toEqual([]);
          const parsed = parsePromql(expr);
          expect(parsed.errors, `${q.where}: ${expr}`).toEqual([]);
          expect(parsed.metricNames.length, `${q.where}: no metric`).toBeGreaterThan(0);
          for (const name of parsed.metricNames) {
            expect(
              DESIGN_METRICS.has(name) || RECORDED_SERIES.has(name),
              `${q.where}: metric ${name} is not a contract metric (docs/architecture.md) nor recorded by slo.yaml`,
            ).toBe(true);
          }
          for (const range of parsePromql(q.expr).ranges) {
            expect(['$__rate_interval', '$__range'], `${q.where}: window [${range}]`).toContain(range);
          }
        }
      });
    });
  }

  it('lets the overview open the drill-down and the drill-down open the report page', () => {
    const [overview, connection] = [loadDashboard('overview.json'), loadDashboard('connection.json')];
    const overviewLinks = JSON.stringify(overview.panels);
    expect(overviewLinks).toContain('/d/alivpn-connection/');
    expect(overviewLinks).toContain('var-connection=${__data.fields.connection_id}');

    const reportVar = connection.templating.list.find((v) => v.name === 'report_base_url');
    expect(reportVar?.type).toBe('textbox');
    expect(connection.links.map((l) => l.url)).toContain('${report_base_url}/connections/${connection}');
    const connVar = connection.templating.list.find((v) => v.name === 'connection');
    expect(connVar).toMatchObject({ multi: false, includeAll: false });
  });

  it('marks failovers and failbacks as annotations on the drill-down', () => {
    const names = loadDashboard('connection.json')
      .annotations.list.filter((a) => a.expr)
      .map((a) => a.name);
    expect(names).toEqual(['Failover', 'Failback']);
  });
});

describe('Grafana provisioning', () => {
  const root = new URL('../../dashboards/grafana/provisioning/', import.meta.url);

  it('provides the dashboards from the mounted dashboards/grafana directory', () => {
    const doc = YAML.parse(readFileSync(new URL('dashboards/alivpn-doctor.yaml', root), 'utf8'));
    expect(doc.apiVersion).toBe(1);
    expect(doc.providers).toHaveLength(1);
    expect(doc.providers[0]).toMatchObject({
      type: 'file',
      options: { path: '/var/lib/grafana/dashboards/alivpn-doctor' },
    });
    for (const file of DASHBOARD_FILES) {
      expect(existsSync(new URL(`../../dashboards/grafana/${file}`, import.meta.url))).toBe(true);
    }
  });

  it('declares a Prometheus datasource whose URL comes from the environment', () => {
    const doc = YAML.parse(readFileSync(new URL('datasources/alivpn-prometheus.yaml', root), 'utf8'));
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources[0]).toMatchObject({ type: 'prometheus', uid: 'alivpn-prometheus' });
    expect(doc.datasources[0].url).toBe('${PROMETHEUS_URL}');
  });
});
