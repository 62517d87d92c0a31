// The normalised snapshot: what one collection saw, in our own names.
// Every stage after `collect` (state, diagnose, metrics, report) reads only these types,
// never the SDK's models, so a change in Alibaba's wire shape touches `collect` alone.

/** Tunnel (and connection) negotiation status as Alibaba spells it. */
export type NegotiationStatus =
  | 'ike_sa_not_established'
  | 'ike_sa_established'
  | 'ipsec_sa_not_established'
  | 'ipsec_sa_established';

/** Which tunnel of a dual-tunnel connection: Alibaba's `Role`. Fixed by configuration, never swapped. */
export type TunnelRole = 'master' | 'slave';

/** When and how completely one part of the snapshot was collected. */
export interface Provenance {
  /** Unix ms when the data was read. */
  collectedAt: number;
  /** false when a page, a call or a region failed: consumers must treat missing data as unknown. */
  complete: boolean;
  /** What went wrong, when `complete` is false. Never contains secrets. */
  error?: string;
}

/** A part of the snapshot together with its provenance. */
export interface Collected<T> extends Provenance {
  data: T;
}

export interface IkeSettings {
  version: string; // ikev1 | ikev2
  mode: string; // main | aggressive
  encAlg: string;
  authAlg: string;
  dhGroup: string; // IkePfs: group1|group2|group5|group14
  lifetimeSeconds: number | null;
  localId: string;
  remoteId: string;
  /** Short SHA-256 fingerprint of the PSK (first 12 hex chars); the PSK itself never leaves `collect`. */
  pskFingerprint: string | null;
}

export interface IpsecSettings {
  encAlg: string;
  authAlg: string;
  pfs: string; // disabled|group1|group2|group5|group14
  lifetimeSeconds: number | null;
}

export interface TunnelBgp {
  /** Alibaba's BgpStatus: `success` means up; anything else (documented `false`) is down. */
  up: boolean;
  rawStatus: string;
  localAsn: number | null;
  localBgpIp: string;
  peerAsn: number | null;
  peerBgpIp: string;
  tunnelCidr: string;
}

export interface Tunnel {
  id: string; // tun-…
  /** 1 for `master`, 2 for `slave` (Alibaba returns TunnelIndex only for transit-router attachments). */
  index: 1 | 2;
  role: TunnelRole;
  /** Resource state: active | updating | deleting. */
  state: string;
  status: NegotiationStatus | string;
  /** Derived from status: phase 1 is up when status is ike_sa_established or ipsec_sa_*. */
  ikeSaUp: boolean;
  /** Phase 2 established: the tunnel is up. */
  ipsecSaUp: boolean;
  zone: string;
  /** Alibaba-side tunnel IP (TunnelOptions[].InternetIp). */
  ip: string;
  customerGatewayId: string;
  /** Filled from the customer gateway when topology is known. */
  customerGatewayIp: string | null;
  enableDpd: boolean;
  enableNatTraversal: boolean;
  ike: IkeSettings;
  ipsec: IpsecSettings;
  /** null when BGP is not enabled on the connection. */
  bgp: TunnelBgp | null;
}

export interface Connection {
  account: string;
  region: string;
  id: string; // vco-…
  name: string;
  vpnGatewayId: string;
  /** Resource state: active | init | attaching | attached | financialLocked | updating | … */
  state: string;
  /** Top-level Status (meaningful for single-tunnel connections). */
  status: string;
  attachType: string;
  networkType: string;
  /** false means "negotiate only when traffic arrives": down tunnels are expected, not failures. */
  effectImmediately: boolean;
  enableTunnelsBgp: boolean;
  /** Cloud-side CIDRs (LocalSubnet split on commas). `0.0.0.0/0` on both sides = destination-based routing. */
  localSubnets: string[];
  /** On-prem CIDRs (RemoteSubnet split on commas). */
  remoteSubnets: string[];
  tags: Record<string, string>;
  createTime: number | null;
  /** Both tunnels, index 1 first. A single-tunnel connection has one entry built from the top-level config. */
  tunnels: Tunnel[];
  /** true when the connection is in dual-tunnel mode (TunnelOptionsSpecification present). */
  dualTunnel: boolean;
}

export interface VpnGateway {
  id: string;
  name: string;
  vpcId: string;
  vswitchId: string;
  status: string; // init|provisioning|active|updating|deleting
  businessStatus: string; // Normal|FinancialLocked
  gatewayType: string;
  internetIp: string;
  disasterRecoveryInternetIp: string;
  enableBgp: boolean;
  ipsecVpn: string;
  spec: string;
  tags: Record<string, string>;
}

export interface CustomerGateway {
  id: string;
  name: string;
  ip: string;
  asn: number | null;
}

export interface VpnRoute {
  vpnGatewayId: string;
  kind: 'custom' | 'bgp' | 'policy';
  dest: string;
  /** Source CIDR of a policy-based route (RouteSource). */
  source: string | null;
  nextHop: string; // vco-…
  nextHopTunnelId: string | null;
  /** published = advertised to the VPC route table; normal = not advertised. */
  state: string;
  weight: number;
  priority: number | null;
}

export interface Vpc {
  id: string;
  name: string;
  cidrBlocks: string[]; // primary first, then secondary
  vrouterId: string;
}

export interface VSwitch {
  id: string;
  vpcId: string;
  zone: string;
  cidr: string;
  networkAclId: string | null;
}

export interface VpcRouteEntry {
  dest: string;
  nextHopType: string; // VpnGateway|Instance|…
  nextHopId: string;
  status: string;
  type: string; // Custom|System|BGP|CEN|ECR
}

