// Events the tracker derives from successive snapshots; stored, shown on timelines, counted in metrics.

export type EventKind =
  | 'tunnel_down' // a tunnel left ipsec_sa_established (detail.phase says how far it still gets)
  | 'tunnel_up'
  | 'tunnel_status_changed' // any other negotiation status change
  | 'failover' // traffic moved master → slave
  | 'failback' // traffic moved slave → master
  | 'connection_down' // no tunnel carries traffic
  | 'connection_up'
  | 'connection_removed' // listed before, absent from the next complete listing (deleted, or out of the filter)
  | 'flapping' // too many state changes in the window
  | 'finding_opened'
  | 'finding_resolved';

export interface VpnEvent {
  /** Assigned by the store. */
  id?: number;
  /** Unix ms. */
  at: number;
  kind: EventKind;
  account: string;
  region: string;
  vpnGatewayId: string;
  connectionId: string;
  tunnelId: string | null;
  /** e.g. previous/new status, from/to tunnel ids, rule id; never secrets. */
  detail: Record<string, unknown>;
}
