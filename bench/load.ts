// A competing process for the benchmark: a child that keeps one core busy, so the verdicts cover
// a daemon sharing its machine (issue 13: under such load, detection once took 29 s on a 10 s
// schedule). The child spins in a tight loop until stopped; its CPU time is reported so a run
// shows the load was real.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CoreLoad {
  pid: number;
  /** CPU seconds the spinner has used so far (Linux /proc; NaN elsewhere). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** CPU seconds (user + system) a process has used so far (Linux /proc); NaN elsewhere. */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Start a child process that spins one core until `stop()`. */
export function spinCore(): CoreLoad {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let last = Number.NaN;
  const cpuSeconds = () => {
    if (child.exitCode !== null || child.signalCode !== null) return last;
    const s = cpuSecondsOf(child.pid!);
    if (Number.isFinite(s)) last = s;
    return last;
  };
  return {
    pid: child.pid!,
    cpuSeconds,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        cpuSeconds();
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
}
