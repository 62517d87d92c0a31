// DescribeVpnConnections entries → `Connection`. The PSK is fingerprinted here and dropped: it never
// travels further than this function.
import type * as $Vpc from '@alicloud/vpc20160428';
import { pskFingerprint } from '../../model/psk.js';
import type {
  Connection,
  IkeSettings,
  IpsecSettings,
  Tunnel,
  TunnelBgp,
  TunnelRole,
} from '../../model/snapshot.js';
import { isIkeSaUp, isIpsecSaUp } from '../../model/tunnel-health.js';
import { cidrList, flag, numberOrNull, tagMap, text } from '../values.js';

type SdkConnection = $Vpc.DescribeVpnConnectionsResponseBodyVpnConnectionsVpnConnection;
type SdkTunnel =
  $Vpc.DescribeVpnConnectionsResponseBodyVpnConnectionsVpnConnectionTunnelOptionsSpecificationTunnelOptions;

interface WireIke {
  ikeAuthAlg?: string;
  ikeEncAlg?: string;
  ikeLifetime?: number | string;
  ikeMode?: string;
  ikePfs?: string;
  ikeVersion?: string;
  localId?: string;
  psk?: string;
  remoteId?: string;
}

interface WireIpsec {
  ipsecAuthAlg?: string;
  ipsecEncAlg?: string;
  ipsecLifetime?: number | string;
  ipsecPfs?: string;
}

function ikeSettings(c: WireIke | undefined): IkeSettings {
  return {
    version: text(c?.ikeVersion),
    mode: text(c?.ikeMode),
    encAlg: text(c?.ikeEncAlg),
    authAlg: text(c?.ikeAuthAlg),
    dhGroup: text(c?.ikePfs),
    lifetimeSeconds: numberOrNull(c?.ikeLifetime),
    localId: text(c?.localId),
    remoteId: text(c?.remoteId),
    pskFingerprint: pskFingerprint(c?.psk),
  };
}

function ipsecSettings(c: WireIpsec | undefined): IpsecSettings {
  return {
    encAlg: text(c?.ipsecEncAlg),
    authAlg: text(c?.ipsecAuthAlg),
    pfs: text(c?.ipsecPfs),
    lifetimeSeconds: numberOrNull(c?.ipsecLifetime),
  };
}

/** Alibaba documents `success` as up and `false` (sometimes `failed`) as down: anything but success is down. */
function bgp(c: {
  bgpStatus?: string;
  status?: string;
  localAsn?: string | number;
  localBgpIp?: string;
  peerAsn?: string | number;
  peerBgpIp?: string;
  tunnelCidr?: string;
}): TunnelBgp {
  const rawStatus = text(c.bgpStatus ?? c.status);
  return {
    up: rawStatus.toLowerCase() === 'success',
    rawStatus,
    localAsn: numberOrNull(c.localAsn),
    localBgpIp: text(c.localBgpIp),
    peerAsn: numberOrNull(c.peerAsn),
    peerBgpIp: text(c.peerBgpIp),
    tunnelCidr: text(c.tunnelCidr),
  };
}

function withPhases(t: Omit<Tunnel, 'ikeSaUp' | 'ipsecSaUp'>): Tunnel {
  return { ...t, ikeSaUp: isIkeSaUp(t.status), ipsecSaUp: isIpsecSaUp(t.status) };
}

/** Role decides the index (TunnelIndex comes only with transit-router attachments). */
function roleOf(t: SdkTunnel, position: number): TunnelRole {
  const role = text(t.role).toLowerCase();
  if (role === 'master' || role === 'slave') return role;
  if (t.tunnelIndex === 1 || t.tunnelIndex === 2) return t.tunnelIndex === 1 ? 'master' : 'slave';
  return position === 0 ? 'master' : 'slave';
}

function dualTunnel(t: SdkTunnel, position: number, tunnelsBgp: boolean): Tunnel {
  const role = roleOf(t, position);
  return withPhases({
    id: text(t.tunnelId),
    index: role === 'master' ? 1 : 2,
    role,
    state: text(t.state),
    status: text(t.status),
    zone: text(t.zoneNo),
    ip: text(t.internetIp),
    customerGatewayId: text(t.customerGatewayId),
    customerGatewayIp: null,
    enableDpd: flag(t.enableDpd),
    enableNatTraversal: flag(t.enableNatTraversal),
    ike: ikeSettings(t.tunnelIkeConfig),
    ipsec: ipsecSettings(t.tunnelIpsecConfig),
    bgp: tunnelsBgp && t.tunnelBgpConfig ? bgp(t.tunnelBgpConfig) : null,
  });
}

/**
 * A single-tunnel connection has no TunnelOptions: its one tunnel is the connection itself, so it
 * takes the connection id (DiagnoseVpnConnections and the logs address it by VpnConnectionId).
 */
function singleTunnel(c: SdkConnection): Tunnel {
  const b = c.vpnBgpConfig;
  const bgpConfigured =
    !!b && (text(b.status) !== '' || text(b.localBgpIp) !== '' || text(b.tunnelCidr) !== '');
  return withPhases({
    id: text(c.vpnConnectionId),
    index: 1,
    role: 'master',
    state: text(c.state),
    status: text(c.status),
    zone: '',
    ip: text(c.internetIp),
    customerGatewayId: text(c.customerGatewayId),
    customerGatewayIp: null,
    enableDpd: flag(c.enableDpd),
    enableNatTraversal: flag(c.enableNatTraversal),
    ike: ikeSettings(c.ikeConfig),
    ipsec: ipsecSettings(c.ipsecConfig),
    bgp: bgpConfigured && b ? bgp(b) : null,
  });
}

export function normaliseConnection(account: string, region: string, c: SdkConnection): Connection {
  const options = c.tunnelOptionsSpecification?.tunnelOptions ?? [];
  const dual = options.length > 0;
  const enableTunnelsBgp = flag(c.enableTunnelsBgp);
  const tunnels = dual
    ? options.map((t, i) => dualTunnel(t, i, enableTunnelsBgp)).sort((a, b) => a.index - b.index)
    : [singleTunnel(c)];
  return {
    account,
    region,
    id: text(c.vpnConnectionId),
    name: text(c.name),
    vpnGatewayId: text(c.vpnGatewayId),
    state: text(c.state),
    status: text(c.status),
    attachType: text(c.attachType),
    networkType: text(c.networkType),
    effectImmediately: flag(c.effectImmediately),
    enableTunnelsBgp,
    localSubnets: cidrList(c.localSubnet),
    remoteSubnets: cidrList(c.remoteSubnet),
    tags: tagMap(c.tag?.tag),
    createTime: numberOrNull(c.createTime),
    tunnels,
    dualTunnel: dual,
  };
}
