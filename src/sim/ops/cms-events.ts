// CloudMonitor system events of VPN gateways (reference §5.3): a tunnel that changes state emits
// ipsec_phase1/phase2 negotiation events. Events fire only on a change, so they come from the
// world's transitions.
import { hashHex } from '../world/ids.js';
import type { TunnelTransition, VpnConnection, WorldState } from '../world/types.js';

/** The console's product code for VPN gateway events. */
export const VPN_EVENT_PRODUCT = 'vpngw';

export interface SystemEvent {
  Id: string;
  Name: string;
  Product: string;
  EventType: string;
  Level: string;
  Status: string;
  Time: number;
  RegionId: string;
  ResourceId: string;
  InstanceName: string;
  GroupId: string;
  Content: string;
}

function event(
  t: TunnelTransition,
  conn: VpnConnection,
  uid: string,
  name: string,
  failed: boolean,
): SystemEvent {
  const h = hashHex(`${t.tunnelId}|${t.at}|${name}`);
  return {
    Id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
    Name: name,
    Product: VPN_EVENT_PRODUCT,
    EventType: 'StatusNotification',
    Level: failed ? 'WARN' : 'INFO',
    Status: failed ? '0' : '1',
    Time: t.at,
    RegionId: t.region,
    ResourceId: `acs:vpn:${t.region}:${uid}:vpnconnection/${conn.id}`,
    InstanceName: conn.name,
    GroupId: '',
    Content: JSON.stringify({
      instanceId: conn.vpnGatewayId,
      ipsecId: conn.id,
      tunnelId: t.tunnelId,
      state: failed ? 'down' : 'up',
      ...(t.cause ? { reason: t.cause } : {}),
    }),
  };
}

/** Events of one transition: a failure names its phase; a recovery re-establishes what was down. */
export function eventsOf(world: WorldState, t: TunnelTransition, uid: string): SystemEvent[] {
  const located = world.locateConnection(t.connectionId);
  if (!located) return [];
  const conn = located.connection;
  if (!t.up) {
    const phase = world.tunnelAt(conn, t.tunnel, t.at).failure?.phase ?? 1;
    return [event(t, conn, uid, `ipsec_phase${phase}_nego_failed`, true)];
  }
  const before = world.tunnelAt(conn, t.tunnel, t.at - 1).failure;
  const names =
    before?.phase === 2
      ? ['ipsec_phase2_nego_success']
      : ['ipsec_phase1_nego_success', 'ipsec_phase2_nego_success'];
  return names.map((n) => event(t, conn, uid, n, false));
}
