// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
// delay = random(0, min(maxDelay, base · 2^attempt)), at least what the server asked for.

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Upper bound for an honoured x-acs-retry-after, so a bad header cannot park a cycle forever. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** `attempt` is 0 for the first retry. `random` returns [0, 1). */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(random() * ceiling);
  const floor = retryAfterMs !== undefined ? Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
  return Math.max(jittered, floor);
}
