// The documented facts of the engine's own families (account, region, tunnel, tunnels, connection,
// gateway, peer, negotiation, history, evidence); routing, filtering, BGP and probe facts are
// documented next to their code. Each family's provider (facts/providers.ts) takes its share, and
// `src/diagnose/fact-catalogue.ts` is their union: `rules lint` rejects names not listed.

import { FLAP_MIN_CHANGES } from '../../model/flapping.js';
import { factDoc } from './provider.js';

/** One documented fact: a dotted name as rules write it, its CEL type and what it means. */
export interface FactDoc {
  /** Dotted, e.g. 'routing.missingVpnRoutes'. */
  name: string;
  /** CEL type: bool | int | double | string | list<string> | list<map> | map | …|null */
  type: string;
  doc: string;
}

const group = (prefix: string, rows: [string, string, string][]): FactDoc[] =>
  rows.map(([name, type, doc]) => factDoc(prefix)(name, type, doc));

const TUNNEL_FIELDS: [string, string, string][] = [
  ['id', 'string', 'Tunnel id (tun-…)'],
  ['index', 'int', '1 for the master tunnel, 2 for the slave'],
  ['role', 'string', 'master | slave (fixed by configuration)'],
  ['primary', 'bool', 'role == master'],
  ['state', 'string', 'Resource state: active | updating | deleting'],
  ['status', 'string', 'Negotiation status as Alibaba spells it (ike_sa_not_established …)'],
  ['up', 'bool', 'Phase 2 established (ipsec_sa_established)'],
  ['down', 'bool', 'Not established (!up)'],
  ['ikeSaUp', 'bool', 'Phase 1 established'],
  ['ipsecSaUp', 'bool', 'Phase 2 established'],
  ['updating', 'bool', 'A configuration change is in progress (state updating)'],
  ['zone', 'string', 'Zone of the tunnel'],
  ['ip', 'string', 'Alibaba-side tunnel IP'],
  ['customerGatewayId', 'string', 'Customer gateway of the tunnel ("" when not configured)'],
  ['customerGatewayIp', 'string', 'Customer gateway IP ("" when unknown)'],
  ['enableDpd', 'bool', 'DPD enabled on Alibaba side'],
  ['enableNatTraversal', 'bool', 'NAT traversal enabled on Alibaba side'],
  ['ike', 'map', 'IKE (phase 1) settings'],
  ['ike.version', 'string', 'ikev1 | ikev2'],
  ['ike.mode', 'string', 'main | aggressive'],
  ['ike.encAlg', 'string', 'IKE encryption algorithm'],
  ['ike.authAlg', 'string', 'IKE authentication algorithm'],
  ['ike.dhGroup', 'string', 'IKE DH group (group1|group2|group5|group14)'],
  ['ike.lifetimeSeconds', 'int|null', 'IKE SA lifetime'],
  ['ike.localId', 'string', 'Alibaba-side IKE identity'],
  ['ike.remoteId', 'string', 'Expected peer IKE identity'],
  ['ike.pskFingerprint', 'string', 'Short SHA-256 fingerprint of the PSK ("" when unknown); never the PSK'],
  ['ipsec', 'map', 'IPsec (phase 2) settings'],
  ['ipsec.encAlg', 'string', 'IPsec encryption algorithm'],
  ['ipsec.authAlg', 'string', 'IPsec authentication algorithm'],
  ['ipsec.pfs', 'string', 'IPsec PFS group (disabled|group1|group2|group5|group14)'],
  ['ipsec.lifetimeSeconds', 'int|null', 'IPsec SA lifetime'],
  [
    'weakCrypto',
    'list<string>',
    'Weak settings, e.g. "IKE authentication md5" (md5, des, 3des, group1, group2)',
  ],
];

