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
  | 'config_change' // configuration seen to change between two snapshots (detail: ConfigChangeDetail)
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

/** What a `config_change` event is about. */
export type ChangeKind =
  | 'tunnel-ike' // IKE version, mode, algorithms, DH group, lifetime, IDs, DPD, NAT-T of one tunnel
  | 'tunnel-ipsec' // ESP algorithms, PFS group, lifetime of one tunnel
  | 'tunnel-bgp' // BGP on the tunnel: ASNs, BGP IPs, tunnel CIDR
  | 'psk' // the pre-shared key (compared by fingerprint only)
  | 'customer-gateway' // the tunnel's customer gateway, or that gateway's IP or ASN
  | 'connection' // EffectImmediately, routing mode, local/remote subnets, BGP switch
  | 'vpn-route' // VPN gateway routes to the connection: added, removed, published or withdrawn
  | 'route-table' // VPC route table entries
  | 'security-group' // security group rules
  | 'network-acl' // network ACL entries
  | 'vpn-gateway'; // the VPN gateway's status, specification or BGP switch

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'tunnel-ike',
  'tunnel-ipsec',
  'tunnel-bgp',
  'psk',
  'customer-gateway',
  'connection',
  'vpn-route',
  'route-table',
  'security-group',
  'network-acl',
  'vpn-gateway',
];

/** One field that changed; `before`/`after` null for an item added or removed. Never a secret. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ConfigChangeDetail {
  kind: ChangeKind;
  /** The resource that changed: tunnel, gateway, table, group or ACL id. */
  subject: string;
  changes: FieldChange[];
}
