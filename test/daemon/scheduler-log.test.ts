// node-cron's own messages stay inside the daemon's JSON log. When the process cannot run a cron slot
// on time (event loop blocked, process stopped), node-cron 4 prints a coloured "missed execution"
// warning with console.warn (outside pino) unless the task has an `execution:missed` listener; the scheduler
// listens, counts the slot and reports it through the hooks, and gives node-cron the daemon's logger.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTierScheduler } from '../../src/daemon/scheduler.js';
import { createLogger } from '../../src/log/logger.js';
import { sleep, until } from '../drills/process.js';
import { type SpawnedServe, spawnServe } from './helpers.js';

/** Block this thread, as a long synchronous diagnose() or a GC pause does. */
const blockFor = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('createTierScheduler and node-cron', { timeout: 30_000 }, () => {
  afterEach(() => vi.restoreAllMocks());

  it('reports a slot missed while the event loop was blocked, and prints nothing itself', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', destination });
    const printed: unknown[][] = [];
    for (const method of ['warn', 'info', 'error', 'debug', 'log'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args));
    }
    const runs: number[] = [];
    const missed: { tier: string; slot: Date }[] = [];
    const scheduler = createTierScheduler(
      [{ name: 'status', schedule: '* * * * * *', run: async () => void runs.push(Date.now()) }],
      { logger, onMissed: (tier, slot) => missed.push({ tier, slot }) },
    );
    scheduler.start();
    try {
      await until('a first run', () => runs.length > 0, 5_000);
      const blockedFrom = Date.now();
      blockFor(3_500);
      await until('the missed slots', () => missed.length > 0, 5_000);
      await sleep(1_200); // the next slot after the block runs as usual
      expect(missed.every((m) => m.tier === 'status')).toBe(true);
      for (const m of missed) expect(m.slot.getTime()).toBeGreaterThanOrEqual(blockedFrom - 1_000);
      expect(scheduler.missed()).toEqual({ status: missed.length });
      expect(runs.at(-1)!).toBeGreaterThan(blockedFrom + 3_500);
    } finally {
      await scheduler.stop(1_000);
    }
    expect(printed).toEqual([]);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it("hands node-cron's own messages to the logger as JSON with component node-cron", async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', destination });
    const printed: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args));
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void printed.push(args));
    // No onMissed hook and no onError: node-cron still must not print.
    const scheduler = createTierScheduler(
      [{ name: 'status', schedule: '* * * * * *', run: async () => undefined }],
      { logger },
    );
    scheduler.start();
    try {
      await sleep(1_100);
      blockFor(2_500);
      await until('a miss', () => Object.keys(scheduler.missed()).length > 0, 5_000);
    } finally {
      await scheduler.stop(1_000);
    }
    expect(printed).toEqual([]);
    // What node-cron logs on its own (its start/stop messages, if any) carries the component.
    for (const l of lines) expect(l.component).toBe('node-cron');
  });
});

describe('serve stopped past its cron slots', { timeout: 120_000 }, () => {
  let spawned: SpawnedServe | undefined;
  afterEach(async () => {
    await spawned?.close();
    spawned = undefined;
  });

  it('logs each missed slot as one JSON line with its tier; nothing else on stdout or stderr', async () => {
    spawned = await spawnServe('* * * * * *');
    const { child } = spawned.serving;
    const stdout = () => spawned!.serving.stdout();

    // A stalled process (SIGSTOP, a VM pause, a saturated host): every slot in the pause is missed.
    child.kill('SIGSTOP');
    await sleep(3_500);
    child.kill('SIGCONT');
    const missedLines = await until('the missed-slot records', () => {
      const records = stdout()
        .split('\n')
        .slice(0, -1) // complete lines only
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg?: string; tier?: string; slot?: string; level?: string });
      const missed = records.filter((r) => r.msg?.startsWith('cron slot missed'));
      return missed.length > 0 ? missed : null;
    });
    expect(missedLines.some((r) => r.tier === 'status')).toBe(true);
    for (const r of missedLines) {
      expect(r.level).toBe('warn');
      expect(Number.isNaN(Date.parse(r.slot!))).toBe(false);
    }
    for (const line of stdout().split('\n').filter(Boolean))
      expect(() => JSON.parse(line), line).not.toThrow();
    // node-cron's default logger writes coloured lines with console.warn (stderr).
    for (const out of [stdout(), spawned.serving.stderr()]) {
      expect(out).not.toContain('NODE-CRON');
      expect(out).not.toContain('\x1b[');
    }
  });
});
