// When a tunnel is up, and when it is down: decided here and nowhere else. The daemon's adaptive
// polling, the evidence tier's targets, the report's status, the rule facts and the peer findings
// all ask this module.
//
// - A tunnel is **established** when its phase 2 (the IPsec SA) is: Alibaba's negotiation status
//   `ipsec_sa_established`. Normalisation stores the answer in `Tunnel.ipsecSaUp` (and phase 1 in
//   `ikeSaUp`) with the two functions below, so every later stage reads the same field.
// - A tunnel is **down** when it should be established and is not. A connection with
//   EffectImmediately off negotiates only when traffic arrives, so its idle tunnels are expected to
//   be unestablished: they are not down (no faster polling, no evidence hunt, no pending report).
import type { Connection, NegotiationStatus, RegionSnapshot, Tunnel } from './snapshot.js';

const PHASE1_UP: ReadonlySet<string> = new Set<NegotiationStatus>([
  'ike_sa_established',
  'ipsec_sa_not_established',
  'ipsec_sa_established',
]);

/** Phase 1 (the IKE SA) is up for this negotiation status. */
export const isIkeSaUp = (status: string): boolean => PHASE1_UP.has(status);
/** Phase 2 (the IPsec SA) is up for this negotiation status: the tunnel is established. */
export const isIpsecSaUp = (status: string): boolean => status === 'ipsec_sa_established';

/** The connection's tunnels are expected to be established (EffectImmediately on). */
export const expectsTunnelsUp = (connection: Pick<Connection, 'effectImmediately'>): boolean =>
  connection.effectImmediately;

/** The tunnel should be established and is not. */
export const isTunnelDown = (
  connection: Pick<Connection, 'effectImmediately'>,
  tunnel: Pick<Tunnel, 'ipsecSaUp'>,
): boolean => expectsTunnelsUp(connection) && !tunnel.ipsecSaUp;

/** Some tunnel of the connection is down. */
export const connectionHasDownTunnel = (
  connection: Pick<Connection, 'effectImmediately' | 'tunnels'>,
): boolean => connection.tunnels.some((t) => isTunnelDown(connection, t));

/** Some tunnel of the region's (last known) connections is down. */
export const regionHasDownTunnel = (region: Pick<RegionSnapshot, 'connections'>): boolean =>
  region.connections.data.some(connectionHasDownTunnel);

/** Some tunnel of the connection is established, so traffic can flow. */
export const anyTunnelEstablished = (connection: Pick<Connection, 'tunnels'>): boolean =>
  connection.tunnels.some((t) => t.ipsecSaUp);
