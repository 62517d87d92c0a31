// DiagnoseVpnConnections FailedReasonCode → our cause ids (reference §1.3), with the weight of each
// mapping so that a more specific log signal can outrank a generic code.
import type { PhasedCause } from './causes.js';

export interface CodeMapping {
  cause: PhasedCause | null;
  /** 0–100: how specifically the code names the cause. */
  weight: number;
  /** Why a code maps to a neighbouring id (shown as evidence). */
  note?: string;
}

export const REASON_CODES: Record<string, CodeMapping> = {
  PeerMismatch: { cause: 'wrong-customer-gateway-ip', weight: 100 },
  // Generic parameter mismatches: the phase reached (and the parameter values) decide the id.
  AlgorithmMismatch: { cause: 'proposal', weight: 60 },
  EncryptionAlgorithmMismatch: { cause: 'proposal', weight: 70 },
  AuthenticationAlgorithmMismatch: { cause: 'proposal', weight: 70 },
  AlgorithmCompatibility: { cause: 'proposal', weight: 55 },
  ProposalMismatch: { cause: 'proposal', weight: 50 },
  DhGroupMismatch: { cause: 'dh-group-mismatch', weight: 100 },
  PskMismatch: { cause: 'psk-mismatch', weight: 100 },
  PeerIdMismatch: { cause: 'peer-id-mismatch', weight: 100 },
  DpdTimeout: { cause: 'dpd-timeout', weight: 100 },
  IkeVersionMismatch: { cause: 'ike-version-mismatch', weight: 100 },
  NegotiationModeMismatch: { cause: 'ike-mode-mismatch', weight: 100 },
  NatTMismatch: { cause: 'nat-traversal-mismatch', weight: 100 },
  LifetimeMismatch: { cause: 'lifetime-mismatch', weight: 100 },
  TrafficSelectorMismatch: { cause: 'traffic-selector-mismatch', weight: 100 },
  PfsMismatch: { cause: 'pfs-mismatch', weight: 100 },
  // Silence is the weakest evidence: any answer from the peer seen in the logs outranks it.
  Phase1NegotiationTimeout: { cause: 'peer-unreachable', weight: 20 },
  NoResponse: { cause: 'peer-unreachable', weight: 20 },
  ReceiveDeleteNotify: { cause: 'peer-deleted-sa', weight: 90 },
  // Closest ids for codes without an id of their own.
  SecurityProtocolMismatch: {
    cause: 'ipsec-proposal-mismatch',
    weight: 90,
    note: 'the peer proposes AH; Alibaba Cloud supports only ESP',
  },
  EncapsulationModeMismatch: {
    cause: 'ipsec-proposal-mismatch',
    weight: 90,
    note: 'the peer proposes transport mode; Alibaba Cloud supports only tunnel mode',
  },
  CommitMismatch: {
    cause: 'ipsec-proposal-mismatch',
    weight: 90,
    note: 'the peer sets the IKEv1 commit bit, which Alibaba Cloud does not support',
  },
  DpdHashNotifyCompatibility: {
    cause: 'dpd-timeout',
    weight: 90,
    note: 'the peer sends DPD notifications without a hash payload; Alibaba Cloud expects hash-notify order',
  },
  Phase2NegotiationTimeout: {
    cause: 'ipsec-proposal-mismatch',
    weight: 30,
    note: 'phase 2 got no reply: usually IPsec settings or NAT traversal differ',
  },
  // No specific cause: negotiation-failed says so.
  NegotiationFailed: { cause: null, weight: 0 },
  NoExceptionFound: { cause: null, weight: 0 },
};

/** Mapping for a code; unknown codes name no cause. */
export function mapReasonCode(code: string): CodeMapping {
  return REASON_CODES[code.trim()] ?? { cause: null, weight: 0 };
}
