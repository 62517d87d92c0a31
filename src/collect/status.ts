// Status tier: the paged DescribeVpnConnections list carries every tunnel's Role, State, Status and
// BGP status, so a healthy fleet costs one call per 50 connections (per listed gateway) and nothing else.
import * as $Vpc from '@alicloud/vpc20160428';
import { allPagesByNumber } from '../cloud/paging.js';
import { vpnConnectionsPage } from '../cloud/shape.js';
import type { RegionApi } from '../cloud/types.js';
import type { Collected, Connection } from '../model/snapshot.js';
import { mapLimit } from './concurrency.js';
import { errorText } from './errors.js';
import { normaliseConnection } from './normalise/connection.js';

/** The account's `filter` from the config. */
export interface StatusFilter {
  /** One listing per gateway id; none or empty = every gateway of the region. */
  vpnGatewayIds?: readonly string[];
  /** Sent as Tag.N.Key/Value: only connections carrying every tag. */
  tags?: Readonly<Record<string, string>>;
}

export const STATUS_PAGE_SIZE = 50;
const LISTING_CONCURRENCY = 4;

type SdkConnection = $Vpc.DescribeVpnConnectionsResponseBodyVpnConnectionsVpnConnection;

async function listConnections(
  api: RegionApi,
  filter: StatusFilter,
  vpnGatewayId: string | undefined,
): Promise<SdkConnection[]> {
  const tag = Object.entries(filter.tags ?? {}).map(
    ([key, value]) => new $Vpc.DescribeVpnConnectionsRequestTag({ key, value }),
  );
  return allPagesByNumber(async (pageNumber, pageSize) => {
    const request = new $Vpc.DescribeVpnConnectionsRequest({
      regionId: api.region,
      pageNumber,
      pageSize,
      ...(vpnGatewayId ? { vpnGatewayId } : {}),
      ...(tag.length > 0 ? { tag } : {}),
    });
    // A page that is not the documented shape fails the call (BadResponse): never an empty fleet.
    const res = await api.call(
      'vpc',
      'DescribeVpnConnections',
      (rt) => api.vpc.describeVpnConnectionsWithOptions(request, rt),
      { shape: vpnConnectionsPage },
    );
    return { items: res.body?.vpnConnections?.vpnConnection ?? [], totalCount: res.body?.totalCount ?? 0 };
  }, STATUS_PAGE_SIZE);
}

/**
 * Every connection of the region (or of the filtered gateways) with both tunnels. A failed listing
 * makes the result `complete: false` with the error; `data` then holds only the listings that
 * succeeded in full and must not be taken as the whole fleet.
 */
export async function collectStatus(
  api: RegionApi,
  filter: StatusFilter = {},
  /** The daemon's clock (tests run it simulated): the state's age is measured on it. */
  now: () => number = Date.now,
): Promise<Collected<Connection[]>> {
  const gatewayIds =
    filter.vpnGatewayIds && filter.vpnGatewayIds.length > 0
      ? [...new Set(filter.vpnGatewayIds)]
      : [undefined];
  const byId = new Map<string, Connection>();
  const errors: string[] = [];
  const listings = await mapLimit(gatewayIds, LISTING_CONCURRENCY, async (gatewayId) => {
    try {
      return await listConnections(api, filter, gatewayId);
    } catch (err) {
      errors.push(errorText(err, 'DescribeVpnConnections') + (gatewayId ? ` (gateway ${gatewayId})` : ''));
      return [];
    }
  });
  for (const c of listings.flat()) {
    const conn = normaliseConnection(api.account, api.region, c);
    if (conn.id) byId.set(conn.id, conn);
  }
  const data = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const collectedAt = now();
  return errors.length === 0
    ? { collectedAt, complete: true, data }
    : { collectedAt, complete: false, error: errors.join('; '), data };
}
