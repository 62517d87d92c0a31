// Plain facts about a tunnel, its connection, its gateway and its peer, in the names rules use.
import { activeTunnel } from '../../model/derive.js';
import { isFlapping } from '../../model/flapping.js';
import type { Connection, Topology, Tunnel } from '../../model/snapshot.js';
import { weakCrypto } from './weak-crypto.js';

const isDefault = (cidr: string) => cidr.trim() === '0.0.0.0/0';

export function tunnelFacts(t: Tunnel) {
  return {
    id: t.id,
    index: t.index,
    role: t.role,
    primary: t.role === 'master',
    state: t.state,
    status: t.status,
    up: t.ipsecSaUp,
    down: !t.ipsecSaUp,
    ikeSaUp: t.ikeSaUp,
    ipsecSaUp: t.ipsecSaUp,
    updating: t.state.toLowerCase() === 'updating',
    zone: t.zone,
    ip: t.ip,
    customerGatewayId: t.customerGatewayId,
    customerGatewayIp: t.customerGatewayIp ?? '',
    enableDpd: t.enableDpd,
    enableNatTraversal: t.enableNatTraversal,
    // Object.assign, not spreads: see mergeFacts (localized.ts). Every tunnel gets these facts.
    ike: Object.assign({}, t.ike, {
      lifetimeSeconds: t.ike.lifetimeSeconds ?? null,
      pskFingerprint: t.ike.pskFingerprint ?? '',
    }),
    ipsec: Object.assign({}, t.ipsec, { lifetimeSeconds: t.ipsec.lifetimeSeconds ?? null }),
    weakCrypto: weakCrypto(t),
  };
}
export type TunnelFacts = ReturnType<typeof tunnelFacts>;

export function connectionFacts(c: Connection, listComplete: boolean) {
  const active = activeTunnel(c);
  const master = c.tunnels.find((t) => t.role === 'master');
  const slave = c.tunnels.find((t) => t.role === 'slave');
  const upCount = c.tunnels.filter((t) => t.ipsecSaUp).length;
  const destinationBased = c.localSubnets.every(isDefault) && c.remoteSubnets.every(isDefault);
  const zones = [...new Set(c.tunnels.map((t) => t.zone).filter(Boolean))];
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    status: c.status,
    listComplete,
    effectImmediately: c.effectImmediately,
    dualTunnel: c.dualTunnel,
    enableTunnelsBgp: c.enableTunnelsBgp,
    localSubnets: c.localSubnets,
    remoteSubnets: c.remoteSubnets,
    destinationBased,
    multiCidr: !destinationBased && (c.localSubnets.length > 1 || c.remoteSubnets.length > 1),
    tunnelCount: c.tunnels.length,
    configuredTunnelCount: c.tunnels.filter((t) => t.customerGatewayId).length,
    upCount,
    down: upCount === 0,
    updating:
      c.state.toLowerCase() === 'updating' || c.tunnels.some((t) => t.state.toLowerCase() === 'updating'),
    masterUp: master?.ipsecSaUp ?? false,
    slaveUp: slave?.ipsecSaUp ?? false,
    masterStatus: master?.status ?? '',
    slaveStatus: slave?.status ?? '',
    masterId: master?.id ?? '',
    slaveId: slave?.id ?? '',
    activeTunnelId: active?.id ?? '',
    onStandby: active?.role === 'slave',
    zones,
    sameZone: c.tunnels.length > 1 && zones.length === 1,
  };
}

export function gatewayFacts(c: Connection, topo: Topology | null) {
  const g = topo?.gateways.find((x) => x.id === c.vpnGatewayId);
  if (!g)
    return {
      known: false,
      id: c.vpnGatewayId,
      name: '',
      status: '',
      businessStatus: '',
      financialLocked: false,
      active: false,
      notActive: false,
      internetIp: '',
      disasterRecoveryInternetIp: '',
    };
  const financialLocked = g.businessStatus.toLowerCase() === 'financiallocked';
  const active = g.status.toLowerCase() === 'active' && !financialLocked;
  return {
    known: true,
    id: g.id,
    name: g.name,
    status: g.status,
    businessStatus: g.businessStatus,
    financialLocked,
    active,
    notActive: !active,
    internetIp: g.internetIp,
    disasterRecoveryInternetIp: g.disasterRecoveryInternetIp,
  };
}

export function peerFacts(t: Tunnel, topo: Topology | null) {
  const cgw = topo?.customerGateways.find((x) => x.id === t.customerGatewayId);
  return {
    known: Boolean(cgw),
    customerGatewayId: t.customerGatewayId,
    name: cgw?.name ?? '',
    ip: cgw?.ip ?? t.customerGatewayIp ?? '',
    asn: cgw?.asn ?? null,
  };
}

export function historyFacts(
  tunnelIds: string[],
  stateChanges: Record<string, number> | undefined,
  windowSeconds: number,
) {
  const known = tunnelIds.some((id) => stateChanges?.[id] !== undefined);
  const counts = tunnelIds.map((id) => stateChanges?.[id] ?? 0);
  const most = counts.reduce((a, b) => Math.max(a, b), 0);
  return { known, stateChanges: most, windowSeconds, flapping: known && isFlapping(most) };
}
