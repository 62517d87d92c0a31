// BGP facts of one tunnel: is the session up, and does its configuration follow the product page's
// rules (customer gateway ASN, ASN range, /30 tunnel CIDR in 169.254.0.0/16 outside the reserved
// blocks, local BGP IP inside it, tunnel CIDR unique on the VPN gateway)?

import {
  cachedCidr,
  cidrProblems,
  cidrsOverlap,
  formatIp,
  parseCidr,
  readIpv4Text,
  tryParseCidr,
} from '../../model/addressing.js';
import type { Connection, Topology, Tunnel } from '../../model/snapshot.js';
import { type GatewayTunnels, overlappingTunnels } from './bgp-duplicates.js';
import { bgpList } from './bgp-ja.js';
import type { FactDoc } from './catalogue.js';
import { factDoc } from './provider.js';

export const ASN_MIN = 1;
export const ASN_MAX = 4294967295;
const LINK_LOCAL = parseCidr('169.254.0.0/16');
/** Tunnel CIDRs the product page forbids. */
export const RESERVED_TUNNEL_CIDRS = [
  '169.254.0.0/30',
  '169.254.1.0/30',
  '169.254.2.0/30',
  '169.254.3.0/30',
  '169.254.4.0/30',
  '169.254.5.0/30',
  '169.254.169.252/30',
] as const;

export interface BgpFacts {
  /** EnableTunnelsBgp on the connection. */
  enabled: boolean;
  /** The tunnel carries a BGP configuration. */
  configured: boolean;
  /** BgpStatus is `success`. */
  up: boolean;
  rawStatus: string;
  /** The tunnel is established (phase 2), so a BGP session could run over it. */
  tunnelUp: boolean;
  localAsn: number | null;
  peerAsn: number | null;
  localBgpIp: string;
  peerBgpIp: string;
  tunnelCidr: string;
  customerGatewayId: string;
  /** Whether the customer gateway's ASN is known (topology collected, or the tunnel reports a peer ASN). */
  customerGatewayAsnKnown: boolean;
  customerGatewayAsn: number | null;
  /** Known, and the customer gateway has no ASN (or an out-of-range one). */
  customerGatewayAsnMissing: boolean;
  asnProblems: string[];
  tunnelCidrValid: boolean;
  tunnelCidrProblems: string[];
  localIpValid: boolean;
  localIpProblems: string[];
  /** Network address + 1 of a /30 tunnel CIDR: the usual Alibaba-side BGP IP (null when the CIDR is not a /30). */
  suggestedLocalBgpIp: string | null;
  /** Every configuration problem above in words (empty = the configuration explains nothing). */
  configProblems: string[];
  /** Other tunnels on the same VPN gateway using an overlapping tunnel CIDR: "tun-… of vco-… (cidr)". */
  duplicateTunnelCidrWith: string[];
  duplicateTunnelIds: string[];
}

const asnInRange = (asn: number): boolean => Number.isInteger(asn) && asn >= ASN_MIN && asn <= ASN_MAX;

function asnProblem(label: string, asn: number | null): string[] {
  if (asn === null || asnInRange(asn)) return [];
  return [`${label} ${asn} is outside ${ASN_MIN}–${ASN_MAX}`];
}

/** Everything wrong with a BGP tunnel CIDR per the product page (empty = valid). */
const RESERVED_BLOCKS = RESERVED_TUNNEL_CIDRS.map((text) => ({ text, cidr: parseCidr(text) }));

export function tunnelCidrProblems(text: string): string[] {
  if (text.trim() === '') return ['no tunnel CIDR is configured'];
  const basic = cidrProblems(text, 'tunnel CIDR');
  if (basic.length > 0) return basic;
  const c = parseCidr(text);
  const out: string[] = [];
  if (c.prefix !== 30) out.push(`${c.text} is a /${c.prefix}; the tunnel CIDR must be a /30`);
  if (!(LINK_LOCAL.start <= c.start && c.end <= LINK_LOCAL.end))
    out.push(`${c.text} is not inside 169.254.0.0/16`);
  const reserved = RESERVED_BLOCKS.filter((r) => cidrsOverlap(r.cidr, c)).map((r) => r.text);
  if (reserved.length > 0) out.push(`${c.text} overlaps the reserved block ${reserved.join(', ')}`);
  return out;
}

