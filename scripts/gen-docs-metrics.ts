// docs/reference/metrics.md from the metrics registry itself (src/metrics/registry.ts: createMetrics),
// built over an empty view: names, types, help texts and label names do not depend on the data.
import { createMetrics } from '../src/metrics/registry.js';
import type { DoctorView } from '../src/view/doctor-view.js';
import { code, doc, table } from './gen-docs-markdown.js';

export interface MetricInfo {
  name: string;
  type: string;
  help: string;
  labels: string[];
  /** Labels a sample leaves out when they do not apply, with when. */
  absent: Record<string, string>;
}

const EMPTY_VIEW: DoctorView = {
  snapshot: () => null,
  diagnosis: () => ({ findings: [], ladders: [] }),
  events: () => [],
  counters: () => ({
    failovers: {},
    failbacks: {},
    tunnelStateChanges: {},
    tunnelLastChangeMs: {},
    configChanges: {},
    observedSeconds: {},
    availableSeconds: {},
    standbySeconds: {},
    lastFailoverAtMs: {},
  }),
  collectStatus: () => [],
  apiRequests: () => [],
  trafficHistory: () => [],
  ready: () => false,
  refreshEvidence: async () => undefined,
  errors: () => [],
};

/** The daemon's own metrics (default process/Node.js collectors left out: they vary by platform). */
export function metricCatalogue(): MetricInfo[] {
  const { registry } = createMetrics(EMPTY_VIEW, { version: '0.0.0', defaultMetrics: false });
  return registry.getMetricsAsArray().map((m) => {
    const metric = m as unknown as {
      name: string;
      help: string;
      type: string;
      labelNames?: readonly string[];
      absent?: Record<string, string>;
    };
    return {
      name: metric.name,
      type: metric.type,
      help: metric.help,
      labels: [...(metric.labelNames ?? [])],
      absent: { ...metric.absent },
    };
  });
}

export function renderMetricsReference(metrics: MetricInfo[] = metricCatalogue()): string {
  const intro = [
    '`GET /metrics` on the daemon (port 9756 by default) in the Prometheus text format. A scrape ' +
      'reads the last collected state and never calls Alibaba Cloud. Every tunnel of every collected ' +
      'connection has its state series (0 when down, never absent); series of deleted connections ' +
      'disappear. When a region cannot be collected, its last values stay while fresh (5 minutes), ' +
      'then its state series are dropped (unknown, not healthy) and `alivpn_collect_success` is 0.',
    'Connection and tunnel series are identified by `account, region, vpn_gateway_id, connection_id` ' +
      '(tunnel series add `tunnel_id, role`); the connection name, which can change, is only on ' +
      '`alivpn_connection_info`: join it with ' +
      '`* on (connection_id) group_left (connection_name) alivpn_connection_info`. A label that does ' +
      'not apply is absent, never an empty value: each metric below says when a label can be absent.',
    'The `role` label is `primary` (Alibaba `master`, tunnel 1) or `standby` (`slave`, tunnel 2). ' +
      '`alivpn_finding` labels are bounded identifiers only (never free text). Besides these, the ' +
      'prom-client default collectors export the process and Node.js metrics (`process_*`, `nodejs_*`).',
  ].join('\n\n');
  const overview = table(
    ['metric', 'type', 'help'],
    metrics.map((m) => [code(m.name), m.type, m.help]),
  );
  const details = metrics.map((m) =>
    [
      `### ${m.name}`,
      `${m.type} · ${m.help}`,
      `Labels: ${m.labels.length ? m.labels.map(code).join(', ') : 'none'}.`,
      Object.entries(m.absent)
        .map(([label, when]) => `- ${code(label)} is absent when ${when}.`)
        .join('\n'),
    ]
      .filter((part) => part !== '')
      .join('\n\n'),
  );
  return doc('Metrics reference', intro, ['## Overview', overview, '## Metrics', ...details]);
}