const CONNECTION_FIELDS: [string, string, string][] = [
  ['id', 'string', 'Connection id (vco-…)'],
  ['name', 'string', 'Connection name'],
  ['state', 'string', 'Resource state (active, financialLocked, updating …)'],
  ['status', 'string', 'Top-level negotiation status'],
  ['listComplete', 'bool', "The region's connection list was read completely"],
  ['effectImmediately', 'bool', 'false: tunnels negotiate only when traffic arrives (down is expected)'],
  ['dualTunnel', 'bool', 'Dual-tunnel mode'],
  ['enableTunnelsBgp', 'bool', 'BGP enabled on the tunnels'],
  ['localSubnets', 'list<string>', 'Cloud-side CIDRs (LocalSubnet)'],
  ['remoteSubnets', 'list<string>', 'On-prem CIDRs (RemoteSubnet)'],
  ['destinationBased', 'bool', 'Both subnets 0.0.0.0/0: destination-based routing mode'],
  ['multiCidr', 'bool', 'Protected-data-flow mode with more than one CIDR on a side'],
  ['tunnelCount', 'int', 'Tunnels in the connection'],
  ['configuredTunnelCount', 'int', 'Tunnels with a customer gateway configured'],
  ['upCount', 'int', 'Tunnels established'],
  ['down', 'bool', 'No tunnel is established'],
  ['updating', 'bool', 'The connection or a tunnel is being reconfigured'],
  ['masterUp', 'bool', 'Tunnel 1 (master) is established'],
  ['slaveUp', 'bool', 'Tunnel 2 (slave) is established'],
  ['masterStatus', 'string', 'Status of tunnel 1'],
  ['slaveStatus', 'string', 'Status of tunnel 2'],
  ['masterId', 'string', 'Id of tunnel 1'],
  ['slaveId', 'string', 'Id of tunnel 2'],
  ['activeTunnelId', 'string', 'Tunnel carrying traffic ("" when none)'],
  ['onStandby', 'bool', 'Traffic runs on the slave tunnel (failed over)'],
  ['zones', 'list<string>', 'Distinct zones of the tunnels'],
  ['sameZone', 'bool', 'More than one tunnel and all in one zone'],
];

const GATEWAY_FIELDS: [string, string, string][] = [
  ['known', 'bool', 'The gateway was found in the collected topology'],
  ['id', 'string', 'VPN gateway id (vpn-…)'],
  ['name', 'string', 'Gateway name'],
  ['status', 'string', 'init | provisioning | active | updating | deleting'],
  ['businessStatus', 'string', 'Normal | FinancialLocked'],
  ['financialLocked', 'bool', 'BusinessStatus is FinancialLocked'],
  ['active', 'bool', 'status active and not financially locked'],
  ['notActive', 'bool', 'Known and not active (false when unknown)'],
  ['internetIp', 'string', 'First IPsec address'],
  ['disasterRecoveryInternetIp', 'string', 'Second IPsec address'],
];

const PEER_FIELDS: [string, string, string][] = [
  ['known', 'bool', 'The customer gateway was found in the topology'],
  ['customerGatewayId', 'string', 'Customer gateway id (cgw-…)'],
  ['name', 'string', 'Customer gateway name'],
  ['ip', 'string', 'Public IP of the on-prem device (or its NAT)'],
  ['asn', 'int|null', 'Customer gateway ASN'],
];

const NEGOTIATION_FIELDS: [string, string, string][] = [
  ['known', 'bool', 'Some evidence (diagnosis row or log lines) was collected'],
  ['cause', 'string', 'Rule id the evidence names ("" when none, or when the tunnel is up)'],
  ['phase', 'string', 'phase1 | phase2: the phase that failed ("" when up)'],
  ['source', 'string', 'DiagnoseVpnConnections | logs | ""'],
  ['code', 'string', 'FailedReasonCode behind the cause (or the latest code when no cause)'],
  ['codes', 'list<string>', 'Every FailedReasonCode seen for the tunnel'],
  ['reason', 'string', 'FailedReason text (or the matched log label)'],
  ['codeNote', 'string', 'Why a code maps to a neighbouring rule id'],
  ['sourceLog', 'string', 'SourceLog of the diagnosis row'],
  ['matchedLine', 'string', 'Log line that supports the cause'],
  ['matchedLabel', 'string', 'What the matched line means'],
  ['local', 'string', "Alibaba's value of the mismatching parameter (MismatchLocalParam or from logs)"],
  ['remote', 'string', "The peer's value (MismatchRemoteParam or from logs)"],
  ['param', 'string', 'dh-group | encryption | authentication | lifetime | ike-version | ike-mode | ""'],
  ['recommendAlibabaSide', 'bool', "The peer's value is stronger: change Alibaba's side"],
  ['peerAnswered', 'bool', 'The logs show an answer from the peer'],
  ['rejected', 'list<string>', 'Evidence set aside because its phase contradicts the tunnel status'],
  ['rejectedJa', 'list<string>', 'The same in Japanese'],
  ['missing', 'list<string>', 'Evidence that was missing or silent (when no cause)'],
  ['missingJa', 'list<string>', 'The same in Japanese'],
  ['evidenceAgeSeconds', 'int|null', 'Age of the evidence'],
  ['logLinesSeen', 'int', 'Log lines classified'],
];

