// Traffic tier: CloudMonitor acs_vpn `ipsec_rx.rate` / `ipsec_tx.rate` (bit/s) per connection,
// up to 50 connections per DescribeMetricLast call.
import * as $Cms from '@alicloud/cms20190101';
import { assertCmsSuccess } from '../cloud/cms.js';
import { metricLastPage } from '../cloud/page-shapes.js';
import { allPagesByToken } from '../cloud/paging.js';
import type { RegionApi } from '../cloud/types.js';
import type { Collected, Connection, ConnectionTraffic } from '../model/snapshot.js';
import { mapLimit } from './concurrency.js';
import { errorText } from './errors.js';
import { latestByConnection, parseDatapoints, type RatePoint } from './normalise/traffic.js';
import { chunks } from './values.js';

export const TRAFFIC_NAMESPACE = 'acs_vpn';
export const RX_METRIC = 'ipsec_rx.rate';
export const TX_METRIC = 'ipsec_tx.rate';
/** CloudMonitor accepts at most 50 instances per request. */
const CONNECTIONS_PER_CALL = 50;
const ACTION = 'DescribeMetricLast';

async function metricBatch(api: RegionApi, metric: string, batch: Connection[]): Promise<RatePoint[]> {
  const dimensions = JSON.stringify(batch.map((c) => ({ instanceId: c.vpnGatewayId, ipsecId: c.id })));
  const pages = await allPagesByToken(async (nextToken) => {
    const req = new $Cms.DescribeMetricLastRequest({
      namespace: TRAFFIC_NAMESPACE,
      metricName: metric,
      dimensions,
      period: '60',
      regionId: api.region,
      ...(nextToken ? { nextToken } : {}),
    });
    // RegionApi.call turns Success:false into a CloudError; asserting again keeps that true for any RegionApi.
    const res = await api.call('cms', ACTION, (rt) => api.cms.describeMetricLastWithOptions(req, rt), {
      shape: metricLastPage,
    });
    assertCmsSuccess(res.body ?? {}, { action: ACTION, account: api.account, region: api.region });
    return { items: parseDatapoints(metric, res.body?.datapoints), nextToken: res.body?.nextToken ?? null };
  });
  return pages;
}

/**
 * Last rx/tx rate of each connection. A connection whose batch failed is left out (unknown) and the
 * result is `complete: false`; one with no datapoint is present with null rates.
 */
export async function collectTraffic(
  api: RegionApi,
  connections: readonly Connection[],
  now: number,
): Promise<Collected<Record<string, ConnectionTraffic>>> {
  const errors: string[] = [];
  const data: Record<string, ConnectionTraffic> = {};
  const batches = chunks(
    connections.filter((c) => c.id && c.vpnGatewayId),
    CONNECTIONS_PER_CALL,
  );
  await mapLimit(batches, 2, async (batch) => {
    try {
      const [rx, tx] = await Promise.all([
        metricBatch(api, RX_METRIC, batch),
        metricBatch(api, TX_METRIC, batch),
      ]);
      const lastRx = latestByConnection(rx);
      const lastTx = latestByConnection(tx);
      for (const c of batch) {
        const r = lastRx.get(c.id);
        const t = lastTx.get(c.id);
        const at = Math.max(r?.at ?? 0, t?.at ?? 0);
        data[c.id] = {
          connectionId: c.id,
          rxBps: r?.value ?? null,
          txBps: t?.value ?? null,
          at: at > 0 ? at : null,
        };
      }
    } catch (err) {
      errors.push(`${errorText(err, ACTION)} (${batch.length} connections left unknown)`);
    }
  });
  return errors.length === 0
    ? { collectedAt: now, complete: true, data }
    : { collectedAt: now, complete: false, error: errors.join('; '), data };
}
