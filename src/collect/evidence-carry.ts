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
 * `next` with the previous diagnosis carried over when the tunnel has not come up since `previous`
 * was captured (`lastUpAt` is when it was last seen up, or null if never), and only `previous`
 * names a cause.
 */
export function keepCapturedCause(
  previous: TunnelEvidence | undefined,
  next: TunnelEvidence,
  lastUpAt: number | null,
): TunnelEvidence {
  if (!previous || namesCause(next) || !namesCause(previous)) return next;
  if (lastUpAt !== null && lastUpAt >= previous.collectedAt) return next;
  const when = new Date(previous.collectedAt).toISOString();
  return {
    ...next,
    diagnosis: previous.diagnosis,
    errors: [
      ...next.errors,
      `diagnosis captured at ${when} kept: the tunnel has stayed down and Alibaba keeps error codes only ~3 minutes`,
    ],
  };
}
