import { createHash } from 'node:crypto';
import * as $Vpc from '@alicloud/vpc20160428';
import { describe, expect, it } from 'vitest';
import { normaliseConnection } from '../../src/collect/normalise/connection.js';
import { fromWire } from './wire.js';

const PSK_1 = 'Sup3r-Secret-psk-one';
const PSK_2 = 'another-secret-psk-two';
const fp = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

const tunnelWire = (role: 'master' | 'slave', over: Record<string, unknown> = {}) => ({
  TunnelId: role === 'master' ? 'tun-aaa1' : 'tun-bbb2',
  Role: role,
  State: 'active',
  Status: role === 'master' ? 'ipsec_sa_established' : 'ike_sa_established',
  ZoneNo: role === 'master' ? 'cn-hangzhou-h' : 'cn-hangzhou-i',
  InternetIp: role === 'master' ? '47.96.10.1' : '47.96.10.2',
  CustomerGatewayId: 'cgw-1',
  EnableDpd: role === 'master' ? 'true' : 'false',
  EnableNatTraversal: true, // the SDK coerces a JSON boolean to the model's string type
  TunnelIkeConfig: {
    IkeVersion: 'ikev2',
    IkeMode: 'main',
    IkeEncAlg: 'aes256',
    IkeAuthAlg: 'sha256',
    IkePfs: 'group14',
    IkeLifetime: '86400',
    LocalId: '47.96.10.1',
    RemoteId: '203.0.113.10',
    Psk: role === 'master' ? PSK_1 : PSK_2,
  },
  TunnelIpsecConfig: {
    IpsecEncAlg: 'aes256',
    IpsecAuthAlg: 'sha256',
    IpsecPfs: 'group14',
    IpsecLifetime: 3600,
  },
  TunnelBgpConfig: {
    BgpStatus: role === 'master' ? 'success' : 'false',
    LocalAsn: 65530,
    LocalBgpIp: '169.254.10.1',
    PeerAsn: '65001',
    PeerBgpIp: '169.254.10.2',
    TunnelCidr: '169.254.10.0/30',
  },
  ...over,
});

function listBody(connections: Record<string, unknown>[]) {
  return fromWire(
    {
      TotalCount: String(connections.length),
      PageNumber: 1,
      PageSize: 50,
      VpnConnections: { VpnConnection: connections },
    },
    new $Vpc.DescribeVpnConnectionsResponseBody({}),
  );
}

const dualWire = {
  VpnConnectionId: 'vco-dual',
  Name: 'hq',
  VpnGatewayId: 'vpn-1',
  State: 'active',
  Status: 'ipsec_sa_established',
  AttachType: 'VPNGW',
  NetworkType: 'public',
  EffectImmediately: true,
  EnableTunnelsBgp: true,
  LocalSubnet: '10.0.0.0/16, 10.1.0.0/16 ,',
  RemoteSubnet: '192.168.0.0/16',
  CreateTime: 1_700_000_000_000,
  Tag: { Tag: [{ Key: 'env', Value: 'prod' }] },
  // Slave listed first: the index must still follow the role.
  TunnelOptionsSpecification: { TunnelOptions: [tunnelWire('slave'), tunnelWire('master')] },
};

const singleWire = {
  VpnConnectionId: 'vco-single',
  Name: 'branch',
  VpnGatewayId: 'vpn-1',
  State: 'active',
  Status: 'ike_sa_not_established',
  CustomerGatewayId: 'cgw-2',
  InternetIp: '47.96.10.1',
  EnableDpd: true,
  EnableNatTraversal: false,
  EffectImmediately: false,
  LocalSubnet: '0.0.0.0/0',
  RemoteSubnet: '0.0.0.0/0',
  IkeConfig: {
    IkeVersion: 'ikev1',
    IkeMode: 'aggressive',
    IkeEncAlg: 'aes',
    IkeAuthAlg: 'sha1',
    IkePfs: 'group2',
    IkeLifetime: 28800,
    LocalId: 'gw.example',
    RemoteId: 'branch.example',
    Psk: PSK_1,
  },
  IpsecConfig: { IpsecEncAlg: 'aes', IpsecAuthAlg: 'sha1', IpsecPfs: 'disabled', IpsecLifetime: 3600 },
};

