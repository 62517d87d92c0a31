// Where a finding's runbook section lives: the configured `report.runbookBaseUrl` (the shipped
// docs/runbook.md by default, the same page the alert annotations in dashboards/prometheus/alerts.yaml
// link) plus the rule's anchor, or a pattern whose `%s` the anchor replaces (mixins' runbookURLPattern).

export const DEFAULT_RUNBOOK_BASE_URL =
  'https://github.com/alivpn-doctor/alivpn-doctor/blob/main/docs/runbook.md';

export function runbookUrl(anchor: string, base: string = DEFAULT_RUNBOOK_BASE_URL): string {
  const a = encodeURIComponent(anchor);
  if (base.includes('%s')) return base.replace('%s', a);
  return `${base.replace(/#.*$/, '')}#${a}`;
}
