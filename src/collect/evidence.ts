// Evidence tier: DiagnoseVpnConnections (FailedReasonCode, kept by Alibaba for only ~3 minutes) and
// the last minutes of negotiation logs, for the tunnels the runtime names. Failures become
// `errors[]` entries on the tunnel's evidence; nothing is thrown past this tier.
import * as $Vpc from '@alicloud/vpc20160428';
import { CloudError } from '../cloud/errors.js';
import { connectionLogsPage, diagnosePage } from '../cloud/page-shapes.js';
import { allPagesByNumber } from '../cloud/paging.js';
import { withPriority } from '../cloud/priority.js';
import type { RegionApi } from '../cloud/types.js';
import type { Connection, Tunnel, TunnelDiagnosis, TunnelEvidence, TunnelLogs } from '../model/snapshot.js';
import { mapLimit } from './concurrency.js';
import { errorText } from './errors.js';
import { normaliseDiagnosis } from './normalise/evidence.js';
import { chunks } from './values.js';

export interface EvidenceTarget {
  connection: Connection;
  tunnel: Tunnel;
  /**
   * Unix ms: the tunnel was last seen up then (its outage's evidence bound). Log lines and diagnosis
   * codes from before are from an earlier outage and are not asked for or kept. Absent: no bound.
   */
  since?: number | null;
}

export interface EvidenceOptions {
  /** Unix ms: the end of the log window. */
  now: number;
  /** 1–10 (Alibaba's limit for one log query); default 10. */
  logWindowMinutes?: number;
  /** At most this many tunnels per call of the tier (API cost bound); the rest are skipped. */
  maxTunnels?: number;
}

const DIAGNOSE = 'DiagnoseVpnConnections';
const LOGS = 'DescribeVpnConnectionLogs';
/** Ids per DiagnoseVpnConnections request: no documented maximum, so keep the query string modest. */
const DIAGNOSE_IDS_PER_CALL = 20;
const PAGE_SIZE = 50;
/** 50 lines × 20 pages: a 10-minute window of a looping negotiation fits; beyond that we stop and say so. */
const MAX_LOG_PAGES = 20;
const LOG_CONCURRENCY = 4;

type DiagnosisOutcome = { rows: TunnelDiagnosis[] } | { error: string };

async function diagnose(
  api: RegionApi,
  ids: { tunnelIds?: string[]; vpnConnectionIds?: string[] },
): Promise<TunnelDiagnosis[]> {
  const rows = await allPagesByNumber(async (pageNumber, pageSize) => {
    const request = new $Vpc.DiagnoseVpnConnectionsRequest({
      regionId: api.region,
      pageNumber,
      pageSize,
      ...ids,
    });
    const res = await api.call(
      'vpc',
      DIAGNOSE,
      (rt) => api.vpc.diagnoseVpnConnectionsWithOptions(request, rt),
      { shape: diagnosePage },
    );
    return { items: res.body?.vpnConnections ?? [], totalCount: res.body?.totalCount ?? 0 };
  }, PAGE_SIZE);
  return rows.map(normaliseDiagnosis);
}

/**
 * Diagnose every target, batching ids: dual-tunnel tunnels by TunnelIds, single-tunnel connections
 * by VpnConnectionIds (their one tunnel carries the connection id). Keyed by our tunnel id.
 */
async function diagnoseAll(
  api: RegionApi,
  targets: EvidenceTarget[],
): Promise<Map<string, DiagnosisOutcome>> {
  const out = new Map<string, DiagnosisOutcome>();
  const dual = targets.filter((t) => t.connection.dualTunnel);
  const single = targets.filter((t) => !t.connection.dualTunnel);
  const batches = [...chunks(dual, DIAGNOSE_IDS_PER_CALL), ...chunks(single, DIAGNOSE_IDS_PER_CALL)].map(
    (b) => ({ batch: b, ids: idsOf(b) }),
  );
  for (const { batch, ids } of batches) await diagnoseInto(api, batch, ids, out);
  return out;
}

/** The ids of one homogeneous batch (all dual-tunnel, or all single-tunnel). */
const idsOf = (batch: EvidenceTarget[]) =>
  batch[0]?.connection.dualTunnel
    ? { tunnelIds: batch.map((t) => t.tunnel.id) }
    : { vpnConnectionIds: batch.map((t) => t.connection.id) };

