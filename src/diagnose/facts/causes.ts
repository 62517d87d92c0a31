// Negotiation causes: the rule ids a piece of negotiation evidence can name, and the phase each
// needs. The list lives in the cause registry (src/diagnose/causes/).
import { type CauseRegistry, type PhasedCause, resolvePhased, SHIPPED } from '../causes/registry.js';

export type { CausePhase } from '../causes/types.js';
export { type PhasedCause, resolvePhased };

/** A rule id evidence can name (shipped, or added by a user rule directory). */
export type Cause = string;

export const CAUSES: readonly Cause[] = SHIPPED.ids();

/** Whether `cause` can explain a down tunnel whose phase 1 is (or is not) up. */
export function phaseAgrees(cause: Cause, ikeSaUp: boolean, registry: CauseRegistry = SHIPPED): boolean {
  const phase = registry.phaseOf(cause) ?? 'any';
  if (phase === 'phase1') return !ikeSaUp;
  if (phase === 'phase2') return ikeSaUp;
  return true;
}
