// Why a tunnel negotiates or not: the FailedReasonCode catalogue (phase, reason text) and the
// derivation of a cause from the difference between the cloud side and the peer's configuration,
// checked in the order an IKE exchange would trip over them.
import { SHIPPED } from '../../diagnose/causes/registry.js';
import { cidrContainsIp, cidrWithin, isValidCidr, prefixLength } from './cidr.js';
import {
  type CustomerGateway,
  FAILED_REASON_CODES,
  type FailedReasonCode,
  type NegotiationStatus,
  type Tunnel,
  type TunnelFailure,
  type VpnConnection,
} from './types.js';

export interface CauseInfo {
  /** 1: Phase 1 never completes; 2: Phase 1 is up, Phase 2 fails. */
  phase: 1 | 2;
  /** FailedReason text as the console shows it. */
  reason: string;
}

/** Phase and FailedReason text per code, from the cause registry (src/diagnose/causes/). */
export const CAUSES = Object.fromEntries(
  FAILED_REASON_CODES.map((code) => {
    const def = SHIPPED.codeDef(code);
    if (!def) throw new Error(`cause registry lost ${code}`);
    return [code, { phase: def.phase, reason: def.reason }];
  }),
) as Record<FailedReasonCode, CauseInfo>;

/**
 * The tunnel Status a failure leaves: a Phase-1 failure `ike_sa_not_established`; a Phase-2
 * failure where the peer answers but refuses `ipsec_sa_not_established`; a Phase-2 timeout (no
 * answer at all) `ike_sa_established` (Phase 1 is up, Phase 2 still pending).
 */
export function statusFor(failure: Pick<TunnelFailure, 'code' | 'phase'> | null): NegotiationStatus {
  if (!failure) return 'ipsec_sa_established';
  if (failure.phase === 1) return 'ike_sa_not_established';
  return failure.code === 'Phase2NegotiationTimeout' ? 'ike_sa_established' : 'ipsec_sa_not_established';
}

type Derived = Omit<TunnelFailure, 'since' | 'origin'>;

function mismatch(code: FailedReasonCode, local: string, remote: string, phase?: 1 | 2): Derived {
  return { code, phase: phase ?? CAUSES[code].phase, mismatchLocal: local, mismatchRemote: remote };
}

