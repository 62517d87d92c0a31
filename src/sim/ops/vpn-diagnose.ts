// DiagnoseVpnConnections (per-tunnel error codes of the last 3 minutes) and the asynchronous
// one-click gateway diagnosis DiagnoseVpnGateway → GetVpnGatewayDiagnoseResult.
import type { SimRequest } from '../protocol.js';
import { diagnoseTunnel } from '../world/diagnosis.js';
import { diagnoseUnsupported, invalidParameter, notFound } from '../world/errors.js';
import { hashInt, makeId } from '../world/ids.js';
import { customerGatewayOf, gatewayOf, tunnelIndex, tunnelOf } from '../world/query.js';
import { intParam, listParam, requireParam, requireScope } from '../world/request.js';
import { vpnRoutesAt } from '../world/routing.js';
import type { GatewayDiagnosis, Region, VpnConnection, WorldState } from '../world/types.js';
import type { HandlerTable } from './index.js';

function diagnoseVpnConnections(world: WorldState, req: SimRequest, now: number): Record<string, unknown> {
  const { region } = requireScope(world, req);
  const gatewayId = req.params['VpnGatewayId'];
  if (gatewayId && !region.vpnGateways.some((g) => g.id === gatewayId)) throw notFound.vpnGateway(gatewayId);
  const connectionIds = listParam(req, 'VpnConnectionIds');
  const tunnelIds = listParam(req, 'TunnelIds');
  const targets: { conn: VpnConnection; tunnel: 1 | 2 }[] = [];
  const byId = new Map(region.connections.map((c) => [c.id, c]));
  for (const id of connectionIds) {
    const conn = byId.get(id);
    if (!conn) throw notFound.vpnConnection(id);
    targets.push({ conn, tunnel: 1 }, { conn, tunnel: 2 });
  }
  for (const id of tunnelIds) {
    const conn = region.connections.find((c) => tunnelIndex(c, id) !== undefined);
    if (!conn) throw notFound.tunnel(id);
    targets.push({ conn, tunnel: tunnelIndex(conn, id)! });
  }
  if (!connectionIds.length && !tunnelIds.length) {
    for (const conn of region.connections) targets.push({ conn, tunnel: 1 }, { conn, tunnel: 2 });
  }
  const seen = new Set<string>();
  const unique = targets.filter(({ conn, tunnel }) => {
    const key = tunnelOf(conn, tunnel).id;
    if (seen.has(key) || (gatewayId && conn.vpnGatewayId !== gatewayId)) return false;
    seen.add(key);
    return true;
  });
  for (const { conn } of unique) {
    const gw = gatewayOf(region, conn);
    if (gw && !gw.diagnoseSupported) throw diagnoseUnsupported(gw.id);
  }
  const entries = unique
    .map(({ conn, tunnel }) => diagnoseTunnel(world, region, conn, tunnel, now))
    .filter((e) => e !== null);
  const pageNumber = intParam(req, 'PageNumber', 1, 1_000_000) ?? 1;
  const pageSize = intParam(req, 'PageSize', 1, 100) ?? 10;
  const items = entries.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: entries.length,
    VpnConnections: items.map((e) => ({
      FailedReason: e.reason,
      FailedReasonCode: e.code,
      FailedTime: e.failedTime,
      MismatchLocalParam: e.mismatchLocal,
      MismatchRemoteParam: e.mismatchRemote,
      Severity: e.severity,
      SourceLog: e.sourceLog,
      TunnelId: e.tunnelId,
      VpnConnectionId: e.connectionId,
    })),
  };
}

function diagnoseVpnGateway(world: WorldState, req: SimRequest, now: number): Record<string, unknown> {
  const { account, region } = requireScope(world, req);
  const gatewayId = requireParam(req, 'VpnGatewayId');
  const resourceId = requireParam(req, 'ResourceId');
  const resourceType = requireParam(req, 'ResourceType');
  const gw = region.vpnGateways.find((g) => g.id === gatewayId);
  if (!gw) throw notFound.vpnGateway(gatewayId);
  if (resourceType !== 'IPsec') throw invalidParameter('ResourceType', 'only IPsec is supported');
  const conn = region.connections.find((c) => c.id === resourceId && c.vpnGatewayId === gatewayId);
  if (!conn) throw notFound.vpnConnection(resourceId);
  if (!gw.diagnoseSupported) throw diagnoseUnsupported(gw.id);
  let extend: { PrivateSourceIp?: string; PrivateDestinationIp?: string } = {};
  const raw = req.params['IPsecExtendInfo'];
  if (raw) {
    try {
      extend = JSON.parse(raw) as typeof extend;
    } catch {
      throw invalidParameter('IPsecExtendInfo', 'expected a JSON object');
    }
  }
  const id = makeId('vpndgn', region.id, `${gatewayId}/${now}/${world.gatewayDiagnoses.size}`);
  world.gatewayDiagnoses.set(id, {
    id,
    account: account.name,
    region: region.id,
    vpnGatewayId: gatewayId,
    resourceId,
    beganAt: now,
    privateSourceIp: extend.PrivateSourceIp ?? '',
    privateDestinationIp: extend.PrivateDestinationIp ?? '',
  });
  return { DiagnoseId: id };
}

