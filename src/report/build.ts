// Builds the JSON report (schemaVersion 1, docs/architecture.md) from the last snapshot and diagnosis.
import { secrets } from '../log/redact.js';
import { activeTunnel, isOnStandby, regionKey, reportRole } from '../model/derive.js';
import type { Diagnosis, Finding, Lang, LayerVerdict, Severity, TunnelLadder } from '../model/finding.js';
import { LADDER_LAYERS } from '../model/finding.js';
import { logTimesInUtc } from '../model/log-time.js';
import type { PeerSnapshot } from '../model/peer.js';
import type { Connection, RegionSnapshot, Snapshot } from '../model/snapshot.js';
import { connectionHasDownTunnel } from '../model/tunnel-health.js';
import type { DoctorView, PeerTunnelSides } from '../view/doctor-view.js';
import { runbookUrl } from './runbook.js';
import type {
  Report,
  ReportConnection,
  ReportError,
  ReportFinding,
  ReportPeer,
  ReportStatus,
  ReportTunnel,
} from './schema.js';
import { severityRank, severityStatus, statusRank, worstStatus } from './status.js';

export interface ReportInput {
  snapshot: Snapshot | null;
  diagnosis: Diagnosis;
  /** Keyed by connection id (TrackerCounters.lastFailoverAtMs). */
  lastFailoverAtMs?: Record<string, number>;
  /** Regions that could not be collected. */
  errors: ReportError[];
  /** On-prem devices and the tunnels they serve (both sides), when `peers:` are configured. */
  peers?: PeerSnapshot[];
  peerTunnels?: PeerTunnelSides[];
  /** `report.runbookBaseUrl` of the daemon's config (DoctorView.runbookBaseUrl); BuildOptions' wins. */
  runbookBaseUrl?: string;
}

export interface ReportFilters {
  account?: string;
  region?: string;
  /** A connection id or its exact name. */
  connection?: string;
  /** Keep findings of at least this severity, and only connections that have one. */
  severity?: Severity;
  /** Keep connections with exactly this status. */
  status?: ReportStatus;
}

export interface BuildOptions {
  filters?: ReportFilters;
  lang?: Lang;
  /** Unix ms for `generatedAt` (tests). */
  now?: number;
  /** Base of each finding's `runbookUrl`; default: the input's, else the shipped docs/runbook.md. */
  runbookBaseUrl?: string;
}

export function reportInputFromView(view: DoctorView): ReportInput {
  return {
    snapshot: view.snapshot(),
    diagnosis: view.diagnosis(),
    lastFailoverAtMs: view.counters().lastFailoverAtMs,
    errors: view.errors(),
    peers: view.peers?.() ?? [],
    peerTunnels: view.peerTunnels?.() ?? [],
    ...(view.runbookBaseUrl && { runbookBaseUrl: view.runbookBaseUrl() }),
  };
}

