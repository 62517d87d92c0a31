import { describe, expect, it } from 'vitest';
import { BGP_FACTS, bgpFacts, localBgpIpProblems, tunnelCidrProblems } from '../../src/diagnose/facts/bgp.js';
import type { Connection, Tunnel, TunnelBgp } from '../../src/model/snapshot.js';
import { connection, customerGateway, IDS, topology, tunnel } from '../fixtures/snapshot.js';

const bgpConfig = (o: Partial<TunnelBgp> = {}): TunnelBgp => ({
  up: true,
  rawStatus: 'success',
  localAsn: 45104,
  localBgpIp: '169.254.10.1',
  peerAsn: 65001,
  peerBgpIp: '169.254.10.2',
  tunnelCidr: '169.254.10.0/30',
  ...o,
});

function bgpConnection(
  t1: Partial<TunnelBgp> = {},
  t2: Partial<TunnelBgp> = {},
  o: Partial<Connection> = {},
) {
  return connection({
    enableTunnelsBgp: true,
    tunnels: [
      tunnel({ index: 1, bgp: bgpConfig(t1) }),
      tunnel({
        index: 2,
        bgp: bgpConfig({
          localBgpIp: '169.254.11.1',
          peerBgpIp: '169.254.11.2',
          tunnelCidr: '169.254.11.0/30',
          ...t2,
        }),
      }),
    ],
    ...o,
  });
}

const first = (c: Connection): Tunnel => c.tunnels[0]!;

describe('tunnelCidrProblems', () => {
  it('169.254.10.0/30 is valid', () => {
    expect(tunnelCidrProblems('169.254.10.0/30')).toEqual([]);
  });
  it('a /29 is invalid', () => {
    expect(tunnelCidrProblems('169.254.10.0/29')).toEqual([
      '169.254.10.0/29 is a /29; the tunnel CIDR must be a /30',
    ]);
  });
  it('outside 169.254.0.0/16 is invalid', () => {
    expect(tunnelCidrProblems('10.0.0.0/30')).toEqual(['10.0.0.0/30 is not inside 169.254.0.0/16']);
  });
  it('the reserved blocks of the product page are invalid', () => {
    for (const r of ['169.254.0.0/30', '169.254.3.0/30', '169.254.5.0/30', '169.254.169.252/30']) {
      expect(tunnelCidrProblems(r)).toEqual([`${r} overlaps the reserved block ${r}`]);
    }
    expect(tunnelCidrProblems('169.254.6.0/30')).toEqual([]);
    expect(tunnelCidrProblems('169.254.5.4/30')).toEqual([]);
  });
  it('host bits, garbage and empty are invalid with a clear message', () => {
    expect(tunnelCidrProblems('169.254.10.1/30')).toEqual([
      '"169.254.10.1/30" has host bits set: the block is 169.254.10.0/30 (tunnel CIDR)',
    ]);
    expect(tunnelCidrProblems('169.254.10/30')[0]).toMatch(/not an IPv4 CIDR block/);
    expect(tunnelCidrProblems('')).toEqual(['no tunnel CIDR is configured']);
  });
});

describe('localBgpIpProblems', () => {
  it('169.254.10.1 inside 169.254.10.0/30 is valid (the product page example)', () => {
    expect(localBgpIpProblems('169.254.10.1', '169.254.10.0/30')).toEqual([]);
    expect(localBgpIpProblems('169.254.10.2', '169.254.10.0/30')).toEqual([]);
  });
  it('the network and broadcast addresses are invalid', () => {
    expect(localBgpIpProblems('169.254.10.0', '169.254.10.0/30')).toEqual([
      'local BGP IP 169.254.10.0 is the network address of 169.254.10.0/30',
    ]);
    expect(localBgpIpProblems('169.254.10.3', '169.254.10.0/30')).toEqual([
      'local BGP IP 169.254.10.3 is the broadcast address of 169.254.10.0/30',
    ]);
  });
  it('an address outside the tunnel CIDR is invalid', () => {
    expect(localBgpIpProblems('169.254.20.1', '169.254.10.0/30')).toEqual([
      'local BGP IP 169.254.20.1 is outside the tunnel CIDR 169.254.10.0/30',
    ]);
  });
  it('malformed or empty IPs are invalid', () => {
    expect(localBgpIpProblems('169.254.10', '169.254.10.0/30')[0]).toMatch(/not an IPv4 address/);
    expect(localBgpIpProblems('', '169.254.10.0/30')).toEqual(['no local BGP IP is configured']);
  });
});

