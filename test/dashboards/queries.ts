// Reads the shipped Grafana dashboards and their PromQL: shared by the JSON checks and the e2e proof.
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';

export const DASHBOARD_FILES = ['overview.json', 'connection.json'] as const;

/** Metric names fixed by docs/architecture.md ("Metrics"); dashboards may use nothing else. */
export const DESIGN_METRICS: ReadonlySet<string> = new Set([
  'alivpn_connection_info',
  'alivpn_tunnel_up',
  'alivpn_tunnel_ike_sa_up',
  'alivpn_tunnel_ipsec_sa_up',
  'alivpn_tunnel_active',
  'alivpn_tunnel_bgp_up',
  'alivpn_tunnel_state_changes_total',
  'alivpn_tunnel_last_change_timestamp_seconds',
  'alivpn_connection_on_standby',
  'alivpn_connection_failovers_total',
  'alivpn_connection_failbacks_total',
  'alivpn_connection_receive_bits_per_second',
  'alivpn_connection_transmit_bits_per_second',
  'alivpn_finding',
  'alivpn_collect_success',
  'alivpn_collect_duration_seconds',
  'alivpn_last_collect_timestamp_seconds',
  'alivpn_api_requests_total',
  'alivpn_build_info',
  // Part 2: the IKE probe tier.
  'alivpn_ike_probe_success',
  'alivpn_ike_probe_duration_seconds',
  // Part 2: changes and availability.
  'alivpn_config_changes_total',
  'alivpn_connection_observed_seconds_total',
  'alivpn_connection_available_seconds_total',
  'alivpn_connection_standby_seconds_total',
  'alivpn_connection_availability_objective',
]);

/** Series recorded by the shipped recording rules (dashboards/prometheus/slo.yaml): dashboards may use them. */
export const RECORDED_SERIES: ReadonlySet<string> = new Set(
  [
    ...readFileSync(new URL('../../dashboards/prometheus/slo.yaml', import.meta.url), 'utf8').matchAll(
      /^\s*- record: (\S+)$/gm,
    ),
  ].map((m) => m[1]!),
);

export interface GrafanaTarget {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  format?: string;
}

export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
  fieldConfig?: { defaults?: { unit?: string }; overrides?: unknown[] };
  panels?: GrafanaPanel[];
  links?: { url: string }[];
}

export interface GrafanaVariable {
  name: string;
  type: string;
  definition?: string;
  query?: string | { query: string };
  datasource?: { type?: string; uid?: string };
  multi?: boolean;
  includeAll?: boolean;
}

export interface GrafanaAnnotation {
  name: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating: { list: GrafanaVariable[] };
  annotations: { list: GrafanaAnnotation[] };
  links: { title: string; type: string; url?: string }[];
}

export function loadDashboard(file: string): GrafanaDashboard {
  const url = new URL(`../../dashboards/grafana/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as GrafanaDashboard;
}

/** Panels including those nested in collapsed rows. */
export function allPanels(dashboard: GrafanaDashboard): GrafanaPanel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface DashboardQuery {
  dashboard: string;
  /** Panel title, annotation name or variable name. */
  where: string;
  expr: string;
}

/** Every PromQL expression of a dashboard: panel targets and annotation queries. */
export function dashboardQueries(dashboard: GrafanaDashboard): DashboardQuery[] {
  const fromPanels = allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((t) => t.expr)
      .map((t) => ({
        dashboard: dashboard.uid,
        where: `panel "${panel.title}" ${t.refId ?? ''}`,
        expr: t.expr!,
      })),
  );
  const fromAnnotations = dashboard.annotations.list
    .filter((a) => a.expr)
    .map((a) => ({ dashboard: dashboard.uid, where: `annotation "${a.name}"`, expr: a.expr! }));
  return [...fromPanels, ...fromAnnotations];
}

export const variableQuery = (v: GrafanaVariable): string =>
  typeof v.query === 'string' ? v.query : (v.query?.query ?? v.definition ?? '');

/**
 * Replaces Grafana variables the way Grafana does before sending a query: `$name`, `${name}` and
 * `[[name]]`. Longest names first so `$__rate_interval` is not cut at `$__rate`.
 */
export function substituteVariables(expr: string, values: Record<string, string>): string {
  let out = expr;
  for (const name of Object.keys(values).sort((a, b) => b.length - a.length)) {
    const value = values[name]!;
    out = out.split(`\${${name}}`).join(value).split(`[[${name}]]`).join(value);
    out = out.replace(new RegExp(`\\$${name.replace(/[$]/g, '\\$')}(?![A-Za-z0-9_])`, 'g'), () => value);
  }
  return out;
}

/** Variables left in an expression after substitution (a dashboard bug if any). */
export const leftoverVariables = (expr: string): string[] => expr.match(/\$\{?\w+\}?|\[\[\w+\]\]/g) ?? [];

export interface ParsedPromql {
  errors: string[];
  metricNames: string[];
  /** Contents of every `[...]` range of a matrix selector, e.g. "$__rate_interval". */
  ranges: string[];
}

/** Parses PromQL with Prometheus's own lezer grammar. */
export function parsePromql(expr: string): ParsedPromql {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const metricNames: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`syntax error at ${node.from}: "${expr.slice(node.from, node.from + 20)}"`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        metricNames.push(expr.slice(node.from, node.to));
      }
    },
  });
  const ranges = [...expr.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  return { errors, metricNames, ranges };
}