describe('normaliseConnection', () => {
  const body = listBody([dualWire, singleWire]);
  const [dual, single] = (body.vpnConnections?.vpnConnection ?? []).map((c) =>
    normaliseConnection('prod', 'cn-hangzhou', c),
  );

  it('orders dual tunnels by Role: master is tunnel 1, slave tunnel 2', () => {
    expect(dual?.dualTunnel).toBe(true);
    expect(dual?.tunnels.map((t) => [t.index, t.role, t.id])).toEqual([
      [1, 'master', 'tun-aaa1'],
      [2, 'slave', 'tun-bbb2'],
    ]);
  });

  it('coerces string booleans, string lifetimes and ASNs, and derives the phases', () => {
    const [t1, t2] = dual?.tunnels ?? [];
    expect(t1?.enableDpd).toBe(true);
    expect(t2?.enableDpd).toBe(false);
    expect(t1?.enableNatTraversal).toBe(true);
    expect(t1?.ike.lifetimeSeconds).toBe(86400);
    expect(t1?.ipsec.lifetimeSeconds).toBe(3600);
    expect(t1?.ike).toMatchObject({
      version: 'ikev2',
      mode: 'main',
      encAlg: 'aes256',
      authAlg: 'sha256',
      dhGroup: 'group14',
    });
    expect(t1).toMatchObject({
      status: 'ipsec_sa_established',
      ikeSaUp: true,
      ipsecSaUp: true,
      zone: 'cn-hangzhou-h',
      ip: '47.96.10.1',
    });
    expect(t2).toMatchObject({ status: 'ike_sa_established', ikeSaUp: true, ipsecSaUp: false });
    expect(t1?.bgp).toEqual({
      up: true,
      rawStatus: 'success',
      localAsn: 65530,
      localBgpIp: '169.254.10.1',
      peerAsn: 65001,
      peerBgpIp: '169.254.10.2',
      tunnelCidr: '169.254.10.0/30',
    });
    expect(t2?.bgp?.up).toBe(false);
    expect(t2?.bgp?.rawStatus).toBe('false');
    expect(t1?.customerGatewayIp).toBeNull();
  });

  it('splits and trims CIDR lists and reads tags and connection fields', () => {
    expect(dual).toMatchObject({
      account: 'prod',
      region: 'cn-hangzhou',
      id: 'vco-dual',
      vpnGatewayId: 'vpn-1',
      localSubnets: ['10.0.0.0/16', '10.1.0.0/16'],
      remoteSubnets: ['192.168.0.0/16'],
      tags: { env: 'prod' },
      effectImmediately: true,
      enableTunnelsBgp: true,
      createTime: 1_700_000_000_000,
    });
  });

  it('keeps only a PSK fingerprint: the PSK never reaches the output', () => {
    expect(dual?.tunnels[0]?.ike.pskFingerprint).toBe(fp(PSK_1));
    expect(dual?.tunnels[1]?.ike.pskFingerprint).toBe(fp(PSK_2));
    const json = JSON.stringify([dual, single]);
    expect(json).not.toContain(PSK_1);
    expect(json).not.toContain(PSK_2);
    expect(json.toLowerCase()).not.toContain('"psk"');
  });

  it('builds one tunnel from the top-level config of a single-tunnel connection', () => {
    expect(single?.dualTunnel).toBe(false);
    expect(single?.tunnels).toHaveLength(1);
    expect(single?.tunnels[0]).toMatchObject({
      id: 'vco-single',
      index: 1,
      role: 'master',
      status: 'ike_sa_not_established',
      ikeSaUp: false,
      ipsecSaUp: false,
      customerGatewayId: 'cgw-2',
      ip: '47.96.10.1',
      enableDpd: true,
      enableNatTraversal: false,
      bgp: null,
      ike: {
        version: 'ikev1',
        mode: 'aggressive',
        lifetimeSeconds: 28800,
        localId: 'gw.example',
        pskFingerprint: fp(PSK_1),
      },
      ipsec: { pfs: 'disabled', lifetimeSeconds: 3600 },
    });
    expect(single?.localSubnets).toEqual(['0.0.0.0/0']);
    expect(single?.effectImmediately).toBe(false);
  });

  it('leaves BGP null on tunnels when tunnel BGP is disabled, and lifetimes null when absent', () => {
    const c = listBody([
      {
        ...dualWire,
        EnableTunnelsBgp: false,
        TunnelOptionsSpecification: {
          TunnelOptions: [
            tunnelWire('master', { TunnelIkeConfig: { IkeVersion: 'ikev1' } }),
            tunnelWire('slave'),
          ],
        },
      },
    ]).vpnConnections?.vpnConnection?.[0];
    const n = normaliseConnection(
      'a',
      'r',
      c ?? new $Vpc.DescribeVpnConnectionsResponseBodyVpnConnectionsVpnConnection({}),
    );
    expect(n.tunnels.map((t) => t.bgp)).toEqual([null, null]);
    expect(n.tunnels[0]?.ike.lifetimeSeconds).toBeNull();
    expect(n.tunnels[0]?.ike.pskFingerprint).toBeNull();
  });
});