/** Seconds each check of a gateway diagnosis takes (they finish one after another). */
const CHECK_SECONDS = 2;

type Level = 'normal' | 'warning' | 'error';

function checks(
  world: WorldState,
  region: Region,
  job: GatewayDiagnosis,
  at: number,
): [string, Level, unknown][] {
  const conn = region.connections.find((c) => c.id === job.resourceId)!;
  const routes = vpnRoutesAt(world, region, job.vpnGatewayId, at);
  const t1 = tunnelOf(conn, 1);
  const cgw = customerGatewayOf(region, t1);
  const reachable = t1.peer.reachable;
  const rtt = 20 + hashInt(`rtt|${conn.id}`, 4000) / 100;
  const out: [string, Level, unknown][] = [
    ['RouteEntryConflict', 'normal', { conflictRouteEntries: [] }],
    ['VpnRouteQuota', 'normal', { used: routes.filter((r) => r.kind === 'custom').length, quota: 1000 }],
    [
      'VpnIPsecQuota',
      'normal',
      { used: region.connections.filter((c) => c.vpnGatewayId === job.vpnGatewayId).length, quota: 10 },
    ],
    ['VpnPbrRouteQuota', 'normal', { used: routes.filter((r) => r.kind === 'policy').length, quota: 1000 }],
    ['VcoConfigConsistency', 'normal', { vcoLackConf: [], vcoRunningConf: {}, vcoDiffConf: [], vcoConf: {} }],
    [
      'VcoUserInternetIpConnectivity',
      reachable ? 'normal' : 'error',
      { targetIp: cgw?.ip ?? '', rtt: reachable ? rtt : -1.0, lossRate: reachable ? 0.0 : 100.0 },
    ],
  ];
  if (job.privateDestinationIp) {
    const up = world.trafficAt(conn, at).activeTunnelId !== null;
    out.push([
      'VcoPrivateConnectivity',
      up ? 'normal' : 'error',
      {
        targetIp: job.privateDestinationIp,
        srcIp: job.privateSourceIp,
        rtt: up ? rtt + 1 : -1.0,
        lossRate: up ? 0.0 : 100.0,
      },
    ]);
  }
  return out;
}

const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function getVpnGatewayDiagnoseResult(
  world: WorldState,
  req: SimRequest,
  now: number,
): Record<string, unknown> {
  const { account, region } = requireScope(world, req);
  const diagnoseId = req.params['DiagnoseId'];
  const gatewayId = req.params['VpnGatewayId'];
  if (!diagnoseId && !gatewayId) requireParam(req, 'DiagnoseId');
  const jobs = [...world.gatewayDiagnoses.values()].filter(
    (j) => j.account === account.name && j.region === region.id,
  );
  const job = diagnoseId
    ? jobs.find((j) => j.id === diagnoseId)
    : jobs.filter((j) => j.vpnGatewayId === gatewayId).sort((a, b) => b.beganAt - a.beganAt)[0];
  if (!job) throw diagnoseId ? notFound.diagnose(diagnoseId) : notFound.vpnGateway(gatewayId!);
  const all = checks(world, region, job, job.beganAt);
  const finished = Math.min(all.length, Math.floor((now - job.beganAt) / (CHECK_SECONDS * 1000)));
  const done = finished === all.length;
  return {
    BeginTime: isoSeconds(job.beganAt),
    DiagnoseId: job.id,
    DiagnoseResult: all.slice(0, finished).map(([name, level, description]) => ({
      DiagnoseName: name,
      DiagnoseResultDescription: JSON.stringify(description),
      DiagnoseResultLevel: level,
    })),
    FinishTime: done ? isoSeconds(job.beganAt + all.length * CHECK_SECONDS * 1000) : '',
    FinishedCount: finished,
    ResourceInstanceId: job.resourceId,
    ResourceType: 'IPsec',
    TotalCount: all.length,
    VpnGatewayId: job.vpnGatewayId,
  };
}

export const vpnDiagnoseHandlers: HandlerTable = {
  DiagnoseVpnConnections: diagnoseVpnConnections,
  DiagnoseVpnGateway: diagnoseVpnGateway,
  GetVpnGatewayDiagnoseResult: getVpnGatewayDiagnoseResult,
};