/** Everything wrong with the local BGP IP relative to the tunnel CIDR (empty = valid). */
export function localBgpIpProblems(ip: string, tunnelCidr: string): string[] {
  if (ip.trim() === '') return ['no local BGP IP is configured'];
  const read = readIpv4Text(ip, 'local BGP IP');
  if (read.ip === null) return [read.problem];
  const addr = read.ip;
  const c = cachedCidr(tunnelCidr);
  if (!c) return []; // the tunnel CIDR's own problem is reported by tunnelCidrProblems
  if (addr < c.start || addr > c.end) return [`local BGP IP ${ip} is outside the tunnel CIDR ${c.text}`];
  if (c.prefix <= 30 && addr === c.start) return [`local BGP IP ${ip} is the network address of ${c.text}`];
  if (c.prefix <= 30 && addr === c.end) return [`local BGP IP ${ip} is the broadcast address of ${c.text}`];
  return [];
}

function duplicates(
  conn: Connection,
  tunnel: Tunnel,
  sameGateway: readonly Connection[],
  index: GatewayTunnels | undefined,
): Tunnel[] {
  const mine = tryParseCidr(tunnel.bgp?.tunnelCidr ?? '');
  if (!mine) return [];
  if (index) return overlappingTunnels(index, conn, tunnel, mine);
  const all = [conn, ...sameGateway.filter((c) => c.id !== conn.id && c.vpnGatewayId === conn.vpnGatewayId)];
  return all.flatMap((c) =>
    c.tunnels.filter((t) => {
      const other = cachedCidr(t.bgp?.tunnelCidr ?? '');
      return t.id !== tunnel.id && other !== null && cidrsOverlap(other, mine);
    }),
  );
}

/**
 * BGP facts of `tunnel`; `sameGatewayConnections` are the connections on the same VPN gateway.
 * `gatewayIndex`, when given, must be `gatewayTunnels(sameGatewayConnections)` (with `conn` in it):
 * it replaces the scan of every tunnel on the gateway.
 */
export function bgpFacts(
  conn: Connection,
  tunnel: Tunnel,
  topo: Topology | null,
  sameGatewayConnections: Connection[],
  gatewayIndex?: GatewayTunnels,
): BgpFacts {
  const bgp = tunnel.bgp;
  const cgw = topo?.customerGateways.find((g) => g.id === tunnel.customerGatewayId) ?? null;
  // The tunnel's PeerAsn is the customer gateway's ASN as Alibaba holds it: it proves presence too.
  const cgwAsn = cgw?.asn ?? bgp?.peerAsn ?? null;
  const asnKnown = cgw !== null || cgwAsn !== null;
  const tunnelCidr = bgp?.tunnelCidr ?? '';
  const cidrIssues = bgp ? tunnelCidrProblems(tunnelCidr) : [];
  const ipIssues = bgp ? localBgpIpProblems(bgp.localBgpIp, tunnelCidr) : [];
  const dups = bgp ? duplicates(conn, tunnel, sameGatewayConnections, gatewayIndex) : [];
  const cgwAsnMissing = asnKnown && (cgwAsn === null || !asnInRange(cgwAsn));
  const asnIssues = [
    ...asnProblem('local ASN', bgp?.localAsn ?? null),
    ...asnProblem(`ASN of customer gateway ${tunnel.customerGatewayId}`, cgwAsn),
  ];
  const owner = (t: Tunnel): string =>
    (conn.tunnels.some((x) => x.id === t.id)
      ? conn
      : gatewayIndex
        ? gatewayIndex.firstOwner.get(t.id)
        : sameGatewayConnections.find((c) => c.tunnels.some((x) => x.id === t.id))
    )?.id ?? '?';
  return {
    enabled: conn.enableTunnelsBgp,
    configured: bgp !== null,
    up: bgp?.up === true,
    rawStatus: bgp?.rawStatus ?? '',
    tunnelUp: tunnel.ipsecSaUp,
    localAsn: bgp?.localAsn ?? null,
    peerAsn: bgp?.peerAsn ?? null,
    localBgpIp: bgp?.localBgpIp ?? '',
    peerBgpIp: bgp?.peerBgpIp ?? '',
    tunnelCidr,
    customerGatewayId: tunnel.customerGatewayId,
    customerGatewayAsnKnown: asnKnown,
    customerGatewayAsn: cgwAsn,
    customerGatewayAsnMissing: cgwAsnMissing,
    asnProblems: bgpList(asnIssues),
    tunnelCidrValid: cidrIssues.length === 0,
    tunnelCidrProblems: bgpList(cidrIssues),
    localIpValid: ipIssues.length === 0,
    localIpProblems: bgpList(ipIssues),
    suggestedLocalBgpIp: suggestedLocalBgpIp(tunnelCidr),
    configProblems: bgpList([
      ...(cgwAsnMissing && cgwAsn === null
        ? [`customer gateway ${tunnel.customerGatewayId} has no ASN`]
        : []),
      ...asnIssues,
      ...cidrIssues,
      ...ipIssues,
      ...(dups.length > 0
        ? [`tunnel CIDR ${tunnelCidr} is also used by ${dups.map((t) => t.id).join(', ')}`]
        : []),
    ]),
    duplicateTunnelCidrWith: bgpList(dups.map((t) => `${t.id} of ${owner(t)} (${t.bgp?.tunnelCidr})`)),
    duplicateTunnelIds: dups.map((t) => t.id),
  };
}

