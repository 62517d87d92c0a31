// Rule-level tests: the BGP rules fire through the real engine and stay silent on near misses.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import type { Connection, Snapshot, Topology, TunnelBgp } from '../../src/model/snapshot.js';
import { connection, customerGateway, IDS, snapshotWith, topology, tunnel } from '../fixtures/snapshot.js';

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

/** A healthy BGP connection; `t1` changes tunnel 1's BGP settings, `t1Status` its negotiation status. */
function bgpConnection(
  t1: Partial<TunnelBgp> = {},
  t1Status = 'ipsec_sa_established',
  o: Partial<Connection> = {},
) {
  return connection({
    enableTunnelsBgp: true,
    tunnels: [
      tunnel({ index: 1, status: t1Status, bgp: bgpConfig(t1) }),
      tunnel({
        index: 2,
        bgp: bgpConfig({
          localBgpIp: '169.254.11.1',
          peerBgpIp: '169.254.11.2',
          tunnelCidr: '169.254.11.0/30',
        }),
      }),
    ],
    ...o,
  });
}

const run = (connections: Connection[], topo: Topology | null = topology()): Snapshot =>
  snapshotWith({ connections, topology: topo });

const fired = (s: Snapshot, rule: string) => diagnose(s).findings.filter((f) => f.rule === rule);

describe('healthy BGP', () => {
  it('a healthy BGP connection has no BGP finding and an ok BGP layer', () => {
    const d = diagnose(run([bgpConnection()]));
    expect(d.findings.filter((f) => f.layer === 'bgp')).toEqual([]);
    expect(d.ladders[0]?.layers.find((l) => l.layer === 'bgp')?.state).toBe('ok');
  });
});

describe('bgp-session-down', () => {
  it('fires on an established tunnel whose BGP is down, critical, with the values', () => {
    const s = run([bgpConnection({ up: false, rawStatus: 'false' })]);
    const [f, ...rest] = fired(s, 'bgp-session-down');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', layer: 'bgp', tunnelId: IDS.tunnel1 });
    expect(f?.text.en.summary).toContain('BgpStatus false');
    expect(f?.text.en.remediation[0]).toContain('BGP neighbour 169.254.10.1 with remote AS 45104');
    expect(f?.text.en.evidence).toContain('Peer: BGP IP 169.254.10.2, AS 65001');
    expect(f?.text.en.evidence).toContain(
      `Alibaba-side BGP configuration of ${IDS.tunnel1}: no problem found (ASN, tunnel CIDR, local BGP IP, uniqueness)`,
    );
    expect(f?.text.ja.title).toBe('確立済みトンネルで BGP セッションがダウンしています');
    const ladder = diagnose(s).ladders.find((l) => l.tunnelId === IDS.tunnel1);
    expect(ladder?.firstFailingLayer).toBe('bgp');
  });
  it('silent when a configuration rule names the more specific cause', () => {
    const s = run([bgpConnection({ up: false, rawStatus: 'false', localBgpIp: '169.254.20.1' })]);
    expect(fired(s, 'bgp-session-down')).toEqual([]);
    expect(fired(s, 'bgp-local-ip-outside-cidr').map((f) => f.tunnelId)).toEqual([IDS.tunnel1]);
  });
  it('silent when the tunnel itself is down (a lower layer is the problem)', () => {
    const s = run([bgpConnection({ up: false, rawStatus: 'false' }, 'ike_sa_not_established')]);
    expect(fired(s, 'bgp-session-down')).toEqual([]);
  });
  it('silent when BGP is not enabled on the connection', () => {
    const c = bgpConnection({ up: false, rawStatus: 'false' }, 'ipsec_sa_established', {
      enableTunnelsBgp: false,
    });
    expect(fired(run([c]), 'bgp-session-down')).toEqual([]);
  });
});

