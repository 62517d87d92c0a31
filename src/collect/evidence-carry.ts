// Alibaba keeps a failure's error code only ~3 minutes. When a later capture of a tunnel that has
// stayed down since finds no specific code, the cause captured earlier in the same outage is still
// the best evidence: keep it, and say so, rather than let the diagnosis decay to "unknown cause".
import type { TunnelEvidence } from '../model/snapshot.js';

/** Codes that name no cause. */
const GENERIC_CODES: ReadonlySet<string> = new Set(['', 'NoExceptionFound', 'NegotiationFailed']);

/** Evidence whose diagnosis names a specific cause. */
export const namesCause = (e: TunnelEvidence | undefined): boolean =>
  (e?.diagnosis ?? []).some((d) => !GENERIC_CODES.has(d.failedReasonCode));

/**
 * `next` with the previous diagnosis carried over when `previous` is from the same outage (captured
 * at or after `outageSince`, when the tunnel was seen down; null: no bound known) and only
 * `previous` names a cause. The carried evidence says so: `carriedFrom` and a note.
 */
export function keepCapturedCause(
  previous: TunnelEvidence | undefined,
  next: TunnelEvidence,
  outageSince: number | null,
): TunnelEvidence {
  if (!previous || namesCause(next) || !namesCause(previous)) return next;
  if (outageSince !== null && previous.collectedAt < outageSince) return next;
  const from = previous.carriedFrom ?? previous.collectedAt;
  const when = new Date(from).toISOString();
  return {
    ...next,
    diagnosis: previous.diagnosis,
    carriedFrom: from,
    errors: [
      ...next.errors,
      `diagnosis captured at ${when} in this outage kept: the tunnel has stayed down since and Alibaba keeps error codes only ~3 minutes`,
    ],
  };
}
