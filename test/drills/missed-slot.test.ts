// Drill (issue 13): a cron slot missed while the event loop was blocked is run late, not dropped.
// node-cron gives up on a slot it reaches more than a second late; the status tier then waited for
// the next slot, so on a busy host a failover showed ~two intervals late (29 s on a 10 s schedule).
import { describe, expect, it } from 'vitest';
import { createTierScheduler } from '../../src/daemon/scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Block this thread, as a long synchronous evaluation or a GC pause on a saturated host does. */
const blockFor = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('a missed cron slot', { timeout: 30_000 }, () => {
  it('runs the tier as soon as the process is free, once, not at the next slot', async () => {
    const runs: number[] = [];
    const missed: Date[] = [];
    const scheduler = createTierScheduler(
      [
        {
          name: 'status',
          schedule: '*/4 * * * * *',
          run: async () => {
            runs.push(Date.now());
            await sleep(50);
          },
        },
      ],
      { onMissed: (_tier, slot) => missed.push(slot) },
    );
    scheduler.start();
    try {
      const deadline = Date.now() + 10_000;
      while (runs.length === 0 && Date.now() < deadline) await sleep(50);
      expect(runs.length).toBe(1);
      const slot = Math.floor(runs[0]! / 1000) * 1000;
      // Just before the next slot, block past it by more than node-cron's one-second tolerance.
      await sleep(Math.max(0, slot + 4_000 - 300 - Date.now()));
      blockFor(2_600);
      const freeAt = Date.now();
      await sleep(1_000);
      expect(missed.map((d) => d.getTime())).toEqual([slot + 4_000]);
      // The late run starts as soon as the loop is free; the next slot (slot + 8 s) is 1.7 s away.
      expect(runs).toHaveLength(2);
      expect(runs[1]! - freeAt).toBeLessThan(500);
      expect(scheduler.missed()).toEqual({ status: 1 });
    } finally {
      await scheduler.stop(1_000);
    }
  });
});
