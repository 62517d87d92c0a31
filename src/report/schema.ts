// The JSON report, schemaVersion 1 (docs/architecture.md, "JSON report"). Fields may be added; none may be renamed or removed.
import type { LadderLayer, Layer, LayerVerdict, Severity } from '../model/finding.js';
import type { ReportError } from '../model/region-error.js';

export type ReportStatus = 'ok' | 'warning' | 'critical' | 'unknown';

export interface ReportTunnel {
  id: string;
  role: 'primary' | 'standby';
  status: string;
  up: boolean;
  zone: string;
  ip: string;
  customerGatewayIp: string | null;
  /** Additive: layer ladder for this tunnel, when the rule engine ran. */
  ladder?: LayerVerdict[];
  firstFailingLayer?: LadderLayer | null;
  /** Additive: the on-prem device's side of this tunnel, when a configured peer serves it. */
  peer?: ReportPeerSide;
}

/** Both sides of one tunnel, field by field: "Alibaba says / the device says". */
export interface ReportPeerSide {
  name: string;
  ikeConnection: string;
  ikeSaState: string | null;
  childSaUp: boolean;
  rows: { field: string; alibaba: string; device: string | null; agree: boolean | null }[];
}

/** A configured on-prem device: `reachable: false` is unknown, never healthy. */
export interface ReportPeer {
  name: string;
  reachable: boolean;
  error: string | null;
  daemonVersion: string | null;
  collectedAt: string;
}

export interface ReportFinding {
  rule: string;
  severity: Severity;
  layer: Layer;
  tunnelId: string | null;
  title: string;
  summary: string;
  evidence: string[];
  remediation: string[];
  /** Additive: the finding's runbook section (base URL + `#` + the rule's anchor). */
  runbookUrl?: string;
}

export interface ReportConnection {
  id: string;
  name: string;
  account: string;
  region: string;
  vpnGatewayId: string;
  status: ReportStatus;
  activeTunnelId: string | null;
  onStandby: boolean;
  tunnels: ReportTunnel[];
  findings: ReportFinding[];
  /** Additive: last failover (ISO time) known to the state store, null when none. */
  lastFailoverAt?: string | null;
  /** Additive: traffic in bits per second, null when unknown. */
  receiveBps?: number | null;
  transmitBps?: number | null;
}

/** A region that could not be collected (its one owner is the model: the daemon reports it too). */
export type { ReportError } from '../model/region-error.js';

export interface Report {
  schemaVersion: 1;
  generatedAt: string;
  status: ReportStatus;
  connections: ReportConnection[];
  errors: ReportError[];
  /** Additive: present when `peers:` are configured. */
  peers?: ReportPeer[];
}

/** Exit codes of `diagnose`: 2 critical, else 3 unknown (could not collect), else 1 warning, else 0. */
export function exitCodeFor(report: Pick<Report, 'connections' | 'errors'>): 0 | 1 | 2 | 3 {
  const severities = report.connections.flatMap((c) => c.findings.map((f) => f.severity));
  if (severities.includes('critical')) return 2;
  if (report.errors.length > 0 || report.connections.some((c) => c.status === 'unknown')) return 3;
  if (severities.includes('warning')) return 1;
  return 0;
}