/** The report of everything matching `filters`, connections worst first. */
export function buildReport(input: ReportInput, opts: BuildOptions = {}): Report {
  const lang = opts.lang ?? 'en';
  const filters = opts.filters ?? {};
  const errors = regionErrors(input).filter((e) => matchesRegion(filters, e.account, e.region));
  const failedRegions = new Set(errors.map((e) => regionKey(e)));
  const findingsByConnection = groupBy(input.diagnosis.findings, (f) => f.connectionId);
  const laddersByTunnel = new Map(input.diagnosis.ladders.map((l) => [l.tunnelId, l]));

  const connections: ReportConnection[] = [];
  for (const region of input.snapshot?.regions ?? []) {
    if (!matchesRegion(filters, region.account, region.region)) continue;
    const regionFailed = failedRegions.has(regionKey(region));
    for (const c of region.connections.data) {
      if (filters.connection && filters.connection !== c.id && filters.connection !== c.name) continue;
      const report = connectionReport(c, region, {
        findings: findingsByConnection.get(c.id) ?? [],
        ladders: laddersByTunnel,
        incomplete: regionFailed || !region.connections.complete,
        stale: !region.connections.complete,
        lastFailoverAtMs: input.lastFailoverAtMs?.[c.id],
        lang,
        peerSides: input.peerTunnels ?? [],
        runbookBaseUrl: opts.runbookBaseUrl ?? input.runbookBaseUrl,
      });
      if (keepConnection(report, filters)) connections.push(report);
    }
  }
  connections.sort(
    (a, b) =>
      statusRank(b.status) - statusRank(a.status) ||
      a.account.localeCompare(b.account) ||
      a.region.localeCompare(b.region) ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );

  // A report about one connection that was found is not made unknown by other regions' failures;
  // one that was not found may be hiding in a failed region, so those errors stay.
  const relevantErrors =
    filters.connection && connections.length > 0
      ? errors.filter((e) => connections.some((c) => c.account === e.account && c.region === e.region))
      : errors;
  // No snapshot yet means nothing is known: unknown, never ok.
  const noData = input.snapshot === null;
  const status = noData
    ? 'unknown'
    : worstStatus([
        ...connections.map((c) => c.status),
        ...(relevantErrors.length > 0 ? ['unknown' as const] : []),
      ]);
  return {
    schemaVersion: 1,
    generatedAt: new Date(opts.now ?? Date.now()).toISOString(),
    status,
    connections,
    errors: relevantErrors.map((e) => ({ ...e, message: secrets.scrubString(e.message) })),
    ...(input.peers && input.peers.length > 0 ? { peers: input.peers.map(reportPeer) } : {}),
  };
}

interface ConnectionContext {
  findings: Finding[];
  ladders: Map<string, TunnelLadder>;
  incomplete: boolean;
  /** The region's status read failed: the connection's state is the last known one. */
  stale: boolean;
  lastFailoverAtMs: number | undefined;
  lang: Lang;
  peerSides: PeerTunnelSides[];
  runbookBaseUrl: string | undefined;
}

function connectionReport(c: Connection, region: RegionSnapshot, ctx: ConnectionContext): ReportConnection {
  // Tunnel 1 before tunnel 2 (ids are random strings, their order means nothing).
  const tunnelOrder = (id: string | null) => (id === null ? -1 : c.tunnels.findIndex((t) => t.id === id));
  const findings = [...ctx.findings]
    .sort((a, b) => compareFindings(a, b) || tunnelOrder(a.tunnelId) - tunnelOrder(b.tunnelId))
    .map((f) => reportFinding(f, ctx.lang, ctx.runbookBaseUrl));
  const findingStatus = worstStatus(findings.map((f) => severityStatus(f.severity)));
  // The rule engine always explains a down tunnel (negotiation-failed at worst), so a down tunnel
  // without any finding means the evaluation has not caught up with the snapshot yet: unknown.
  const evaluationPending = ctx.findings.length === 0 && connectionHasDownTunnel(c);
  const unknown = ctx.incomplete || c.tunnels.length === 0 || evaluationPending;
  const status = worstStatus([findingStatus, ...(unknown ? ['unknown' as const] : [])]);
  const traffic = region.traffic?.data[c.id];
  return {
    id: c.id,
    name: c.name,
    account: c.account,
    region: c.region,
    vpnGatewayId: c.vpnGatewayId,
    status,
    activeTunnelId: activeTunnel(c)?.id ?? null,
    onStandby: isOnStandby(c),
    tunnels: c.tunnels.map((tun): ReportTunnel => {
      const ladder = ctx.ladders.get(tun.id);
      const side = ctx.peerSides.find((p) => p.tunnelId === tun.id);
      return {
        id: tun.id,
        role: reportRole(tun.role),
        status: tun.status,
        up: tun.ipsecSaUp,
        zone: tun.zone,
        ip: tun.ip,
        customerGatewayIp: tun.customerGatewayIp,
        ...(ladder
          ? {
              ladder: ladder.layers.map((l) => ladderLayer(l, ctx.lang)),
              firstFailingLayer: ladder.firstFailingLayer,
            }
          : {}),
        ...(side
          ? {
              peer: {
                name: side.peer,
                ikeConnection: side.ikeConnection,
                ikeSaState: side.ikeSaState,
                childSaUp: side.childSaUp,
                rows: side.rows,
              },
            }
          : {}),
      };
    }),
    findings,
    lastFailoverAt: ctx.lastFailoverAtMs ? new Date(ctx.lastFailoverAtMs).toISOString() : null,
    receiveBps: traffic?.rxBps ?? null,
    transmitBps: traffic?.txBps ?? null,
    // The DoctorView keeps a failed region's last good read with its time: last known, not current.
    asOf: new Date(region.connections.collectedAt).toISOString(),
    stale: ctx.stale,
  };
}

