// Runs each collection tier on its own cron schedule, never two runs of one tier at once, and
// lets `stop()` wait for the runs in flight so the store is closed only after they finish.
// node-cron's own messages (a missed execution when the event loop was blocked past a slot, a task
// that failed to start) go to the daemon's logger as JSON, never to stdout in node-cron's colours.
// A slot node-cron missed is run late, not dropped: node-cron gives up on a slot it reaches more than
// a second late, and the tier then waited for the next slot (status every 10 s: a failover seen
// ~20 s late on a busy host). The late run is one run, however many slots were missed.
// A run's tail (see TierJob) does not hold the next slot either.
import cron, { type ScheduledTask, type TaskContext } from 'node-cron';
import type { Logger } from '../log/logger.js';

export interface TierJob {
  name: string;
  schedule: string;
  /**
   * One run. It may resolve early with a `tail`: work that goes on without holding the tier's next
   * slot (the status tier's evidence capture, which takes long in a big outage or on a busy host);
   * `stop()` still waits for it.
   */
  run: () => Promise<void | { tail: Promise<unknown> }>;
}

export interface TierScheduler {
  start(): void;
  /** Run a tier now unless it is already running (e.g. topology right after a transition). */
  trigger(name: string): Promise<void>;
  /** Stop scheduling; wait up to `graceMs` for runs in flight. Returns false if some were abandoned. */
  stop(graceMs?: number): Promise<boolean>;
  /** Tiers running now; a tier whose run finished but whose tail goes on is listed as `name (tail)`. */
  running(): string[];
  /** Slots each tier's cron missed since start (the process was busy past the slot). */
  missed(): Record<string, number>;
}

export interface TierSchedulerHooks {
  onError?: (tier: string, err: unknown) => void;
  onSkip?: (tier: string) => void;
  /** A slot node-cron could not fire on time; the tier runs at once instead (unless it is running). */
  onMissed?: (tier: string, slot: Date) => void;
  /** Where node-cron's own messages go; without one they are dropped, never printed. */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
}

/** node-cron's Logger interface over pino: one JSON record per message, `component: node-cron`. */
function cronLogger(logger: TierSchedulerHooks['logger']) {
  const bindings = { component: 'node-cron' };
  const withError = (level: 'debug' | 'error') => (message: string | Error, err?: Error) => {
    if (message instanceof Error) logger?.[level]({ ...bindings, err: message }, message.message);
    else logger?.[level]({ ...bindings, ...(err !== undefined && { err }) }, message);
  };
  return {
    info: (message: string) => logger?.info(bindings, message),
    warn: (message: string) => logger?.warn(bindings, message),
    error: withError('error'),
    debug: withError('debug'),
  };
}

export function createTierScheduler(jobs: TierJob[], hooks: TierSchedulerHooks = {}): TierScheduler {
  const inFlight = new Map<string, Promise<void>>();
  /** Runs' tails still going on, with their tier. */
  const tails = new Map<Promise<void>, string>();
  const tasks = new Map<string, ScheduledTask>();
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const missed = new Map<string, number>();
  const logger = cronLogger(hooks.logger);
  let stopped = false;

  const runOnce = (name: string): Promise<void> => {
    const job = byName.get(name);
    if (!job || stopped) return Promise.resolve();
    const current = inFlight.get(name);
    if (current) {
      hooks.onSkip?.(name);
      return current;
    }
    const p = job
      .run()
      .then((result) => {
        if (!result) return;
        const tail: Promise<void> = result.tail
          .then(
            () => undefined,
            (err: unknown) => hooks.onError?.(name, err),
          )
          .finally(() => tails.delete(tail));
        tails.set(tail, name);
      })
      .catch((err: unknown) => hooks.onError?.(name, err))
      .finally(() => inFlight.delete(name));
    inFlight.set(name, p);
    return p;
  };

  const schedule = (job: TierJob) => {
    const task = cron.schedule(job.schedule, () => void runOnce(job.name), {
      name: `alivpn-${job.name}`,
      logger,
    });
    // With a listener, node-cron does not print its own warning for a missed slot.
    task.on('execution:missed', (context: TaskContext) => {
      missed.set(job.name, (missed.get(job.name) ?? 0) + 1);
      hooks.onMissed?.(job.name, context.date);
      void runOnce(job.name); // late rather than never; joins a run already in flight
    });
    tasks.set(job.name, task);
  };

  return {
    start() {
      for (const job of byName.values()) schedule(job);
    },
    trigger: runOnce,
    async stop(graceMs = 10_000) {
      stopped = true;
      for (const task of tasks.values()) await task.destroy();
      tasks.clear();
      const all = Promise.all([...inFlight.values(), ...tails.keys()]).then(() => true);
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
      return Promise.race([all, timeout]);
    },
    running: () => [...inFlight.keys(), ...[...tails.values()].map((name) => `${name} (tail)`)],
    missed: () => Object.fromEntries(missed),
  };
}
