// Backing off when Alibaba's flow control says no (Throttling, Throttling.User, Throttling.Api, …),
// per account × product: Alibaba throttles an account's calls to a product, so every region of the
// account is held back together. A call that still fails on throttling after its retries starts a
// cool-down; calls for that account × product are then skipped (not sent, not counted as requests)
// until it ends, and each further throttled failure doubles it up to a ceiling (at least what
// x-acs-retry-after asked for). One success ends the streak. Time is the Doctor's clock.
import type { Product } from './types.js';

export interface ThrottlePolicy {
  baseMs: number;
  maxMs: number;
}

/** One account × product, for metrics. */
export interface BackoffState {
  account: string;
  product: Product;
  /** Throttled answers received (every attempt). */
  throttled: number;
  /** Calls not sent because the account × product was backing off. */
  skipped: number;
  /** Seconds the current cool-down still lasts (0 when none). */
  backoffSeconds: number;
  /** Throttled failures in a row (0 after a success). */
  streak: number;
}

interface Entry {
  account: string;
  product: Product;
  throttled: number;
  skipped: number;
  streak: number;
  until: number;
  lastCode: string;
}

export class ThrottleBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  private entry(account: string, product: Product): Entry {
    const key = `${account}\u0000${product}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { account, product, throttled: 0, skipped: 0, streak: 0, until: 0, lastCode: '' };
      this.entries.set(key, e);
    }
    return e;
  }

  /**
   * Milliseconds the account × product must still wait, with the code that started the wait; the
   * call is counted as skipped. undefined = go ahead.
   */
  skip(account: string, product: Product): { remainingMs: number; code: string } | undefined {
    const e = this.entries.get(`${account}\u0000${product}`);
    const remainingMs = e ? e.until - this.now() : 0;
    if (!e || remainingMs <= 0) return undefined;
    e.skipped += 1;
    return { remainingMs, code: e.lastCode };
  }

  /** True while a cool-down runs (a retry should not be sent into it). */
  coolingDown(account: string, product: Product): boolean {
    const e = this.entries.get(`${account}\u0000${product}`);
    return !!e && e.until > this.now();
  }

  /** One throttled answer. */
  throttledAnswer(account: string, product: Product, code: string): void {
    const e = this.entry(account, product);
    e.throttled += 1;
    e.lastCode = code;
  }

  /** A call gave up on throttling: start (or lengthen) the cool-down, unless one already runs. */
  throttledFailure(account: string, product: Product, retryAfterMs?: number): void {
    const e = this.entry(account, product);
    const now = this.now();
    if (e.until > now) return; // calls already in flight when the cool-down began
    e.streak += 1;
    const delay = Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(e.streak - 1, 30));
    e.until = now + Math.max(delay, retryAfterMs ?? 0);
  }

  succeeded(account: string, product: Product): void {
    const e = this.entries.get(`${account}\u0000${product}`);
    if (!e) return;
    e.streak = 0;
    e.until = 0;
  }

  /** True while the account × product is in a throttling streak (its data is unknown because of it). */
  throttled(account: string, product: Product): boolean {
    return (this.entries.get(`${account}\u0000${product}`)?.streak ?? 0) > 0;
  }

  states(): BackoffState[] {
    const now = this.now();
    return [...this.entries.values()].map((e) => ({
      account: e.account,
      product: e.product,
      throttled: e.throttled,
      skipped: e.skipped,
      backoffSeconds: Math.max(0, e.until - now) / 1000,
      streak: e.streak,
    }));
  }
}
