// A token bucket that makes callers wait for their turn instead of failing: each call reserves a
// token, possibly driving the balance negative, and sleeps until its token would have been refilled.
// Reservation keeps waiters in arrival order without polling.

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export type CallPriority = 'normal' | 'low';

export class TokenBucket {
  private tokens: number;
  private last: number;
  private waitCount = 0;
  private waitedTotalMs = 0;
  /** Tokens low-priority calls leave for normal ones, so background work never delays the status tier. */
  readonly reserve: number;
  private lowQueue: Promise<void> = Promise.resolve();

  constructor(
    readonly rps: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
    this.reserve = burst > 1 ? Math.max(1, Math.floor(burst / 4)) : 0;
  }

  /**
   * Resolves when the caller may make one request. Low-priority callers (evidence, topology) queue
   * among themselves and take a token only while `reserve` tokens stay for normal ones (status),
   * which never wait behind them.
   */
  acquire(priority: CallPriority = 'normal'): Promise<void> {
    if (priority === 'normal') return this.acquireNormal();
    const turn = this.lowQueue.then(() => this.acquireAboveReserve());
    this.lowQueue = turn.catch(() => undefined);
    return turn;
  }

  private async acquireAboveReserve(): Promise<void> {
    for (let waited = false; ; waited = true) {
      this.refill();
      if (this.tokens - 1 >= this.reserve) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.max(1, Math.ceil(((this.reserve + 1 - this.tokens) / this.rps) * 1000));
      if (!waited) this.waitCount += 1;
      this.waitedTotalMs += waitMs;
      await this.clock.sleep(waitMs);
    }
  }

  private async acquireNormal(): Promise<void> {
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
