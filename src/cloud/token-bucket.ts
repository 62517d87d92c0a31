// A token bucket that makes callers wait for their turn instead of failing: each call reserves a
// token, possibly driving the balance negative, and sleeps until its token would have been refilled.
// Reservation keeps waiters in arrival order without polling.

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private waitCount = 0;
  private waitedTotalMs = 0;

  constructor(
    readonly rps: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Resolves when the caller may make one request. */
  async acquire(): Promise<void> {
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const waitMs = Math.ceil((-this.tokens / this.rps) * 1000);
    this.waitCount += 1;
    this.waitedTotalMs += waitMs;
    await this.clock.sleep(waitMs);
  }

  /** Whole tokens available right now (0 while callers are queued). */
  available(): number {
    this.refill();
    return Math.max(0, Math.floor(this.tokens));
  }

  /** Calls that had to wait for a token (cumulative). */
  get waits(): number {
    return this.waitCount;
  }

  get waitedMs(): number {
    return this.waitedTotalMs;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.rps);
  }
}
