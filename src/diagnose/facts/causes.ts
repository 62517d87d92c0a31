// Negotiation causes: the rule ids a piece of negotiation evidence can name, and the phase each needs.

export const CAUSES = [
  'peer-unreachable',
  'wrong-customer-gateway-ip',
  'dpd-timeout',
  'psk-mismatch',
  'ike-version-mismatch',
  'ike-mode-mismatch',
  'ike-algorithm-mismatch',
  'dh-group-mismatch',
  'peer-id-mismatch',
  'nat-traversal-mismatch',
  'lifetime-mismatch',
  'ipsec-proposal-mismatch',
  'pfs-mismatch',
  'traffic-selector-mismatch',
  'peer-deleted-sa',
] as const;
export type Cause = (typeof CAUSES)[number];

/**
 * A cause resolved by the phase the tunnel reached: a proposal mismatch is an IKE mismatch while
 * phase 1 is down and an IPsec one once phase 1 is up.
 */
export type PhasedCause = Cause | 'proposal' | 'dh';

/** Which tunnel state a cause can explain. */
export type CausePhase = 'phase1' | 'phase2' | 'any';

export const CAUSE_PHASE: Record<Cause, CausePhase> = {
  'peer-unreachable': 'phase1',
  'wrong-customer-gateway-ip': 'phase1',
  'dpd-timeout': 'any',
  'psk-mismatch': 'phase1',
  'ike-version-mismatch': 'phase1',
  'ike-mode-mismatch': 'phase1',
  'ike-algorithm-mismatch': 'phase1',
  'dh-group-mismatch': 'phase1',
  'peer-id-mismatch': 'phase1',
  // NAT-T and lifetimes are negotiated in both phases.
  'nat-traversal-mismatch': 'any',
  'lifetime-mismatch': 'any',
  'ipsec-proposal-mismatch': 'phase2',
  'pfs-mismatch': 'phase2',
  'traffic-selector-mismatch': 'phase2',
  'peer-deleted-sa': 'any',
};

/** Resolve a phase-dependent cause for a tunnel whose phase 1 is (or is not) up. */
export function resolvePhased(cause: PhasedCause, ikeSaUp: boolean): Cause {
  if (cause === 'proposal') return ikeSaUp ? 'ipsec-proposal-mismatch' : 'ike-algorithm-mismatch';
  if (cause === 'dh') return ikeSaUp ? 'pfs-mismatch' : 'dh-group-mismatch';
  return cause;
}

/** Whether `cause` can explain a down tunnel whose phase 1 is (or is not) up. */
export function phaseAgrees(cause: Cause, ikeSaUp: boolean): boolean {
  const phase = CAUSE_PHASE[cause];
  if (phase === 'phase1') return !ikeSaUp;
  if (phase === 'phase2') return ikeSaUp;
  return true;
}