async function diagnoseInto(
  api: RegionApi,
  batch: EvidenceTarget[],
  ids: { tunnelIds?: string[]; vpnConnectionIds?: string[] },
  out: Map<string, DiagnosisOutcome>,
): Promise<void> {
  try {
    const rows = await diagnose(api, ids);
    for (const t of batch) {
      const mine = t.connection.dualTunnel
        ? rows.filter((r) => r.tunnelId === t.tunnel.id)
        : rows
            .filter((r) => r.connectionId === t.connection.id)
            .map((r) => ({ ...r, tunnelId: t.tunnel.id }));
      out.set(t.tunnel.id, { rows: mine });
    }
  } catch (err) {
    // An old gateway (OperationUnsupported.DiagnoseVpn) fails the whole request: ask again per
    // gateway, so that the tunnels of the other gateways in the batch still get their codes.
    const gateways = [...new Set(batch.map((t) => t.connection.vpnGatewayId))];
    if (gateways.length > 1 && err instanceof CloudError && err.kind === 'unsupported') {
      for (const g of gateways) {
        const part = batch.filter((t) => t.connection.vpnGatewayId === g);
        await diagnoseInto(api, part, idsOf(part), out);
      }
      return;
    }
    for (const t of batch) out.set(t.tunnel.id, { error: errorText(err, DIAGNOSE) });
  }
}

/** Logs of one tunnel for [from, to] (Unix seconds); keeps paging while a page comes back full. */
async function tunnelLogs(
  api: RegionApi,
  t: EvidenceTarget,
  from: number,
  to: number,
): Promise<{ logs: TunnelLogs | null; error?: string }> {
  const lines: string[] = [];
  let complete = true;
  for (let pageNumber = 1; pageNumber <= MAX_LOG_PAGES; pageNumber++) {
    const request = new $Vpc.DescribeVpnConnectionLogsRequest({
      regionId: api.region,
      vpnConnectionId: t.connection.id,
      // TunnelId only exists for dual-tunnel connections.
      ...(t.connection.dualTunnel ? { tunnelId: t.tunnel.id } : {}),
      from,
      to,
      pageNumber,
      pageSize: PAGE_SIZE,
    });
    let body: $Vpc.DescribeVpnConnectionLogsResponseBody | undefined;
    try {
      body = (
        await api.call('vpc', LOGS, (rt) => api.vpc.describeVpnConnectionLogsWithOptions(request, rt), {
          shape: connectionLogsPage,
        })
      ).body;
    } catch (err) {
      const error = errorText(err, LOGS) + (pageNumber > 1 ? ` (page ${pageNumber})` : '');
      if (pageNumber === 1) return { logs: null, error };
      return { logs: base(t, from, to, lines, false), error };
    }
    const page = body?.data?.logs ?? [];
    lines.push(...page);
    if (body?.isCompleted === false) complete = false;
    // No TotalCount here: a full page means there may be more.
    const count = body?.count ?? page.length;
    if (count < PAGE_SIZE || page.length === 0) return { logs: base(t, from, to, lines, complete) };
  }
  return { logs: base(t, from, to, lines, false), error: `${LOGS}: stopped after ${MAX_LOG_PAGES} pages` };
}

const base = (
  t: EvidenceTarget,
  from: number,
  to: number,
  lines: string[],
  complete: boolean,
): TunnelLogs => ({
  connectionId: t.connection.id,
  tunnelId: t.tunnel.id,
  from,
  to,
  lines,
  complete,
});

/** A code that failed before the tunnel was last seen up is an earlier outage's (Alibaba keeps it ~3 min). */
const inOutage = (failedTime: number | null, since: number | null | undefined) =>
  !since || failedTime === null || failedTime >= since;

/** Evidence for the targets of one region, keyed by tunnel id. Never throws for API failures. */
export async function collectEvidence(
  regionApi: RegionApi,
  targets: EvidenceTarget[],
  opts: EvidenceOptions,
): Promise<Record<string, TunnelEvidence>> {
  // Background work: the status tier's calls never wait behind a large outage's evidence calls.
  const api = withPriority(regionApi, 'low');
  const unique = [...new Map(targets.map((t) => [t.tunnel.id, t])).values()];
  const chosen = opts.maxTunnels !== undefined ? unique.slice(0, Math.max(0, opts.maxTunnels)) : unique;
  if (chosen.length === 0) return {};
  const minutes = Math.min(10, Math.max(1, Math.floor(opts.logWindowMinutes ?? 10)));
  const to = Math.floor(opts.now / 1000);
  const from = to - minutes * 60;
  const [diagnoses, logs] = await Promise.all([
    diagnoseAll(api, chosen),
    mapLimit(chosen, LOG_CONCURRENCY, (t) =>
      tunnelLogs(api, t, t.since ? Math.min(to, Math.max(from, Math.floor(t.since / 1000))) : from, to),
    ),
  ]);
  const out: Record<string, TunnelEvidence> = {};
  chosen.forEach((t, i) => {
    const errors: string[] = [];
    const d = diagnoses.get(t.tunnel.id);
    if (d && 'error' in d) errors.push(d.error);
    const l = logs[i];
    if (l?.error) errors.push(l.error);
    out[t.tunnel.id] = {
      tunnelId: t.tunnel.id,
      connectionId: t.connection.id,
      collectedAt: opts.now,
      diagnosis: d && 'rows' in d ? d.rows.filter((r) => inOutage(r.failedTime, t.since)) : null,
      logs: l?.logs ?? null,
      errors,
    };
  });
  return out;
}
