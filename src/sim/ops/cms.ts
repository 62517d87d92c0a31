// CloudMonitor operations (2019-01-01): DescribeMetricList, DescribeMetricLast (Datapoints as a
// JSON string, NextToken paging) and DescribeSystemEventAttribute. Bad input is answered as
// CloudMonitor does: HTTP 200 with `Success: false` and a `Code`.
import { SimApiError, type SimRequest } from '../protocol.js';
import { paginate, requireParam } from '../world/request.js';
import type { Account, Region, WorldState } from '../world/types.js';
import { eventsOf, type SystemEvent } from './cms-events.js';
import {
  CmsInputError,
  matchesDimensions,
  parseCmsTime,
  parseDimensions,
  parsePeriod,
  retentionMs,
  type Series,
  seriesOf,
  seriesValue,
  VPN_METRICS,
  VPN_NAMESPACE,
} from './cms-metrics.js';
import type { Handler, HandlerTable } from './index.js';
import { queryScope, tokenWindow } from './token-page.js';

const HOUR = 3_600_000;
const MAX_LENGTH = 1440;

/**
 * The regions a CloudMonitor call covers. The SDK sends no RegionId for these operations (a real
 * endpoint is regional, and the simulator has one endpoint), so without it the call spans every
 * region of the caller's account.
 */
function callerRegions(
  world: WorldState,
  req: SimRequest,
): { account: Account; regions: Region[] } | undefined {
  const account = world.world.accounts.find((a) => a.name === req.account);
  if (!account) return undefined;
  const regions = req.regionId ? account.regions.filter((r) => r.id === req.regionId) : account.regions;
  return { account, regions };
}

/** Runs a CloudMonitor handler, turning unusable input into CloudMonitor's HTTP 200 failure body. */
function cmsHandler(successValue: boolean | string, h: Handler): Handler {
  const failed = successValue === true ? false : 'false';
  return (world, req, now) => {
    try {
      return h(world, req, now);
    } catch (e) {
      const paging =
        e instanceof SimApiError && (e.code === 'InvalidNextToken' || e.code === 'InvalidParameter');
      if (!(e instanceof CmsInputError) && !paging) throw e;
      return { Code: '400', Message: (e as Error).message, Success: failed };
    }
  };
}

interface MetricQuery {
  metric: (typeof VPN_METRICS)[string] | undefined;
  series: Series[];
  period: number;
}

function metricQuery(world: WorldState, req: SimRequest): MetricQuery {
  const namespace = requireParam(req, 'Namespace');
  const metricName = requireParam(req, 'MetricName');
  const period = parsePeriod(req.params['Period']);
  const dimensions = parseDimensions(req.params['Dimensions']);
  const length = req.params['Length'];
  if (length !== undefined && length !== '') {
    const n = Number(length);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LENGTH) {
      throw new CmsInputError(`The Length parameter must be between 1 and ${MAX_LENGTH}.`);
    }
  }
  // Namespaces other than acs_vpn exist in CloudMonitor, but this world holds no data for them.
  if (namespace !== VPN_NAMESPACE) return { metric: undefined, series: [], period };
  const metric = VPN_METRICS[metricName];
  if (!metric)
    throw new CmsInputError(`The metric "${metricName}" does not exist in namespace ${VPN_NAMESPACE}.`);
  const caller = callerRegions(world, req);
  const series = caller
    ? seriesOf(metric, caller.account, caller.regions).filter((s) => matchesDimensions(s, dimensions))
    : [];
  return { metric, series, period };
}

function window(req: SimRequest, now: number): { start: number; end: number } {
  const end = Math.min(parseCmsTime('EndTime', req.params['EndTime']) ?? now, now);
  const start = parseCmsTime('StartTime', req.params['StartTime']) ?? end - HOUR;
  if (start >= end) throw new CmsInputError('The StartTime parameter must be earlier than EndTime.');
  return { start, end };
}

