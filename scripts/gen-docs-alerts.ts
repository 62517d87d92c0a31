// docs/reference/alerts.md from dashboards/prometheus/alerts.yaml: every alert with its severity,
// `for:` window, expression, annotations and a link to its section of docs/runbook.md.
import { block, code, doc, table } from './gen-docs-markdown.js';
import { readAlertGroups, readRuleFiles } from './gen-prometheusrule.js';

export interface AlertInfo {
  group: string;
  alert: string;
  expr: string;
  for: string;
  severity: string;
  summary: string;
  description: string;
  runbookUrl: string;
}

export function alertCatalogue(text?: string): AlertInfo[] {
  const groups = text === undefined ? readRuleFiles().groups : readAlertGroups(text).groups;
  return groups.flatMap((g) =>
    g.rules
      .filter((r) => typeof r.alert === 'string')
      .map((r) => {
        const labels = (r.labels ?? {}) as Record<string, string>;
        const annotations = (r.annotations ?? {}) as Record<string, string>;
        return {
          group: g.name,
          alert: r.alert as string,
          expr: String(r.expr ?? '').trim(),
          for: String(r.for ?? '0s'),
          severity: labels.severity ?? '',
          summary: annotations.summary ?? '',
          description: annotations.description ?? '',
          runbookUrl: annotations.runbook_url ?? '',
        };
      }),
  );
}

/** The runbook anchor of an alert: its runbook_url's fragment (AliVpnCriticalFinding's is templated). */
export function runbookAnchor(a: AlertInfo): string {
  return a.runbookUrl.split('#')[1] ?? a.alert.toLowerCase();
}

function runbookLink(a: AlertInfo): string {
  const anchor = runbookAnchor(a);
  if (anchor.includes('{{'))
    return `[runbook](../runbook.md#${a.alert.toLowerCase()}); the URL points at the section of the rule (${code(anchor)}), see [the rule catalogue](rules.md)`;
  return `[runbook](../runbook.md#${anchor})`;
}

export function renderAlertReference(alerts: AlertInfo[] = alertCatalogue()): string {
  const intro = [
    'The Prometheus alerting rules in [`dashboards/prometheus/alerts.yaml`](../../dashboards/prometheus/alerts.yaml) ' +
      '(for prometheus-operator: [`deploy/kubernetes/prometheusrule.yaml`](../../deploy/kubernetes/prometheusrule.yaml), ' +
      'generated from it). Each has a `severity` label, `summary` and `description` annotations naming the ' +
      'connection, tunnel and cause, and a `runbook_url`. What to do when one fires: ' +
      '[the runbook](../runbook.md). Routing and inhibition examples: [docs/integration.md](../integration.md).',
  ].join('\n\n');
  const overview = table(
    ['alert', 'severity', 'for', 'runbook'],
    alerts.map((a) => [`[${a.alert}](#${a.alert.toLowerCase()})`, code(a.severity), a.for, runbookLink(a)]),
  );
  const details = alerts.map((a) =>
    [
      `### ${a.alert}`,
      `Severity ${code(a.severity)} · for ${a.for} · ${runbookLink(a)}`,
      `**Summary:** ${code(a.summary.replace(/\s+/g, ' ').trim())}`,
      block(a.expr, 'promql'),
    ].join('\n\n'),
  );
  return doc('Alert reference', intro, ['## Overview', overview, '## Alerts', ...details]);
}
