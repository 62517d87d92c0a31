// What the rule engine concludes, shared by the state store, metrics and reports.

export type Severity = 'critical' | 'warning' | 'info';

/** Layers in ladder order: a tunnel's first failing layer is the one to fix first. */
export const LADDER_LAYERS = ['reachability', 'ike', 'ipsec', 'bgp', 'routing', 'filtering'] as const;
export type LadderLayer = (typeof LADDER_LAYERS)[number];
/** Every rule layer: the ladder layers plus connection-wide concerns. */
export type Layer = LadderLayer | 'redundancy' | 'config';

export type Lang = 'en' | 'ja';

export interface FindingText {
  title: string;
  summary: string;
  evidence: string[];
  remediation: string[];
}

export interface Finding {
  /** Stable rule id (docs/architecture.md, "Rule ids"): a metric label, alert matcher and runbook anchor. */
  rule: string;
  severity: Severity;
  layer: Layer;
  account: string;
  region: string;
  vpnGatewayId: string;
  connectionId: string;
  /** null for connection-scoped findings. */
  tunnelId: string | null;
  /** Alibaba FailedReasonCodes or other source codes that support the finding. */
  codes: string[];
  /** Runbook anchor, e.g. "psk-mismatch". */
  runbook: string;
  text: Record<Lang, FindingText>;
}

export type LayerState = 'ok' | 'fail' | 'unknown';

export interface LayerVerdict {
  layer: LadderLayer;
  state: LayerState;
  /** Rule ids that failed this layer. */
  rules: string[];
  /** Why the state is unknown (missing evidence), or a short note. */
  note?: string;
  /** The note in Japanese (the report shows the note of its language). */
  noteJa?: string;
}

export interface TunnelLadder {
  connectionId: string;
  tunnelId: string;
  layers: LayerVerdict[];
  firstFailingLayer: LadderLayer | null;
}

export interface Diagnosis {
  findings: Finding[];
  ladders: TunnelLadder[];
}

/** Key that identifies "the same finding" across cycles (open/resolved lifecycle). */
export const findingKey = (f: Pick<Finding, 'rule' | 'connectionId' | 'tunnelId'>): string =>
  `${f.rule}|${f.connectionId}|${f.tunnelId ?? ''}`;
