// The simulator's world, fully expanded: every default of the compact YAML is already filled in.
// Handlers (VPN here; network/ECS/CMS by the transport author) read these types and the runtime
// helpers in `runtime.ts`; they never see the YAML. Resource ids are Alibaba-shaped (vco-, tun-, …).
import { SHIPPED, type ShippedReasonCode } from '../../diagnose/causes/registry.js';
import type { FaultRule } from '../protocol.js';

/**
 * Every FailedReasonCode of the troubleshooting table (reference §1.3) the simulator can report:
 * the cause registry's codes (src/diagnose/causes/) except NoExceptionFound, which is the absence
 * of a failure.
 */
export type FailedReasonCode = Exclude<ShippedReasonCode, 'NoExceptionFound'>;
export const FAILED_REASON_CODES = SHIPPED.codes().filter(
  (c): c is FailedReasonCode => c !== 'NoExceptionFound',
) as [FailedReasonCode, ...FailedReasonCode[]];

export type NegotiationStatus =
  | 'ike_sa_not_established'
  | 'ike_sa_established'
  | 'ipsec_sa_not_established'
  | 'ipsec_sa_established';

export interface AccessKey {
  id: string;
  secret: string;
  /** When set, requests must carry this STS token (x-acs-security-token / SecurityToken). */
  securityToken?: string;
}

export interface Account {
  name: string;
  /** Numeric Alibaba account id (the CMS `userId` dimension, route table `OwnerId`). */
  uid: string;
  accessKeys: AccessKey[];
  regions: Region[];
}

export interface Region {
  id: string; // cn-hangzhou
  zones: string[];
  vpcs: Vpc[];
  vswitches: VSwitch[];
  routeTables: RouteTable[];
  networkAcls: NetworkAcl[];
  securityGroups: SecurityGroup[];
  instances: Instance[];
  vpnGateways: VpnGateway[];
  customerGateways: CustomerGateway[];
  connections: VpnConnection[];
  vpnRoutes: VpnRoute[];
}

export interface Vpc {
  id: string;
  name: string;
  cidr: string;
  secondaryCidrs: string[];
  vRouterId: string;
  createTime: number; // ms
}

export interface VSwitch {
  id: string;
  name: string;
  vpcId: string;
  zone: string;
  cidr: string;
}

export interface RouteTableEntry {
  id: string; // rte-…
  dest: string;
  /** Local (vSwitch CIDR), VpnGateway, Instance, NatGateway, … */
  nextHopType: string;
  nextHopId: string;
  /** System (vSwitch routes), Custom (user), BGP. */
  type: 'System' | 'Custom' | 'BGP';
  status: 'Available' | 'Pending';
  /** SystemCreate | CustomCreate | RoutePropagation */
  origin: string;
  description: string;
}

export interface RouteTable {
  id: string; // vtb-…
  name: string;
  vpcId: string;
  type: 'System' | 'Custom';
  /** vSwitches explicitly bound (Custom tables); the System table serves every unbound vSwitch. */
  vswitchIds: string[];
  /** Entries stated in the scenario (vSwitch Local routes are added too, see `routeTableEntries`). */
  entries: RouteTableEntry[];
  /**
   * true: published VPN routes of gateways in this VPC appear here (as Alibaba does for the System
   * table). Default true for System, false for Custom tables.
   */
  receivesVpnRoutes: boolean;
}

export interface AclEntry {
  id: string; // nae-…
  name: string;
  policy: 'accept' | 'drop';
  protocol: 'all' | 'tcp' | 'udp' | 'icmp' | 'gre';
  port: string; // "-1/-1" or "1/65535"
  /** SourceCidrIp for ingress, DestinationCidrIp for egress. */
  cidr: string;
  entryType: 'custom' | 'system';
  description: string;
}

export interface NetworkAcl {
  id: string; // nacl-…
  name: string;
  vpcId: string;
  vswitchIds: string[];
  /** In order: the first matching entry decides. */
  ingress: AclEntry[];
  egress: AclEntry[];
}