/** Network address + 1: the conventional Alibaba-side BGP IP of a /30, for remediation text. */
export function suggestedLocalBgpIp(tunnelCidr: string): string | null {
  const c = cachedCidr(tunnelCidr);
  return c && c.prefix === 30 ? formatIp(c.start + 1) : null;
}

const f = factDoc('bgp');

/** Every BGP fact a rule may name. */
export const BGP_FACTS: FactDoc[] = [
  f('enabled', 'bool', 'BGP is enabled on the connection (EnableTunnelsBgp)'),
  f('configured', 'bool', 'The tunnel carries a BGP configuration (TunnelBgpConfig)'),
  f('up', 'bool', "The tunnel's BGP session is up (BgpStatus success)"),
  f('rawStatus', 'string', "Alibaba's BgpStatus as returned (empty when not configured)"),
  f('tunnelUp', 'bool', 'The tunnel is established (phase 2), so BGP could run over it'),
  f('localAsn', 'int|null', 'Alibaba-side ASN'),
  f('peerAsn', 'int|null', 'Peer ASN as Alibaba holds it'),
  f('localBgpIp', 'string', 'Alibaba-side BGP IP'),
  f('peerBgpIp', 'string', 'Peer BGP IP'),
  f('tunnelCidr', 'string', 'BGP tunnel CIDR (a /30 in 169.254.0.0/16)'),
  f('customerGatewayId', 'string', "The tunnel's customer gateway (cgw-…)"),
  f(
    'customerGatewayAsnKnown',
    'bool',
    "The customer gateway's ASN could be checked (topology collected or peer ASN reported)",
  ),
  f('customerGatewayAsn', 'int|null', "The customer gateway's ASN (null when none)"),
  f(
    'customerGatewayAsnMissing',
    'bool',
    'Checked, and the customer gateway has no ASN or one outside 1–4294967295',
  ),
  f('asnProblems', 'list<string>', 'Local or customer gateway ASNs outside 1–4294967295'),
  f('tunnelCidrValid', 'bool', 'The tunnel CIDR is a /30 in 169.254.0.0/16 outside the reserved blocks'),
  f('tunnelCidrProblems', 'list<string>', 'What is wrong with the tunnel CIDR'),
  f('localIpValid', 'bool', 'The local BGP IP is a host address inside the tunnel CIDR'),
  f('localIpProblems', 'list<string>', 'What is wrong with the local BGP IP'),
  f('suggestedLocalBgpIp', 'string|null', 'First host of a /30 tunnel CIDR, the usual Alibaba-side BGP IP'),
  f(
    'configProblems',
    'list<string>',
    'All BGP configuration problems of the tunnel (ASN, tunnel CIDR, local IP, duplicate); empty when none',
  ),
  f(
    'duplicateTunnelCidrWith',
    'list<string>',
    'Other tunnels on the same VPN gateway with an overlapping tunnel CIDR: "tun-… of vco-… (cidr)"',
  ),
  f('duplicateTunnelIds', 'list<string>', 'Ids of those tunnels'),
];