/** Facts owned by the rule engine. */
export const CORE_FACTS: FactDoc[] = [
  { name: 'account', type: 'string', doc: 'Account name from the config' },
  { name: 'region', type: 'string', doc: 'Region id' },
  { name: 'tunnel', type: 'map', doc: 'The tunnel (tunnel scope only)' },
  ...group('tunnel', TUNNEL_FIELDS),
  {
    name: 'tunnels',
    type: 'list<map>',
    doc: 'The tunnels (connection scope only), each shaped like `tunnel`',
  },
  { name: 'connection', type: 'map', doc: 'The connection' },
  ...group('connection', CONNECTION_FIELDS),
  { name: 'gateway', type: 'map', doc: 'The VPN gateway' },
  ...group('gateway', GATEWAY_FIELDS),
  { name: 'peer', type: 'map', doc: 'The customer gateway of the tunnel (tunnel scope only)' },
  ...group('peer', PEER_FIELDS),
  { name: 'negotiation', type: 'map', doc: 'Negotiation evidence (tunnel scope only)' },
  ...group('negotiation', NEGOTIATION_FIELDS),
  { name: 'history', type: 'map', doc: 'State-change history from the tracker' },
  { name: 'history.known', type: 'bool', doc: 'The tracker supplied a count' },
  {
    name: 'history.stateChanges',
    type: 'int',
    doc: 'State changes in the window (max over tunnels in connection scope)',
  },
  { name: 'history.windowSeconds', type: 'int', doc: 'Length of the window' },
  {
    name: 'history.flapping',
    type: 'bool',
    doc: `At least ${FLAP_MIN_CHANGES} state changes in the window: the one definition of flapping (src/model/flapping.ts)`,
  },
  {
    name: 'history.regularFailures',
    type: 'int',
    doc: 'Recent failures after about the same up-time (within 10 % of the median; 0 below 3; tunnel scope)',
  },
  {
    name: 'history.failureIntervalSeconds',
    type: 'int',
    doc: 'Median up-time before a failure, seconds (tunnel scope)',
  },
  {
    name: 'history.upSpells',
    type: 'string',
    doc: 'Recent up-times before failures, as text (tunnel scope)',
  },
  {
    name: 'history.lifetimeMatch',
    type: 'string',
    doc: 'The configured SA lifetime the interval matches: "IKE", "IPsec" or "" (tunnel scope)',
  },
  { name: 'evidence', type: 'map', doc: 'What evidence collection produced' },
  { name: 'evidence.collected', type: 'bool', doc: 'An evidence record exists' },
  { name: 'evidence.diagnosisAvailable', type: 'bool', doc: 'DiagnoseVpnConnections answered' },
  { name: 'evidence.logsAvailable', type: 'bool', doc: 'Logs were read' },
  { name: 'evidence.errors', type: 'list<string>', doc: 'Why parts are missing' },
  { name: 'routing', type: 'map', doc: 'Routing facts (see routing.*)' },
  { name: 'filtering', type: 'map', doc: 'Filtering facts (see filtering.*)' },
  { name: 'bgp', type: 'map', doc: 'BGP facts of the tunnel (see bgp.*; tunnel scope only)' },
];