export interface SecurityGroupRule {
  id: string; // sgr-…
  direction: 'ingress' | 'egress';
  policy: 'accept' | 'drop';
  priority: number; // 1–100, lower wins
  protocol: 'all' | 'tcp' | 'udp' | 'icmp' | 'gre';
  portRange: string; // "22/22", "-1/-1"
  /** SourceCidrIp (ingress) or DestCidrIp (egress). */
  cidr: string;
  description: string;
}

export interface SecurityGroup {
  id: string; // sg-…
  name: string;
  vpcId: string;
  innerAccessPolicy: 'Accept' | 'Drop';
  rules: SecurityGroupRule[];
}

export interface Instance {
  id: string; // i-…
  name: string;
  vpcId: string;
  vswitchId: string;
  zone: string;
  privateIps: string[];
  securityGroupIds: string[];
  status: 'Running' | 'Stopped';
  instanceType: string;
}

export interface VpnGateway {
  id: string; // vpn-…
  name: string;
  vpcId: string;
  vswitchId: string;
  /** Second vSwitch for the second IPsec address (DisasterRecoveryVSwitchId). */
  disasterRecoveryVSwitchId: string;
  status: 'init' | 'provisioning' | 'active' | 'updating' | 'deleting';
  businessStatus: 'Normal' | 'FinancialLocked';
  gatewayType: 'Traditional' | 'Enhanced.SiteToSite';
  internetIp: string;
  disasterRecoveryInternetIp: string;
  spec: string; // "10M"
  enableBgp: boolean;
  /** Local ASN of the gateway (45104 by default). */
  localAsn: number;
  tags: Record<string, string>;
  createTime: number; // ms
  /** false models a gateway created before 2019-03-21: diagnosis operations answer OperationUnsupported. */
  diagnoseSupported: boolean;
  /** Which daemon phrasing the gateway's logs use; `auto` = racoon for IKEv1, strongSwan for IKEv2. */
  logStyle: 'auto' | 'racoon' | 'strongswan';
}

export interface CustomerGateway {
  id: string; // cgw-…
  name: string;
  ip: string;
  /** null when no ASN was configured (BGP cannot work). */
  asn: number | null;
  description: string;
  createTime: number;
  tags: Record<string, string>;
}

export interface IkeConfig {
  version: 'ikev1' | 'ikev2';
  mode: 'main' | 'aggressive';
  encAlg: string; // aes|aes192|aes256|des|3des|sm4
  authAlg: string; // md5|sha1|sha256|sha384|sha512|sm3
  /** IkePfs: the phase-1 DH group (group1|group2|group5|group14). */
  dhGroup: string;
  lifetime: number; // seconds
  localId: string;
  remoteId: string;
  psk: string;
}

export interface IpsecConfig {
  encAlg: string;
  authAlg: string;
  pfs: string; // disabled|group1|group2|group5|group14
  lifetime: number; // seconds
}

export interface TunnelBgpConfig {
  localAsn: number;
  localBgpIp: string;
  tunnelCidr: string;
}

/**
 * The on-premises side of one tunnel, as the peer device is configured. Everything defaults to
 * what matches the cloud side, so a difference here is what makes a tunnel fail (the simulator
 * derives the FailedReasonCode from the first difference, in negotiation order).
 */
export interface PeerConfig {
  /** The address the peer really sends from; differs from the CGW IP → PeerMismatch. */
  ip: string;
  /** false: the device is down or its path is broken → NoResponse (retransmits). */
  reachable: boolean;
  /** UDP 500/4500 filtered on the way → NoResponse. */
  udpBlocked: boolean;
  psk: string;
  /** Seen from the peer: `localId` is the peer's own id (our remoteId), `remoteId` ours. */
  ike: IkeConfig;
  ipsec: IpsecConfig & { protocol: 'esp' | 'ah'; encapsulation: 'tunnel' | 'transport' };
  natTraversal: boolean;
  dpd: boolean;
  /** The peer's protected subnets (our RemoteSubnet) and the cloud subnets it expects (our LocalSubnet). */
  localSubnets: string[];
  remoteSubnets: string[];
  bgp: { asn: number | null; ip: string; up: boolean };
}