describe('bgpFacts', () => {
  it('a healthy BGP tunnel has no problems', () => {
    const c = bgpConnection();
    const f = bgpFacts(c, first(c), topology(), [c]);
    expect(f).toMatchObject({
      enabled: true,
      configured: true,
      up: true,
      tunnelUp: true,
      customerGatewayAsnKnown: true,
      customerGatewayAsn: 65001,
      customerGatewayAsnMissing: false,
      asnProblems: [],
      tunnelCidrValid: true,
      localIpValid: true,
      suggestedLocalBgpIp: '169.254.10.1',
      configProblems: [],
      duplicateTunnelCidrWith: [],
    });
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });

  it('BGP disabled: not enabled, not configured, nothing to validate', () => {
    const c = connection();
    const f = bgpFacts(c, first(c), topology(), [c]);
    expect(f).toMatchObject({
      enabled: false,
      configured: false,
      up: false,
      tunnelCidrProblems: [],
      localIpProblems: [],
    });
  });

  it('session down is reported with the raw status', () => {
    const c = bgpConnection({ up: false, rawStatus: 'false' });
    expect(bgpFacts(c, first(c), topology(), [c])).toMatchObject({
      up: false,
      rawStatus: 'false',
      tunnelUp: true,
    });
  });

  it('a customer gateway without an ASN is missing it; unknown without topology', () => {
    const c = bgpConnection({ peerAsn: null });
    const noAsn = topology({ customerGateways: [customerGateway({ asn: null })] });
    expect(bgpFacts(c, first(c), noAsn, [c])).toMatchObject({
      customerGatewayAsnKnown: true,
      customerGatewayAsn: null,
      customerGatewayAsnMissing: true,
      configProblems: [`customer gateway ${IDS.customerGateway} has no ASN`],
    });
    expect(bgpFacts(c, first(c), null, [c])).toMatchObject({
      customerGatewayAsnKnown: false,
      customerGatewayAsnMissing: false,
    });
  });

  it('without topology, the peer ASN the tunnel reports proves the ASN is present', () => {
    const c = bgpConnection();
    expect(bgpFacts(c, first(c), null, [c])).toMatchObject({
      customerGatewayAsnKnown: true,
      customerGatewayAsn: 65001,
      customerGatewayAsnMissing: false,
    });
  });

  it('ASNs outside 1–4294967295 are problems; the bounds themselves are fine', () => {
    const c = bgpConnection({ localAsn: 0 });
    const topo = topology({ customerGateways: [customerGateway({ asn: 4294967296 })] });
    const f = bgpFacts(c, first(c), topo, [c]);
    expect(f.asnProblems).toEqual([
      'local ASN 0 is outside 1–4294967295',
      `ASN of customer gateway ${IDS.customerGateway} 4294967296 is outside 1–4294967295`,
    ]);
    expect(f.customerGatewayAsnMissing).toBe(true);
    const ok = bgpConnection({ localAsn: 1 });
    const max = topology({ customerGateways: [customerGateway({ asn: 4294967295 })] });
    expect(bgpFacts(ok, first(ok), max, [ok]).asnProblems).toEqual([]);
  });

  it('an invalid tunnel CIDR and a local IP outside it are reported', () => {
    const c = bgpConnection({ tunnelCidr: '169.254.10.0/29', localBgpIp: '169.254.10.0' });
    const f = bgpFacts(c, first(c), topology(), [c]);
    expect(f.tunnelCidrValid).toBe(false);
    expect(f.tunnelCidrProblems).toEqual(['169.254.10.0/29 is a /29; the tunnel CIDR must be a /30']);
    expect(f.localIpValid).toBe(false);
    expect(f.localIpProblems).toEqual([
      'local BGP IP 169.254.10.0 is the network address of 169.254.10.0/29',
    ]);
    expect(f.suggestedLocalBgpIp).toBeNull();
    expect(f.configProblems).toEqual([...f.tunnelCidrProblems, ...f.localIpProblems]);
  });

  it('a tunnel CIDR used twice on the same gateway is a duplicate, across connections', () => {
    const c = bgpConnection();
    const other = bgpConnection({}, {}, { id: 'vco-other' });
    other.tunnels = other.tunnels.map((t, i) => ({ ...t, id: `tun-other-${i + 1}` }));
    const f = bgpFacts(c, first(c), topology(), [c, other]);
    expect(f.duplicateTunnelIds).toEqual(['tun-other-1']);
    expect(f.duplicateTunnelCidrWith).toEqual(['tun-other-1 of vco-other (169.254.10.0/30)']);
    expect(f.configProblems).toEqual(['tunnel CIDR 169.254.10.0/30 is also used by tun-other-1']);
  });

  it('the same CIDR on the two tunnels of one connection is a duplicate', () => {
    const c = bgpConnection({}, { tunnelCidr: '169.254.10.0/30', localBgpIp: '169.254.10.1' });
    expect(bgpFacts(c, first(c), topology(), [c]).duplicateTunnelIds).toEqual([IDS.tunnel2]);
  });

  it('near miss: another gateway may reuse the CIDR; distinct /30s are fine', () => {
    const c = bgpConnection();
    const elsewhere = bgpConnection({}, {}, { id: 'vco-far', vpnGatewayId: 'vpn-other' });
    elsewhere.tunnels = elsewhere.tunnels.map((t, i) => ({ ...t, id: `tun-far-${i + 1}` }));
    expect(bgpFacts(c, first(c), topology(), [c, elsewhere]).duplicateTunnelIds).toEqual([]);
  });
});

describe('BGP_FACTS', () => {
  it('documents every field of BgpFacts', () => {
    const c = bgpConnection();
    const names = BGP_FACTS.map((d) => d.name.replace(/^bgp\./, '')).sort();
    expect(names).toEqual(Object.keys(bgpFacts(c, first(c), topology(), [c])).sort());
  });
});
