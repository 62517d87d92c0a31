// Small lookups over a region, shared by handlers.
import type { CustomerGateway, Region, Tunnel, VpnConnection, VpnGateway } from './types.js';

/** Tunnel 1 (master) or 2 (slave). */
export function tunnelOf(conn: VpnConnection, index: 1 | 2): Tunnel {
  return index === 1 ? conn.tunnels[0] : conn.tunnels[1];
}

/** 1 or 2 for a tunnel id of the connection, undefined when it is not one of its tunnels. */
export function tunnelIndex(conn: VpnConnection, tunnelId: string): 1 | 2 | undefined {
  if (conn.tunnels[0].id === tunnelId) return 1;
  if (conn.tunnels[1].id === tunnelId) return 2;
  return undefined;
}

export function gatewayOf(region: Region, conn: VpnConnection): VpnGateway | undefined {
  return region.vpnGateways.find((g) => g.id === conn.vpnGatewayId);
}

export function customerGatewayOf(region: Region, tunnel: Tunnel): CustomerGateway | undefined {
  return region.customerGateways.find((c) => c.id === tunnel.customerGatewayId);
}