export interface Tunnel {
  id: string; // tun-…
  role: 'master' | 'slave';
  zone: string;
  /** Alibaba-side tunnel IP: gateway InternetIp for tunnel 1, DisasterRecoveryInternetIp for tunnel 2. */
  internetIp: string;
  customerGatewayId: string;
  state: 'active' | 'updating' | 'deleting';
  enableDpd: boolean;
  enableNatTraversal: boolean;
  ike: IkeConfig;
  ipsec: IpsecConfig;
  bgp: TunnelBgpConfig;
  peer: PeerConfig;
}

export interface Traffic {
  rxBps: number;
  txBps: number;
}

export interface VpnConnection {
  id: string; // vco-…
  name: string;
  vpnGatewayId: string;
  /** The connection's CustomerGatewayId (tunnel 1's by default). */
  customerGatewayId: string;
  localSubnets: string[];
  remoteSubnets: string[];
  effectImmediately: boolean;
  enableTunnelsBgp: boolean;
  networkType: 'public' | 'private';
  state: string; // active
  tunnelBandwidth: 'Standard' | 'Large';
  tags: Record<string, string>;
  createTime: number;
  /** Always two: index 0 = tunnel 1 (master), index 1 = tunnel 2 (slave). */
  tunnels: [Tunnel, Tunnel];
  /** Traffic while a tunnel carries it; 0 when both are down. */
  traffic: Traffic;
}

export interface VpnRoute {
  vpnGatewayId: string;
  kind: 'custom' | 'bgp' | 'policy';
  dest: string;
  /** Source CIDR of a policy route. */
  source: string;
  /** The connection (vco-…) the route points at. */
  nextHop: string;
  /** published = advertised to the VPC System route table; false = `normal`. */
  published: boolean;
  /** Policy route priority (lower wins). */
  priority: number;
  /** BGP routes only. */
  asPath: string;
  community: string;
  createTime: number;
}

/** A tunnel change at a point of the timeline, or sent through `/_sim/incidents`. */
export type TimelineAction =
  | { kind: 'fail'; connectionId: string; tunnel: 1 | 2; cause: FailedReasonCode }
  | { kind: 'recover'; connectionId: string; tunnel: 1 | 2 }
  /**
   * The cloud side of a tunnel is reconfigured (as ModifyVpnConnectionAttribute would): the new
   * settings are what Describe* answer from then on, and the tunnel negotiates with the peer again.
   */
  | {
      kind: 'configure';
      connectionId: string;
      tunnel: 1 | 2;
      ike?: Partial<Omit<IkeConfig, 'psk'>> & { psk?: string };
      ipsec?: Partial<IpsecConfig>;
    };

export interface TimelineEvent {
  /** Seconds after the world started. */
  at: number;
  action: TimelineAction;
}

/** What the daemon is expected to diagnose for this scenario (checked by later tests). */
export interface Expectation {
  connection: string;
  /** Omitted for connection-scoped rules. */
  tunnel?: 1 | 2;
  rule: string;
}

export interface World {
  name: string;
  description: string;
  accounts: Account[];
  timeline: TimelineEvent[];
  /** When set, the timeline repeats every `loopSeconds` (the demo). */
  loopSeconds: number | null;
  faults: FaultRule[];
  expect: Expectation[];
}

/** Why a tunnel is down at some instant. */
export interface TunnelFailure {
  code: FailedReasonCode;
  /** Unix ms when this failure began. */
  since: number;
  /** Which negotiation phase failed (drives Status). */
  phase: 1 | 2;
  /** Our configured value and the peer's, for parameter mismatches ('' otherwise). */
  mismatchLocal: string;
  mismatchRemote: string;
  /** 'config' = derived from a difference with the peer; 'incident' = timeline or control endpoint. */
  origin: 'config' | 'incident';
}

