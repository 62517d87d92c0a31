import { describe, expect, it } from 'vitest';
import { backoffDelay, MAX_RETRY_AFTER_MS, TokenBucket } from '../../src/cloud/index.js';

describe('backoffDelay (full jitter)', () => {
  const policy = { baseDelayMs: 200, maxDelayMs: 5000 };

  it('draws uniformly below an exponentially growing ceiling capped at maxDelay', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelay(policy, a, () => 0.999999))).toEqual([
      199, 399, 799, 1599, 3199, 4999, 4999,
    ]);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(800);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });

  it('waits at least what the server asked for, within reason', () => {
    expect(backoffDelay(policy, 0, () => 0.5, 1500)).toBe(1500);
    expect(backoffDelay(policy, 5, () => 0.9, 1500)).toBe(4500);
    expect(backoffDelay(policy, 0, () => 0, 10 * 60_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});

/** A manual clock: sleep advances time and records each wait. */
function manualClock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
}

describe('TokenBucket', () => {
  it('lets a burst through immediately, then spaces callers at 1/rps', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, 3, clock);
    for (let i = 0; i < 3; i++) await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
    expect(bucket.available()).toBe(0);
    await bucket.acquire();
    await bucket.acquire();
    await bucket.acquire();
    // Reservations queue up: the 4th waits 100 ms, the 5th 200 ms, the 6th 300 ms.
    expect(clock.sleeps).toEqual([100, 200, 300]);
    expect(bucket.waits).toBe(3);
    expect(bucket.waitedMs).toBe(600);
  });

  it('refills with time, never beyond the burst', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket(5, 4, clock);
    for (let i = 0; i < 4; i++) await bucket.acquire();
    clock.advance(400); // 2 tokens back
    expect(bucket.available()).toBe(2);
    clock.advance(60_000);
    expect(bucket.available()).toBe(4);
    for (let i = 0; i < 4; i++) await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
  });

  it('holds a sustained rate: N calls beyond the burst take (N - burst)/rps seconds', async () => {
    let t = 0;
    const bucket = new TokenBucket(20, 5, {
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    });
    for (let i = 0; i < 105; i++) await bucket.acquire();
    expect(t).toBeGreaterThanOrEqual(5000);
    expect(t).toBeLessThanOrEqual(5000 + 100);
  });
});

describe('TokenBucket priorities', () => {
  /** A clock that advances only when someone sleeps (sleepers wake in order of their deadline). */
  function fakeClock() {
    let now = 0;
    const sleepers: Array<{ at: number; wake: () => void }> = [];
    const clock = {
      now: () => now,
      sleep: (ms: number) =>
        new Promise<void>((wake) => {
          sleepers.push({ at: now + ms, wake });
          sleepers.sort((a, b) => a.at - b.at);
        }),
    };
    const tick = async () => {
      const next = sleepers.shift();
      if (!next) return false;
      now = Math.max(now, next.at);
      next.wake();
      await new Promise((r) => setTimeout(r, 0));
      return true;
    };
    return { clock, tick, at: () => now };
  }

  it('keeps a reserve that low-priority (background) calls never take', async () => {
    const { clock } = fakeClock();
    const bucket = new TokenBucket(1, 8, clock); // reserve = 2
    expect(bucket.reserve).toBe(2);
    const done: string[] = [];
    for (let i = 0; i < 10; i++) void bucket.acquire('low').then(() => done.push(`low${i}`));
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toEqual(['low0', 'low1', 'low2', 'low3', 'low4', 'low5']); // 8 - reserve 2
    // A status call still finds a token at once, though six background calls are queued.
    let statusDone = false;
    void bucket.acquire().then(() => {
      statusDone = true;
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(statusDone).toBe(true);
  });

  it('lets queued low-priority calls through in order as tokens refill above the reserve', async () => {
    const { clock, tick, at } = fakeClock();
    const bucket = new TokenBucket(2, 4, clock); // reserve = 1
    const done: Array<[string, number]> = [];
    for (let i = 0; i < 5; i++) void bucket.acquire('low').then(() => done.push([`low${i}`, at()]));
    await new Promise((r) => setTimeout(r, 0));
    expect(done.map(([n]) => n)).toEqual(['low0', 'low1', 'low2']);
    while (await tick()) {}
    expect(done.map(([n]) => n)).toEqual(['low0', 'low1', 'low2', 'low3', 'low4']);
    expect(done[3]![1]).toBe(500); // one token per 500 ms at 2 rps
    expect(done[4]![1]).toBe(1000);
  });
});