const isIp = (id: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(id);

/** IKEv1 needs one CIDR per side and exact equality; IKEv2 accepts several and containment. */
function selectorsMatch(ours: string[], theirs: string[], version: string): boolean {
  if (!ours.every(isValidCidr) || !theirs.every(isValidCidr)) return false;
  if (version === 'ikev1') {
    return ours.length === theirs.length && ours.every((c) => theirs.includes(c));
  }
  return theirs.every((t) => ours.some((o) => cidrWithin(t, o)));
}

/** The cause a configuration difference produces, or null when both sides agree. */
export function deriveFailure(conn: VpnConnection, tunnel: Tunnel, cgw: CustomerGateway): Derived | null {
  const { ike, ipsec, peer } = tunnel;
  if (!peer.reachable || peer.udpBlocked) return mismatch('NoResponse', '', '');
  if (peer.ip !== cgw.ip) return mismatch('PeerMismatch', cgw.ip, peer.ip);
  if (peer.ike.version !== ike.version) return mismatch('IkeVersionMismatch', ike.version, peer.ike.version);
  if (ike.version === 'ikev1' && peer.ike.mode !== ike.mode) {
    return mismatch('NegotiationModeMismatch', ike.mode, peer.ike.mode);
  }
  if (peer.natTraversal !== tunnel.enableNatTraversal) {
    return mismatch('NatTMismatch', String(tunnel.enableNatTraversal), String(peer.natTraversal));
  }
  if (peer.ike.encAlg !== ike.encAlg) return mismatch('AlgorithmMismatch', ike.encAlg, peer.ike.encAlg, 1);
  if (peer.ike.authAlg !== ike.authAlg) {
    return mismatch('AuthenticationAlgorithmMismatch', ike.authAlg, peer.ike.authAlg);
  }
  if (peer.ike.dhGroup !== ike.dhGroup) return mismatch('DhGroupMismatch', ike.dhGroup, peer.ike.dhGroup);
  // The PSK itself never leaves the world: Alibaba reports no Mismatch params for it.
  if (peer.psk !== ike.psk) return mismatch('PskMismatch', '', '');
  if (peer.ike.localId !== ike.remoteId) return mismatch('PeerIdMismatch', ike.remoteId, peer.ike.localId);
  if (peer.ike.remoteId !== ike.localId) return mismatch('PeerIdMismatch', ike.localId, peer.ike.remoteId);
  if (ike.version === 'ikev1' && ike.mode === 'main' && (!isIp(ike.localId) || !isIp(ike.remoteId))) {
    return mismatch('PeerIdMismatch', ike.remoteId, peer.ike.localId);
  }
  if (peer.ike.lifetime !== ike.lifetime) {
    return mismatch('LifetimeMismatch', String(ike.lifetime), String(peer.ike.lifetime), 1);
  }
  if (peer.ipsec.protocol !== 'esp') return mismatch('SecurityProtocolMismatch', 'esp', peer.ipsec.protocol);
  if (peer.ipsec.encapsulation !== 'tunnel') {
    return mismatch('EncapsulationModeMismatch', 'tunnel', peer.ipsec.encapsulation);
  }
  if (peer.ipsec.encAlg !== ipsec.encAlg) {
    return mismatch('EncryptionAlgorithmMismatch', ipsec.encAlg, peer.ipsec.encAlg);
  }
  if (peer.ipsec.authAlg !== ipsec.authAlg)
    return mismatch('AlgorithmMismatch', ipsec.authAlg, peer.ipsec.authAlg, 2);
  if (peer.ipsec.pfs !== ipsec.pfs) return mismatch('PfsMismatch', ipsec.pfs, peer.ipsec.pfs);
  const ourLocal = conn.localSubnets;
  const ourRemote = conn.remoteSubnets;
  if (
    !selectorsMatch(ourRemote, peer.localSubnets, ike.version) ||
    !selectorsMatch(ourLocal, peer.remoteSubnets, ike.version)
  ) {
    return mismatch(
      'TrafficSelectorMismatch',
      `${ourLocal.join(',')}<->${ourRemote.join(',')}`,
      `${peer.remoteSubnets.join(',')}<->${peer.localSubnets.join(',')}`,
    );
  }
  if (peer.ipsec.lifetime !== ipsec.lifetime) {
    return mismatch('LifetimeMismatch', String(ipsec.lifetime), String(peer.ipsec.lifetime), 2);
  }
  return null;
}

/** Reserved /30 blocks a tunnel may not use (product page). */
const RESERVED_TUNNEL_CIDRS = new Set([
  '169.254.0.0/30',
  '169.254.1.0/30',
  '169.254.2.0/30',
  '169.254.3.0/30',
  '169.254.4.0/30',
  '169.254.5.0/30',
  '169.254.169.252/30',
]);

/** Why the tunnel's BGP configuration cannot bring a session up (null when it can). */
export function bgpConfigProblem(
  tunnel: Tunnel,
  cgw: CustomerGateway,
  sameGatewayCidrs: string[],
): 'asn-missing' | 'cidr-invalid' | 'local-ip-outside-cidr' | 'cidr-duplicate' | 'peer-down' | null {
  const { tunnelCidr, localBgpIp } = tunnel.bgp;
  if (cgw.asn === null) return 'asn-missing';
  if (
    !isValidCidr(tunnelCidr) ||
    prefixLength(tunnelCidr) !== 30 ||
    !cidrWithin(tunnelCidr, '169.254.0.0/16') ||
    RESERVED_TUNNEL_CIDRS.has(tunnelCidr)
  ) {
    return 'cidr-invalid';
  }
  if (!cidrContainsIp(tunnelCidr, localBgpIp)) return 'local-ip-outside-cidr';
  if (sameGatewayCidrs.filter((c) => c === tunnelCidr).length > 1) return 'cidr-duplicate';
  if (!tunnel.peer.bgp.up || tunnel.peer.bgp.asn !== cgw.asn) return 'peer-down';
  return null;
}

/** Values to show for a cause injected by code (an incident) when the configs do not differ. */
export function incidentMismatch(code: FailedReasonCode, tunnel: Tunnel): { local: string; remote: string } {
  const alt = (v: string, options: string[]) => options.find((o) => o !== v) ?? v;
  const { ike, ipsec } = tunnel;
  switch (code) {
    case 'IkeVersionMismatch':
      return { local: ike.version, remote: alt(ike.version, ['ikev1', 'ikev2']) };
    case 'NegotiationModeMismatch':
      return { local: ike.mode, remote: alt(ike.mode, ['aggressive', 'main']) };
    case 'AlgorithmMismatch':
      return { local: ike.encAlg, remote: alt(ike.encAlg, ['aes', 'aes256', '3des']) };
    case 'AuthenticationAlgorithmMismatch':
      return { local: ike.authAlg, remote: alt(ike.authAlg, ['sha1', 'sha256']) };
    case 'DhGroupMismatch':
      return { local: ike.dhGroup, remote: alt(ike.dhGroup, ['group14', 'group2']) };
    case 'EncryptionAlgorithmMismatch':
      return { local: ipsec.encAlg, remote: alt(ipsec.encAlg, ['aes', 'aes256', '3des']) };
    case 'PfsMismatch':
      return { local: ipsec.pfs, remote: alt(ipsec.pfs, ['disabled', 'group2']) };
    case 'LifetimeMismatch':
      return { local: String(ike.lifetime), remote: String(ike.lifetime === 28800 ? 86400 : 28800) };
    case 'NatTMismatch':
      return { local: String(tunnel.enableNatTraversal), remote: String(!tunnel.enableNatTraversal) };
    case 'PeerIdMismatch':
      return { local: ike.remoteId, remote: `${ike.remoteId.split('.').slice(0, 3).join('.')}.254` };
    default:
      return { local: '', remote: '' };
  }
}
