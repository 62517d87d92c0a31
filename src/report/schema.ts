// The JSON report, schemaVersion 1 (docs/architecture.md, "JSON report"). Fields may be added; none may be renamed or removed.
// This zod schema is the report's one definition: the TypeScript types below are inferred from it
// and the HTTP API's response schemas are generated from it (src/server/schemas.ts), so a field
// added here reaches /api/v1 and its OpenAPI document without a second edit.
import { z } from 'zod';
import type { LadderLayer, Layer, LayerVerdict, Severity } from '../model/finding.js';
import { LADDER_LAYERS } from '../model/finding.js';
import type { ReportError } from '../model/region-error.js';

const isoTime = () => z.iso.datetime();

export const reportStatusSchema = z.enum(['ok', 'warning', 'critical', 'unknown']);
export type ReportStatus = z.output<typeof reportStatusSchema>;

export const severitySchema = z.enum(['critical', 'warning', 'info']);
const ladderLayerSchema = z.enum(LADDER_LAYERS);
const layerSchema = z.enum([...LADDER_LAYERS, 'redundancy', 'config']);

/** One layer of a tunnel's ladder (the model's LayerVerdict). */
const layerVerdictSchema = z.object({
  layer: ladderLayerSchema,
  state: z.enum(['ok', 'fail', 'unknown']),
  rules: z.array(z.string()).describe('Rule ids that failed this layer'),
  note: z.string().optional().describe('Why the state is unknown (missing evidence), or a short note'),
});

/** Both sides of one tunnel, field by field: "Alibaba says / the device says" (PSKs only as fingerprints). */
export const reportPeerSideSchema = z.object({
  name: z.string(),
  ikeConnection: z.string(),
  ikeSaState: z.string().nullable(),
  childSaUp: z.boolean(),
  rows: z.array(
    z.object({
      field: z.string(),
      alibaba: z.string(),
      device: z.string().nullable(),
      agree: z.boolean().nullable(),
    }),
  ),
});
export type ReportPeerSide = z.output<typeof reportPeerSideSchema>;

export const reportTunnelSchema = z.object({
  id: z.string(),
  role: z.enum(['primary', 'standby']),
  status: z.string(),
  up: z.boolean(),
  zone: z.string(),
  ip: z.string(),
  customerGatewayIp: z.string().nullable(),
  /** Additive: layer ladder for this tunnel, when the rule engine ran. */
  ladder: z.array(layerVerdictSchema).optional().describe('A verdict per layer, when the rule engine ran'),
  firstFailingLayer: ladderLayerSchema.nullable().optional(),
  /** Additive: the on-prem device's side of this tunnel, when a configured peer serves it. */
  peer: reportPeerSideSchema.optional().describe("The device's side, when a configured peer serves it"),
});
export type ReportTunnel = z.output<typeof reportTunnelSchema>;

/** A configured on-prem device: `reachable: false` is unknown, never healthy. */
export const reportPeerSchema = z.object({
  name: z.string(),
  reachable: z.boolean(),
  error: z.string().nullable(),
  daemonVersion: z.string().nullable(),
  collectedAt: isoTime(),
});
export type ReportPeer = z.output<typeof reportPeerSchema>;

export const reportFindingSchema = z.object({
  rule: z.string(),
  severity: severitySchema,
  layer: layerSchema,
  tunnelId: z.string().nullable(),
  title: z.string(),
  summary: z.string(),
  evidence: z
    .array(z.string())
    .describe(
      'Alibaba\'s gateway log times in it are shown in UTC, marked "UTC" (they log UTC+8 with no zone)',
    ),
  rawEvidence: z
    .array(z.string())
    .optional()
    .describe(
      'The evidence lines as Alibaba logged them (UTC+8, no zone), when `evidence` converted a log time',
    ),
  remediation: z.array(z.string()),
  /** Additive: the finding's runbook section (base URL + `#` + the rule's anchor). */
  runbookUrl: z.string().optional().describe("The finding's runbook section"),
});
export type ReportFinding = z.output<typeof reportFindingSchema>;

export const reportConnectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  account: z.string(),
  region: z.string(),
  vpnGatewayId: z.string(),
  status: reportStatusSchema,
  activeTunnelId: z.string().nullable(),
  onStandby: z.boolean(),
  tunnels: z.array(reportTunnelSchema),
  findings: z.array(reportFindingSchema),
  /** Additive: last failover (ISO time) known to the state store, null when none. */
  lastFailoverAt: isoTime().nullable().optional().describe('Last failover known to the state store'),
  /** Additive: traffic in bits per second (not bytes: `Bps` here is bits), null when unknown. */
  receiveBps: z
    .number()
    .nullable()
    .optional()
    .describe(
      'Received traffic in bits per second (not bytes), the latest CloudMonitor ipsec_rx.rate; null when unknown',
    ),
  transmitBps: z
    .number()
    .nullable()
    .optional()
    .describe(
      'Transmitted traffic in bits per second (not bytes), the latest CloudMonitor ipsec_tx.rate; null when unknown',
    ),
  /** Additive: when the tunnels' state shown was read. */
  asOf: isoTime().optional().describe("When the tunnels' state shown was read"),
  /** Additive: true while the region cannot be read: the state shown is the last known one, as of `asOf`. */
  stale: z
    .boolean()
    .optional()
    .describe('true while the region cannot be read: the state shown is the last known one, as of asOf'),
});
export type ReportConnection = z.output<typeof reportConnectionSchema>;

/** A region that could not be collected (its one owner is the model: the daemon reports it too). */
export const reportErrorSchema = z.object({ account: z.string(), region: z.string(), message: z.string() });
export type { ReportError } from '../model/region-error.js';

export const reportSchema = z.object({
  schemaVersion: z.literal(1),
  generatedAt: isoTime(),
  status: reportStatusSchema,
  connections: z.array(reportConnectionSchema),
  errors: z.array(reportErrorSchema),
  /** Additive: present when `peers:` are configured. */
  peers: z.array(reportPeerSchema).optional().describe('Present when peers are configured'),
});
export type Report = z.output<typeof reportSchema>;

// The vocabulary is the model's: these fail to compile when the model and the report part ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type ReportSchemaMatchesModel = [
  Same<z.output<typeof severitySchema>, Severity>,
  Same<z.output<typeof layerSchema>, Layer>,
  Same<z.output<typeof ladderLayerSchema>, LadderLayer>,
  Same<z.output<typeof layerVerdictSchema>, LayerVerdict>,
  Same<z.output<typeof reportErrorSchema>, ReportError>,
] extends true[]
  ? true
  : never;
const reportSchemaMatchesModel: ReportSchemaMatchesModel = true;
void reportSchemaMatchesModel;

/** Exit codes of `diagnose`: 2 critical, else 3 unknown (could not collect), else 1 warning, else 0. */
export function exitCodeFor(report: Pick<Report, 'connections' | 'errors'>): 0 | 1 | 2 | 3 {
  const severities = report.connections.flatMap((c) => c.findings.map((f) => f.severity));
  if (severities.includes('critical')) return 2;
  if (report.errors.length > 0 || report.connections.some((c) => c.status === 'unknown')) return 3;
  if (severities.includes('warning')) return 1;
  return 0;
}