export interface RouteTable {
  id: string;
  vpcId: string;
  type: 'System' | 'Custom' | string;
  /** vSwitches bound to this table (a Custom table); the System table serves every other vSwitch. */
  vswitchIds: string[];
  entries: VpcRouteEntry[];
}

export interface AclEntry {
  name: string;
  policy: 'accept' | 'drop' | string;
  protocol: string; // icmp|gre|tcp|udp|all
  port: string; // "-1/-1" | "1/200"
  /** SourceCidrIp for ingress, DestinationCidrIp for egress. */
  cidr: string;
  entryType: string; // custom|system
}

export interface NetworkAcl {
  id: string;
  vpcId: string;
  vswitchIds: string[];
  /** Evaluated in order: the first matching entry decides. */
  ingress: AclEntry[];
  egress: AclEntry[];
}

export interface SecurityGroupRule {
  direction: 'ingress' | 'egress';
  policy: 'accept' | 'drop';
  /** 1–100, lower wins. */
  priority: number;
  protocol: string; // tcp|udp|icmp|gre|all (lower-cased)
  portRange: string; // "22/22" | "-1/-1"
  /** SourceCidrIp for ingress, DestCidrIp for egress; empty when the rule names a group or prefix list. */
  cidr: string;
  description: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  vpcId: string;
  rules: SecurityGroupRule[];
}

export interface Instance {
  id: string;
  name: string;
  vpcId: string;
  vswitchId: string;
  privateIps: string[];
  securityGroupIds: string[];
  status: string;
}

/** Evidence for one tunnel, captured when it was not established (or at a transition). */
export interface TunnelDiagnosis {
  connectionId: string;
  tunnelId: string;
  failedReasonCode: string;
  failedReason: string;
  failedTime: number | null; // ms
  mismatchLocal: string;
  mismatchRemote: string;
  severity: string; // Critical|Warn|Normal
  sourceLog: string;
}

export interface TunnelLogs {
  connectionId: string;
  tunnelId: string;
  /** Unix seconds of the queried window. */
  from: number;
  to: number;
  lines: string[];
  /** Alibaba's IsCompleted, and false if a page failed. */
  complete: boolean;
}

export interface TunnelEvidence {
  tunnelId: string;
  connectionId: string;
  collectedAt: number;
  /** null when DiagnoseVpnConnections was not available (error or unsupported gateway). */
  diagnosis: TunnelDiagnosis[] | null;
  logs: TunnelLogs | null;
  /** Why a part is missing, e.g. "DiagnoseVpnConnections: OperationUnsupported.DiagnoseVpn". */
  errors: string[];
  /** Unix ms: the diagnosis was captured then, earlier in the same outage, and carried over. */
  carriedFrom?: number;
}

export interface ConnectionTraffic {
  connectionId: string;
  /** bits per second, last datapoint; null when CloudMonitor had no datapoint. */
  rxBps: number | null;
  txBps: number | null;
  at: number | null; // ms of the datapoint
}

export interface Topology {
  gateways: VpnGateway[];
  customerGateways: CustomerGateway[];
  vpnRoutes: VpnRoute[];
  vpcs: Vpc[];
  vswitches: VSwitch[];
  routeTables: RouteTable[];
  networkAcls: NetworkAcl[];
  securityGroups: SecurityGroup[];
  instances: Instance[];
}

/** One IKE probe of a tunnel's peer address on one UDP port (see docs/probe.md). */
export interface PortProbe {
  port: number;
  ike: 'v1' | 'v2';
  /** answered | no-answer | refused (ICMP port unreachable) | error (could not send) */
  outcome: string;
  answered: boolean;
  /** What answered, e.g. "NO_PROPOSAL_CHOSEN" or "IKE_SA_INIT (proposal accepted)"; "" when silent. */
  answer: string;
  /** Requests sent (first plus retransmissions) and the wait after each. */
  attempts: number;
  timeoutMs: number;
  /** Round trip of the answered request; null when unanswered. */
  rttMs: number | null;
  /** From the first request to the answer or to giving up. */
  durationMs: number;
  /** Unix ms when the probe started. */
  at: number;
}

/** The last probes of one tunnel's peer. */
export interface TunnelProbes {
  tunnelId: string;
  /** Whose address was probed: the customer gateway (from the cloud) or the Alibaba tunnel IP (on-prem). */
  target: 'customer-gateway' | 'gateway';
  address: string;
  /** Unix ms of the round that produced these results. */
  at: number;
  ports: PortProbe[];
  /** One line for people: "UDP 500 to 203.0.113.7: no answer to 3 IKE_SA_INIT in 6 s; UDP 4500: …". */
  summary: string;
}

/** Everything known about one account × region. */
export interface RegionSnapshot {
  account: string;
  region: string;
  connections: Collected<Connection[]>;
  /** null until the topology tier has run once for this region. */
  topology: Collected<Topology> | null;
  /** Keyed by tunnel id. */
  evidence: Record<string, TunnelEvidence>;
  /** Keyed by connection id; null until the traffic tier has run. */
  traffic: Collected<Record<string, ConnectionTraffic>> | null;
  /** IKE probes keyed by tunnel id; absent until the probe tier has run (off by default). */
  probes?: Record<string, TunnelProbes>;
}

export interface Snapshot {
  takenAt: number;
  regions: RegionSnapshot[];
}

export const emptyTopology = (): Topology => ({
  gateways: [],
  customerGateways: [],
  vpnRoutes: [],
  vpcs: [],
  vswitches: [],
  routeTables: [],
  networkAcls: [],
  securityGroups: [],
  instances: [],
});
