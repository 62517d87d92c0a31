// CloudMonitor's acs_vpn metrics over the world: which series exist (per gateway, per IPsec
// connection), their dimensions, and their value at an instant, derived from the world's traffic.
import type { Account, ConnectionTrafficAt, Region, VpnConnection, WorldState } from '../world/types.js';

export const VPN_NAMESPACE = 'acs_vpn';

/** Average packet size used to turn bit rates into packet rates. */
const BYTES_PER_PACKET = 800;

type Level = 'gateway' | 'connection';

interface MetricDef {
  level: Level;
  value: (t: ConnectionTrafficAt) => number;
}

const pps = (bps: number) => Math.round(bps / 8 / BYTES_PER_PACKET);

/** The acs_vpn metrics of reference §5.1. */
export const VPN_METRICS: Record<string, MetricDef> = {
  'net_rx.rate': { level: 'gateway', value: (t) => t.rxBps },
  'net_tx.rate': { level: 'gateway', value: (t) => t.txBps },
  'net_rx.Pkgs': { level: 'gateway', value: (t) => pps(t.rxBps) },
  'net_tx.Pkgs': { level: 'gateway', value: (t) => pps(t.txBps) },
  'ssl_client.count': { level: 'gateway', value: () => 0 },
  'ipsec_rx.rate': { level: 'connection', value: (t) => t.rxBps },
  'ipsec_tx.rate': { level: 'connection', value: (t) => t.txBps },
  'ipsec.rxPkgs': { level: 'connection', value: (t) => pps(t.rxBps) },
  'ipsec.txPkgs': { level: 'connection', value: (t) => pps(t.txBps) },
};

/** One time series: its dimensions and the connections whose traffic it sums. */
export interface Series {
  dimensions: Record<string, string>;
  connections: VpnConnection[];
}

export function seriesOf(metric: MetricDef, account: Account, regions: Region[]): Series[] {
  const out: Series[] = [];
  for (const region of regions) {
    if (metric.level === 'connection') {
      for (const c of region.connections) {
        out.push({
          dimensions: { userId: account.uid, instanceId: c.vpnGatewayId, ipsecId: c.id },
          connections: [c],
        });
      }
    } else {
      for (const g of region.vpnGateways) {
        out.push({
          dimensions: { userId: account.uid, instanceId: g.id },
          connections: region.connections.filter((c) => c.vpnGatewayId === g.id),
        });
      }
    }
  }
  return out;
}

/** A series matches when one of the requested dimension sets agrees on every key it names. */
export function matchesDimensions(series: Series, wanted: Record<string, string>[] | undefined): boolean {
  if (!wanted || wanted.length === 0) return true;
  return wanted.some((w) => Object.entries(w).every(([k, v]) => series.dimensions[k] === v));
}

export function seriesValue(world: WorldState, metric: MetricDef, series: Series, at: number): number {
  let rx = 0;
  let tx = 0;
  for (const c of series.connections) {
    const t = world.trafficAt(c, at);
    rx += t.rxBps;
    tx += t.txBps;
  }
  return metric.value({ rxBps: rx, txBps: tx, activeTunnelId: null });
}

/** Why a CloudMonitor parameter is unusable; answered as HTTP 200 `Success:false`. */
export class CmsInputError extends Error {}

/** `Dimensions`: a JSON object or array of objects with string values. */
export function parseDimensions(raw: string | undefined): Record<string, string>[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new CmsInputError('The Dimensions parameter is not valid JSON.');
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const d of list) {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) {
      throw new CmsInputError('The Dimensions parameter must be a JSON object or an array of objects.');
    }
    if (!Object.values(d).every((v) => typeof v === 'string')) {
      throw new CmsInputError('The Dimensions parameter values must be strings.');
    }
  }
  if (list.length > 50) throw new CmsInputError('The Dimensions parameter names more than 50 instances.');
  return list as Record<string, string>[];
}

/** StartTime/EndTime: Unix ms, Unix seconds, `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DD hh:mm:ss` (UTC). */
export function parseCmsTime(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    return n < 100_000_000_000 ? n * 1000 : n;
  }
  const iso = raw.includes('T') ? raw : `${raw.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new CmsInputError(`The ${name} parameter is not a valid time: ${raw}`);
  return ms;
}

/** Period in seconds: a positive multiple of 60 (default 60). */
export function parsePeriod(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 60;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n % 60 !== 0) {
    throw new CmsInputError('The Period parameter must be a multiple of 60 seconds.');
  }
  return n;
}

/** Data older than this is gone (reference §5.2). */
export function retentionMs(periodSeconds: number): number {
  const day = 86_400_000;
  if (periodSeconds < 60) return 7 * day;
  if (periodSeconds < 300) return 31 * day;
  return 91 * day;
}
