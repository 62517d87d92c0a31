// DescribeVpnConnectionLogs: From/To in Unix seconds, at most a 10-minute window, MinutePeriod
// 1–10, paged with PageNumber/PageSize (1–50), `Count` = lines on this page, `IsCompleted` false
// while the window reaches into the present (more lines may still arrive). Lines are returned
// oldest first; without TunnelId both tunnels' lines are merged.
import type { SimRequest } from '../protocol.js';
import { invalidParameter, notFound } from '../world/errors.js';
import { tunnelLogLines } from '../world/logs.js';
import { tunnelIndex } from '../world/query.js';
import { intParam, paginate, requireParam, requireScope } from '../world/request.js';
import type { WorldState } from '../world/types.js';
import type { HandlerTable } from './index.js';

const MAX_WINDOW_S = 600;
/** Logs older than this are gone (the 2026 troubleshooting page says 180 days). */
const RETENTION_S = 180 * 86_400;

/** The queried window in Unix seconds, from any of the documented parameter combinations. */
function window(req: SimRequest, nowS: number): { from: number; to: number } {
  const from = intParam(req, 'From', 0, Number.MAX_SAFE_INTEGER);
  const to = intParam(req, 'To', 0, Number.MAX_SAFE_INTEGER);
  const raw = req.params['MinutePeriod'];
  const period = raw === undefined || raw === '' ? undefined : Number(raw);
  if (period !== undefined && !(Number.isInteger(period) && period >= 1 && period <= 10)) {
    throw invalidParameter('MinutePeriod', 'valid values are 1 to 10 (minutes)');
  }
  let range: { from: number; to: number };
  if (from !== undefined && to !== undefined) range = { from, to };
  else if (from !== undefined && period !== undefined) range = { from, to: from + period * 60 };
  else if (to !== undefined && period !== undefined) range = { from: to - period * 60, to };
  else if (from === undefined && to === undefined && period !== undefined)
    range = { from: nowS - period * 60, to: nowS };
  else if (from !== undefined)
    throw invalidParameter('From', 'From must be used together with To or MinutePeriod');
  else if (to !== undefined)
    throw invalidParameter('To', 'To must be used together with From or MinutePeriod');
  else throw invalidParameter('MinutePeriod', 'specify From and To, or MinutePeriod');
  if (range.to < range.from) throw invalidParameter('To', 'To must not be earlier than From');
  if (range.to - range.from > MAX_WINDOW_S) {
    throw invalidParameter('From', 'the time range of a log query cannot exceed 10 minutes');
  }
  return range;
}

function describeVpnConnectionLogs(world: WorldState, req: SimRequest, now: number): Record<string, unknown> {
  const { region } = requireScope(world, req);
  const id = requireParam(req, 'VpnConnectionId');
  const conn = region.connections.find((c) => c.id === id);
  if (!conn) throw notFound.vpnConnection(id);
  const tunnelId = req.params['TunnelId'];
  let tunnels: (1 | 2)[] = [1, 2];
  if (tunnelId) {
    const index = tunnelIndex(conn, tunnelId);
    if (!index) throw notFound.tunnel(tunnelId);
    tunnels = [index];
  }
  const nowS = Math.floor(now / 1000);
  const range = window(req, nowS);
  const from = Math.max(range.from, nowS - RETENTION_S) * 1000;
  // To is inclusive (the whole To second), and nothing after `now` has been printed yet.
  const to = Math.min((range.to + 1) * 1000, now + 1);
  const lines =
    to > from
      ? tunnels.flatMap((i) => tunnelLogLines(world, region, conn, i, from, to)).sort((a, b) => a.at - b.at)
      : [];
  const page = paginate(req, lines);
  return {
    Count: page.items.length,
    Data: { Logs: page.items.map((l) => l.line) },
    IsCompleted: range.to < nowS,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
  };
}

export const vpnLogHandlers: HandlerTable = { DescribeVpnConnectionLogs: describeVpnConnectionLogs };
