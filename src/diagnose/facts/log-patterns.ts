// Log keywords by cause: Alibaba's racoon-style messages (reference §1.3, §3) and strongSwan's.
// Matching is on the lower-cased line, by substring or by substrings in order, so hostile input
// cannot make it backtrack; the few regexes only capture numbers after a literal anchor.
import type { PhasedCause } from './causes.js';

export interface LogPattern {
  /** Lower-case substrings; a line matches when it contains any one of them. */
  any?: string[];
  /** Lower-case substrings that must all appear, in this order. */
  seq?: string[];
  cause: PhasedCause | 'generic';
  /** 0–100: how specifically the message names the cause; the highest wins. */
  weight: number;
  /** A short label for evidence. */
  label: string;
}

/** Weight below which a signal only proves that negotiation stalled (no answer). */
export const SILENCE_WEIGHT = 5;

export const LOG_PATTERNS: LogPattern[] = [
  // PSK: a decrypt/MAC failure names the key; a generic authentication failure could be many things.
  {
    any: ['mismatch of preshared secrets'],
    cause: 'psk-mismatch',
    weight: 100,
    label: 'pre-shared secrets mismatch',
  },
  {
    any: [
      'mac mismatched',
      'decryption failed',
      'could not decrypt payloads',
      'invalid hash_v1 payload length',
    ],
    cause: 'psk-mismatch',
    weight: 95,
    label: 'decryption/MAC failure',
  },
  { any: ['message parsing failed'], cause: 'psk-mismatch', weight: 25, label: 'message parsing failed' },
  {
    any: ['authentication_failed', 'authentication failure', 'authentication failed'],
    cause: 'psk-mismatch',
    weight: 10,
    label: 'generic authentication failure',
  },
  // DH group (phase 1) or PFS group (phase 2), by the phase reached.
  { any: ['received ke type'], cause: 'dh', weight: 95, label: 'KE type differs' },
  {
    any: ['rejected dh_group', 'proposal mismatch, transform type:4'],
    cause: 'dh',
    weight: 90,
    label: 'DH group rejected',
  },
  {
    any: ['no acceptable key_exchange_method', 'no acceptable diffie_hellman_group'],
    cause: 'dh',
    weight: 85,
    label: 'no acceptable key exchange method',
  },
  { any: ['failed to compute dh value'], cause: 'dh', weight: 80, label: 'DH computation failed' },
  { any: ['invalid_ke_payload', 'invalid ke payload'], cause: 'dh', weight: 30, label: 'INVALID_KE_PAYLOAD' },
  { any: ['pfs group mismatched'], cause: 'pfs-mismatch', weight: 95, label: 'PFS group mismatched' },
  {
    any: ['message lacks ke payload'],
    cause: 'pfs-mismatch',
    weight: 80,
    label: 'no KE payload (PFS off on one side)',
  },
  // Algorithms (IKE in phase 1, IPsec in phase 2).
  {
    any: [
      'invalid encryption algorithm',
      'trns_id mismatched',
      'rejected enctype',
      'no acceptable encryption_algorithm',
    ],
    cause: 'proposal',
    weight: 65,
    label: 'encryption algorithm rejected',
  },
  {
    any: [
      'authtype mismatched',
      'rejected hashtype',
      'no acceptable integrity_algorithm',
      'no acceptable pseudo_random_function',
    ],
    cause: 'proposal',
    weight: 65,
    label: 'authentication algorithm rejected',
  },
  {
    any: ['hash mismatched', 'packet lacks expected payload'],
    cause: 'proposal',
    weight: 40,
    label: 'HASH mismatched',
  },
  {
    any: [
      'no_proposal_chosen',
      'no proposal chosen',
      'n(no_prop)',
      'no suitable proposal found',
      'failed to get valid proposal',
      'none of my proposal matched',
      'no matching proposal found',
      'proposal mismatch',
      "couldn't find configuaration",
    ],
    cause: 'proposal',
    weight: 50,
    label: 'no proposal chosen',
  },
  { any: ['incompatible algorithm'], cause: 'proposal', weight: 55, label: 'incompatible algorithms' },
  // IPsec-only parameters with no id of their own.
  {
    any: ['commit bit'],
    cause: 'ipsec-proposal-mismatch',
    weight: 80,
    label: 'IKEv1 commit bit set by the peer',
  },
  {
    any: ['proto_id mismatched'],
    cause: 'ipsec-proposal-mismatch',
    weight: 80,
    label: 'AH/ESP protocol mismatch',
  },
  {
    any: ['encmode mismatched'],
    cause: 'ipsec-proposal-mismatch',
    weight: 80,
    label: 'transport/tunnel mode mismatch',
  },
  // Traffic selectors.
  {
    any: [
      'ts_unacceptable',
      'traffic selector mismatch',
      'traffic selector unacceptable',
      'invalid_id_information',
      'invalid-id-information',
      "can't find matching selector",
    ],
    cause: 'traffic-selector-mismatch',
    weight: 90,
    label: 'traffic selectors unacceptable',
  },
  {
    seq: ['traffic selectors', 'unacceptable'],
    cause: 'traffic-selector-mismatch',
    weight: 90,
    label: 'traffic selectors unacceptable',
  },
  // Identities.
  {
    any: [
      'does not match peers id',
      'message lacks idr payload',
      'expecting ip address type in main mode',
      'unknow peer id',
      'parse peerid failed',
      'no matching peer config found',
    ],
    cause: 'peer-id-mismatch',
    weight: 90,
    label: 'peer identity mismatch',
  },
  {
    seq: ['idir', 'does not match to'],
    cause: 'peer-id-mismatch',
    weight: 90,
    label: 'peer identity mismatch',
  },
  // IKE version and mode.
  {
    any: ['unknown ikev2 peer', 'invalid_major_version', 'unsupported ike version', 'ike version mismatch'],
    cause: 'ike-version-mismatch',
    weight: 90,
    label: 'IKE version mismatch',
  },
  {
    any: ['not acceptable aggressive mode', 'not acceptable identity protection mode'],
    cause: 'ike-mode-mismatch',
    weight: 90,
    label: 'main/aggressive mode mismatch',
  },
  {
    seq: ['not acceptable', 'aggressive mode'],
    cause: 'ike-mode-mismatch',
    weight: 90,
    label: 'main/aggressive mode mismatch',
  },
  // NAT-T, lifetimes, wrong peer address.
  {
    any: ['unexpecting payload type 130', 'unexpected payload type 130'],
    cause: 'nat-traversal-mismatch',
    weight: 90,
    label: 'NAT-T payload unexpected',
  },
  {
    any: ['long lifetime proposed', 'lifetime mismatch'],
    cause: 'lifetime-mismatch',
    weight: 90,
    label: 'lifetime differs',
  },
  {
    any: ['unsupported_critical_payload'],
    cause: 'wrong-customer-gateway-ip',
    weight: 90,
    label: 'UNSUPPORTED_CRITICAL_PAYLOAD',
  },
  // The peer went away or tore the SA down.
  { seq: ['dpd', 'seems to be dead'], cause: 'dpd-timeout', weight: 90, label: 'DPD: peer dead' },
  {
    any: ['ignore information because the message has no hash payload'],
    cause: 'dpd-timeout',
    weight: 60,
    label: 'DPD notify without hash payload',
  },
  {
    any: ['received delete', 'delete notify'],
    cause: 'peer-deleted-sa',
    weight: 70,
    label: 'peer sent DELETE',
  },
  // Silence: no answer from the peer. Any specific answer above outranks it.
  {
    any: [
      'retransmission count exceeded the limit',
      'phase1 negotiation failed due to time up',
      'ignore information because isakmp-sa has not been established',
      'peer not responding',
    ],
    cause: 'peer-unreachable',
    weight: SILENCE_WEIGHT,
    label: 'no answer (timeout)',
  },
  {
    seq: ['retransmit', 'of request'],
    cause: 'peer-unreachable',
    weight: SILENCE_WEIGHT,
    label: 'retransmits',
  },
  {
    seq: ['giving up after', 'retransmits'],
    cause: 'peer-unreachable',
    weight: SILENCE_WEIGHT,
    label: 'gave up retransmitting',
  },
  // Phase 2 unanswered: closest id is the IPsec proposal (as for Phase2NegotiationTimeout).
  {
    any: ['phase2 negotiation timed out', 'no child_sa reply'],
    cause: 'ipsec-proposal-mismatch',
    weight: 15,
    label: 'phase 2 unanswered',
  },
  // Generic failure: names no cause.
  {
    any: ['phase2 negotiation failed due to time up waiting for phase1'],
    cause: 'generic',
    weight: 0,
    label: 'phase 2 waited for phase 1',
  },
];
