// Where a finding's runbook section lives: a base URL (the shipped docs/runbook.md by default, the
// same page the alert annotations in dashboards/prometheus/alerts.yaml link) plus the rule's anchor.

export const DEFAULT_RUNBOOK_BASE_URL =
  'https://github.com/alivpn-doctor/alivpn-doctor/blob/main/docs/runbook.md';

export function runbookUrl(anchor: string, base: string = DEFAULT_RUNBOOK_BASE_URL): string {
  return `${base.replace(/#.*$/, '')}#${encodeURIComponent(anchor)}`;
}