describe('bgp-customer-gateway-asn-missing', () => {
  const noAsn = () => topology({ customerGateways: [customerGateway({ asn: null })] });
  it('fires on every tunnel whose customer gateway has no ASN', () => {
    const c = bgpConnection({ peerAsn: null });
    c.tunnels[1]!.bgp!.peerAsn = null;
    const found = fired(run([c], noAsn()), 'bgp-customer-gateway-asn-missing');
    expect(found.map((f) => f.tunnelId)).toEqual([IDS.tunnel1, IDS.tunnel2]);
    expect(found[0]?.severity).toBe('critical');
    expect(found[0]?.text.en.remediation[0]).toContain('create a new customer gateway with IP 203.0.113.10');
    expect(found[0]?.text.en.remediation[0]).toContain('cannot be added later');
    expect(found[0]?.text.ja.remediation[0]).toContain('新規作成');
    expect(found[0]?.text.en.evidence[0]).toBe(
      `Customer gateway ${IDS.customerGateway} of ${IDS.tunnel1}: ASN not set`,
    );
  });
  it('silent without topology when the tunnel reports no peer ASN either (unknown, not missing)', () => {
    const c = bgpConnection({ peerAsn: null });
    expect(fired(run([c], null), 'bgp-customer-gateway-asn-missing')).toEqual([]);
  });
  it('silent when BGP is off, or when the customer gateway has an ASN', () => {
    const off = connection();
    expect(fired(run([off], noAsn()), 'bgp-customer-gateway-asn-missing')).toEqual([]);
    expect(fired(run([bgpConnection()]), 'bgp-customer-gateway-asn-missing')).toEqual([]);
  });
});

describe('bgp-tunnel-cidr-invalid', () => {
  it('a /29 fires, naming the problem', () => {
    const [f] = fired(run([bgpConnection({ tunnelCidr: '169.254.10.0/29' })]), 'bgp-tunnel-cidr-invalid');
    expect(f?.tunnelId).toBe(IDS.tunnel1);
    expect(f?.text.en.summary).toContain('169.254.10.0/29 is a /29; the tunnel CIDR must be a /30');
  });
  it('a reserved block fires', () => {
    const s = run([bgpConnection({ tunnelCidr: '169.254.169.252/30', localBgpIp: '169.254.169.253' })]);
    expect(fired(s, 'bgp-tunnel-cidr-invalid')).toHaveLength(1);
  });
  it('near miss: 169.254.10.0/30 with 169.254.10.1 is valid', () => {
    expect(fired(run([bgpConnection()]), 'bgp-tunnel-cidr-invalid')).toEqual([]);
  });
});

describe('bgp-local-ip-outside-cidr', () => {
  it('the network address fires, with the suggested address', () => {
    const [f] = fired(run([bgpConnection({ localBgpIp: '169.254.10.0' })]), 'bgp-local-ip-outside-cidr');
    expect(f?.text.en.evidence).toContain(
      'local BGP IP 169.254.10.0 is the network address of 169.254.10.0/30',
    );
    expect(f?.text.en.remediation[1]).toContain('local BGP IP 169.254.10.1 on Alibaba Cloud');
  });
  it('an address outside the CIDR fires', () => {
    expect(
      fired(run([bgpConnection({ localBgpIp: '169.254.20.1' })]), 'bgp-local-ip-outside-cidr'),
    ).toHaveLength(1);
  });
  it('near miss: a host address inside the /30 is silent', () => {
    expect(fired(run([bgpConnection({ localBgpIp: '169.254.10.2' })]), 'bgp-local-ip-outside-cidr')).toEqual(
      [],
    );
  });
});

describe('bgp-tunnel-cidr-duplicate', () => {
  function other(gatewayId: string): Connection {
    const c = bgpConnection({}, 'ipsec_sa_established', { id: 'vco-other', vpnGatewayId: gatewayId });
    c.tunnels = c.tunnels.map((t, i) => ({ ...t, id: `tun-other-${i + 1}` }));
    return c;
  }
  it('fires on both tunnels sharing a CIDR on one gateway', () => {
    const found = fired(run([bgpConnection(), other(IDS.gateway)]), 'bgp-tunnel-cidr-duplicate');
    expect(found.map((f) => f.tunnelId).sort()).toEqual(
      [IDS.tunnel1, IDS.tunnel2, 'tun-other-1', 'tun-other-2'].sort(),
    );
    const mine = found.find((f) => f.tunnelId === IDS.tunnel1);
    expect(mine?.text.en.evidence).toContain(
      `Also used on ${IDS.gateway} by: tun-other-1 of vco-other (169.254.10.0/30)`,
    );
  });
  it('near miss: the same CIDR on another gateway is fine', () => {
    expect(fired(run([bgpConnection(), other('vpn-elsewhere')]), 'bgp-tunnel-cidr-duplicate')).toEqual([]);
  });
});
