// What `peer-config` needs from the cloud for one connection: the connection (both tunnels' IKE and
// IPsec settings, subnets), the customer gateway IPs and, only when asked (`--include-psk`), each
// tunnel's PSK. The PSKs are returned to the caller that prints them and are never logged or stored.
import * as $Vpc from '@alicloud/vpc20160428';
import { vpnConnectionsPage } from '../cloud/shape.js';
import type { RegionApi } from '../cloud/types.js';
import type { Connection } from '../model/snapshot.js';
import { errorText } from './errors.js';
import { normaliseConnection } from './normalise/connection.js';

export interface PeerConfigSource {
  connection: Connection;
  /** Customer gateway id → its public IP. */
  customerGatewayIps: Record<string, string>;
  /** Tunnel id → PSK, only when requested; null otherwise. */
  psks: Record<string, string> | null;
}

export class ConnectionNotFoundError extends Error {
  override name = 'ConnectionNotFoundError';
}

type SdkConnection = $Vpc.DescribeVpnConnectionsResponseBodyVpnConnectionsVpnConnection;

function psksOf(c: SdkConnection, connection: Connection): Record<string, string> {
  const out: Record<string, string> = {};
  const options = c.tunnelOptionsSpecification?.tunnelOptions ?? [];
  if (options.length === 0) {
    const psk = c.ikeConfig?.psk;
    if (psk && connection.tunnels[0]) out[connection.tunnels[0].id] = psk;
  }
  for (const t of options) {
    if (t.tunnelId && t.tunnelIkeConfig?.psk) out[t.tunnelId] = t.tunnelIkeConfig.psk;
  }
  return out;
}

/**
 * Looks the connection up in every configured account × region (one DescribeVpnConnections call
 * filtered by id each). Errors of regions where it was not found are reported only if it is found
 * nowhere, so one unreachable region does not hide the answer from another.
 */
export async function fetchPeerConfigSource(
  apis: readonly RegionApi[],
  connectionId: string,
  opts: { includePsk: boolean },
): Promise<PeerConfigSource> {
  const errors: string[] = [];
  for (const api of apis) {
    let found: SdkConnection | undefined;
    try {
      const request = new $Vpc.DescribeVpnConnectionsRequest({
        regionId: api.region,
        vpnConnectionId: connectionId,
        pageNumber: 1,
        pageSize: 10,
      });
      // A page that is not the documented shape is an error here too, never "not found".
      const res = await api.call(
        'vpc',
        'DescribeVpnConnections',
        (rt) => api.vpc.describeVpnConnectionsWithOptions(request, rt),
        { shape: vpnConnectionsPage },
      );
      found = (res.body?.vpnConnections?.vpnConnection ?? []).find((c) => c.vpnConnectionId === connectionId);
    } catch (err) {
      errors.push(`${api.account}/${api.region}: ${errorText(err, 'DescribeVpnConnections')}`);
      continue;
    }
    if (!found) continue;
    const connection = normaliseConnection(api.account, api.region, found);
    const customerGatewayIps: Record<string, string> = {};
    for (const id of new Set(connection.tunnels.map((t) => t.customerGatewayId).filter(Boolean))) {
      const req = new $Vpc.DescribeCustomerGatewayRequest({ regionId: api.region, customerGatewayId: id });
      try {
        const res = await api.call('vpc', 'DescribeCustomerGateway', (rt) =>
          api.vpc.describeCustomerGatewayWithOptions(req, rt),
        );
        if (res.body?.ipAddress) customerGatewayIps[id] = res.body.ipAddress;
      } catch {
        // The IP only fills a comment and the default local ID; the tunnel's RemoteId still names it.
      }
    }
    for (const t of connection.tunnels) t.customerGatewayIp = customerGatewayIps[t.customerGatewayId] ?? null;
    return { connection, customerGatewayIps, psks: opts.includePsk ? psksOf(found, connection) : null };
  }
  throw new ConnectionNotFoundError(
    `connection ${connectionId} was not found in any configured account or region` +
      (errors.length > 0 ? ` (and some could not be asked: ${errors.join('; ')})` : ''),
  );
}