function pageOptions(req: SimRequest) {
  return {
    sizeParam: 'Length',
    defaultSize: 1000,
    minSize: 1,
    maxSize: MAX_LENGTH,
    scope: queryScope(req, ['Length']),
  };
}

function metricBody(
  period: number,
  points: Record<string, unknown>[],
  nextToken: string,
): Record<string, unknown> {
  return {
    Code: '200',
    Success: true,
    Period: String(period),
    Datapoints: JSON.stringify(points),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

/** Datapoints at each period boundary in (StartTime, EndTime], oldest first, every series per instant. */
const describeMetricList: Handler = (world, req, now) => {
  const q = metricQuery(world, req);
  const { start, end } = window(req, now);
  const step = q.period * 1000;
  const oldest = now - retentionMs(q.period);
  const first = Math.max(Math.floor(start / step) * step + step, Math.ceil(oldest / step) * step);
  const last = Math.floor(end / step) * step;
  const instants = last >= first ? (last - first) / step + 1 : 0;
  const total = q.metric ? instants * q.series.length : 0;
  const w = tokenWindow(req, total, pageOptions(req));
  const points: Record<string, unknown>[] = [];
  for (let i = w.offset; i < w.end && q.metric; i++) {
    const at = first + Math.floor(i / q.series.length) * step;
    const series = q.series[i % q.series.length]!;
    points.push({ timestamp: at, ...series.dimensions, Value: seriesValue(world, q.metric, series, at) });
  }
  return metricBody(q.period, points, w.nextToken);
};

/** The latest datapoint of each series. */
const describeMetricLast: Handler = (world, req, now) => {
  const q = metricQuery(world, req);
  const { start, end } = window(req, now);
  const step = q.period * 1000;
  const at = Math.floor(end / step) * step;
  const series = q.metric && at > start ? q.series : [];
  const w = tokenWindow(req, series.length, pageOptions(req));
  const points = series.slice(w.offset, w.end).map((s) => ({
    timestamp: at,
    ...s.dimensions,
    Value: seriesValue(world, q.metric!, s, at),
  }));
  return metricBody(q.period, points, w.nextToken);
};

function matches(wanted: string | undefined, value: string, caseless = false): boolean {
  if (wanted === undefined || wanted === '') return true;
  return caseless ? wanted.toLowerCase() === value.toLowerCase() : wanted === value;
}

/** Tunnel state changes as VPN gateway system events, newest first. */
const describeSystemEventAttribute: Handler = (world, req, now) => {
  const { start, end } = window(req, now);
  const p = req.params;
  const account = world.world.accounts.find((a) => a.name === req.account);
  const keywords = (p['SearchKeywords'] ?? '').toLowerCase();
  const events: SystemEvent[] = world
    .transitions(start, end)
    .filter((t) => t.account === req.account && (!req.regionId || t.region === req.regionId))
    .flatMap((t) => eventsOf(world, t, account?.uid ?? ''))
    .filter(
      (e) =>
        matches(p['Product'], e.Product, true) &&
        matches(p['Name'], e.Name) &&
        matches(p['EventType'], e.EventType, true) &&
        matches(p['Level'], e.Level, true) &&
        matches(p['Status'], e.Status) &&
        matches(p['GroupId'], e.GroupId) &&
        (keywords === '' ||
          [e.Content, e.Name, e.ResourceId, e.InstanceName].some((f) => f.toLowerCase().includes(keywords))),
    )
    .sort((a, b) => b.Time - a.Time);
  const page = paginate(req, events, 10, 100);
  return { Code: '200', Success: 'true', SystemEvents: { SystemEvent: page.items } };
};

export const cmsHandlers: HandlerTable = {
  DescribeMetricList: cmsHandler(true, describeMetricList),
  DescribeMetricLast: cmsHandler(true, describeMetricLast),
  // This operation's model types Success as a string.
  DescribeSystemEventAttribute: cmsHandler('true', describeSystemEventAttribute),
};