/** A ladder layer with its note in the report's language. */
function ladderLayer(l: LayerVerdict, lang: Lang): LayerVerdict {
  const { noteJa, ...layer } = l;
  return lang === 'ja' && noteJa ? { ...layer, note: noteJa } : layer;
}

function reportPeer(p: PeerSnapshot): ReportPeer {
  return {
    name: p.name,
    reachable: p.reachable,
    error: p.error,
    daemonVersion: p.daemonVersion,
    collectedAt: new Date(p.collectedAt).toISOString(),
  };
}

function reportFinding(f: Finding, lang: Lang, runbookBaseUrl?: string): ReportFinding {
  const text = f.text[lang] ?? f.text.en;
  // Evidence quotes what the cloud said (errors, log lines): through the one scrubber, and with
  // Alibaba's zoneless UTC+8 log times shown in UTC (the lines as logged stay in `rawEvidence`).
  const raw = text.evidence.map((line) => secrets.scrubString(line));
  const evidence = raw.map(logTimesInUtc);
  return {
    rule: f.rule,
    severity: f.severity,
    layer: f.layer,
    tunnelId: f.tunnelId,
    title: text.title,
    summary: secrets.scrubString(text.summary),
    evidence,
    ...(evidence.some((line, i) => line !== raw[i]) ? { rawEvidence: raw } : {}),
    remediation: [...text.remediation],
    runbookUrl: runbookUrl(f.runbook || f.rule, runbookBaseUrl),
  };
}

const LAYER_ORDER: readonly string[] = [...LADDER_LAYERS, 'redundancy', 'config'];

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    LAYER_ORDER.indexOf(a.layer) - LAYER_ORDER.indexOf(b.layer) ||
    a.rule.localeCompare(b.rule)
  );
}

function keepConnection(c: ReportConnection, filters: ReportFilters): boolean {
  if (filters.status && c.status !== filters.status) return false;
  const min = filters.severity;
  if (min) {
    c.findings = c.findings.filter((f) => severityRank(f.severity) >= severityRank(min));
    if (c.findings.length === 0) return false;
  }
  return true;
}

/** Errors of the view plus regions whose last status collection was incomplete, one per region. */
function regionErrors(input: ReportInput): ReportError[] {
  const byRegion = new Map<string, ReportError>();
  for (const e of input.errors) {
    if (!byRegion.has(regionKey(e))) byRegion.set(regionKey(e), e);
  }
  for (const r of input.snapshot?.regions ?? []) {
    const key = regionKey(r);
    if (!r.connections.complete && !byRegion.has(key)) {
      byRegion.set(key, {
        account: r.account,
        region: r.region,
        message: r.connections.error ?? 'connection status could not be collected completely',
      });
    }
  }
  return [...byRegion.values()];
}

function matchesRegion(filters: ReportFilters, account: string, region: string): boolean {
  return (!filters.account || filters.account === account) && (!filters.region || filters.region === region);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