/** A tunnel as it is at one instant. */
export interface TunnelRuntime {
  status: NegotiationStatus;
  /** Phase 2 established. */
  up: boolean;
  /** TunnelBgpConfig.BgpStatus === 'success' (only meaningful with EnableTunnelsBgp). */
  bgpUp: boolean;
  failure: TunnelFailure | null;
}

/** A tunnel status change (feeds CMS system events and the timeline view). */
export interface TunnelTransition {
  at: number; // ms
  account: string;
  region: string;
  connectionId: string;
  tunnelId: string;
  tunnel: 1 | 2;
  up: boolean;
  cause: FailedReasonCode | null;
}

/** A connection's data path at one instant. */
export interface ConnectionTrafficAt extends Traffic {
  /** The tunnel carrying traffic: the master when up, else the slave when up, else null. */
  activeTunnelId: string | null;
}

/** A region of one account, as a request sees it. */
export interface RegionScope {
  account: Account;
  region: Region;
}

/**
 * The live world: static resources plus the timeline applied up to a moment. Handlers receive it
 * with the request's `now`; every query takes the instant it is about, so history (logs, metrics,
 * events) is answered consistently for any past window.
 */
export interface WorldState {
  readonly world: World;
  /** Unix ms of the world's t = 0 (timeline offsets count from here). */
  readonly startedAt: number;
  /** The account × region a request may see; undefined when the account has no such region. */
  scope(account: string, regionId: string): RegionScope | undefined;
  /** Where a connection lives, across all accounts. */
  locateConnection(connectionId: string): (RegionScope & { connection: VpnConnection }) | undefined;
  /** The tunnel's state at `at` (ms). */
  tunnelAt(connection: VpnConnection, tunnel: 1 | 2, at: number): TunnelRuntime;
  /** Traffic and the active tunnel at `at`. */
  trafficAt(connection: VpnConnection, at: number): ConnectionTrafficAt;
  /** Every status change in (from, to] (ms), oldest first, across all accounts. */
  transitions(from: number, to: number): TunnelTransition[];
  /** Apply an incident or recovery at `at` (the control endpoint and due timeline events). */
  apply(action: TimelineAction, at: number): void;
  /** Apply timeline events that are due at `now` (ms). Idempotent; the backend calls it per request. */
  advance(now: number): void;
  /** The tunnel's states over [from, to) (ms), oldest first (logs, metrics, events over a window). */
  history(connection: VpnConnection, tunnel: 1 | 2, from: number, to: number): TunnelSegment[];
  /** DiagnoseVpnGateway jobs by DiagnoseId. */
  readonly gatewayDiagnoses: Map<string, GatewayDiagnosis>;
  /**
   * Real negotiation logs by tunnel id (a tunnel backed by the strongSwan lab, src/sim/lab-backing.ts):
   * DescribeVpnConnectionLogs answers these instead of the templates for that tunnel.
   */
  readonly recordedLogs?: Map<string, RecordedLogLine[]>;
}

/** One log line as DescribeVpnConnectionLogs returns it, recorded rather than generated. */
export interface RecordedLogLine {
  /** Unix ms. */
  at: number;
  level: 'DEBUG' | 'PROTO_ERR';
  line: string;
}

/** A stretch of time during which a tunnel's state did not change. */
export interface TunnelSegment {
  from: number; // ms, inclusive
  to: number; // ms, exclusive
  runtime: TunnelRuntime;
  /** true when this segment began with a recovery (establishment is logged at `from`). */
  recovered: boolean;
}

/** A one-click gateway diagnosis started by DiagnoseVpnGateway (finished over a few seconds). */
export interface GatewayDiagnosis {
  id: string; // vpndgn-…
  account: string;
  region: string;
  vpnGatewayId: string;
  resourceId: string; // vco-…
  beganAt: number; // ms
  privateSourceIp: string;
  privateDestinationIp: string;
}
