// Runs each collection tier on its own cron schedule, never two runs of one tier at once, and
// lets `stop()` wait for the runs in flight so the store is closed only after they finish.
import cron, { type ScheduledTask } from 'node-cron';

export interface TierJob {
  name: string;
  schedule: string;
  run: () => Promise<void>;
}

export interface TierScheduler {
  start(): void;
  /** Replace one tier's schedule (adaptive polling); no-op when unchanged. */
  reschedule(name: string, schedule: string): void;
  /** Run a tier now unless it is already running (e.g. topology right after a transition). */
  trigger(name: string): Promise<void>;
  /** Stop scheduling; wait up to `graceMs` for runs in flight. Returns false if some were abandoned. */
  stop(graceMs?: number): Promise<boolean>;
  running(): string[];
}

export function createTierScheduler(
  jobs: TierJob[],
  hooks: { onError?: (tier: string, err: unknown) => void; onSkip?: (tier: string) => void } = {},
): TierScheduler {
  const inFlight = new Map<string, Promise<void>>();
  const tasks = new Map<string, ScheduledTask>();
  const byName = new Map(jobs.map((j) => [j.name, { ...j }]));
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
      .catch((err: unknown) => hooks.onError?.(name, err))
      .finally(() => inFlight.delete(name));
    inFlight.set(name, p);
    return p;
  };

  const schedule = (name: string, expression: string) => {
    tasks.get(name)?.destroy();
    tasks.set(
      name,
      cron.schedule(expression, () => void runOnce(name), { name: `alivpn-${name}` }),
    );
  };

  return {
    start() {
      for (const job of byName.values()) schedule(job.name, job.schedule);
    },
    reschedule(name, expression) {
      const job = byName.get(name);
      if (!job || job.schedule === expression || stopped) return;
      job.schedule = expression;
      schedule(name, expression);
    },
    trigger: runOnce,
    async stop(graceMs = 10_000) {
      stopped = true;
      for (const task of tasks.values()) await task.destroy();
      tasks.clear();
      const all = Promise.all(inFlight.values()).then(() => true);
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
      return Promise.race([all, timeout]);
    },
    running: () => [...inFlight.keys()],
  };
}
