// Starts bench/sim-process.ts as a child process and talks to its /_sim/ control API.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FleetOptions } from '../src/sim/fleet.js';
import type { FaultRule, SimCallRecord } from '../src/sim/protocol.js';
import type { FailedReasonCode } from '../src/sim/world/types.js';

export interface FleetLayout {
  account: string;
  regions: Array<{ id: string; connections: string[] }>;
}

export interface SimChild {
  url: string;
  keys: Array<{ account: string; id: string; secret: string }>;
  layout: FleetLayout[];
  pid: number;
  calls(): Promise<SimCallRecord[]>;
  resetCalls(): Promise<void>;
  setFaults(rules: FaultRule[]): Promise<void>;
  fail(connectionId: string, tunnel: 1 | 2, cause: FailedReasonCode): Promise<void>;
  recover(connectionId: string, tunnel: 1 | 2): Promise<void>;
  close(): Promise<void>;
}

// The simulator stands in for Alibaba Cloud, which does not share the daemon's machine: compiled
// when the benchmark is (bench/start.ts), so it takes as little of the machine as it can.
const COMPILED = import.meta.url.endsWith('.js');
const SIM_SCRIPT = new URL(COMPILED ? './sim-process.js' : './sim-process.ts', import.meta.url).pathname;
const SIM_ARGS = COMPILED ? [SIM_SCRIPT] : ['--import', 'tsx', SIM_SCRIPT];

export async function spawnSim(opts: FleetOptions, startTimeoutMs = 60_000): Promise<SimChild> {
  const child: ChildProcess = spawn(process.execPath, [...SIM_ARGS, JSON.stringify(opts)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start in time')), startTimeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited early (code ${code})`));
    });
  });
  const info = JSON.parse(first) as { url: string; keys: SimChild['keys']; regions: FleetLayout[] };
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${info.url}/_sim/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method} /_sim/${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url: info.url,
    keys: info.keys,
    layout: info.regions,
    pid: child.pid!,
    calls: async () => ((await control('GET', 'calls')) as { calls: SimCallRecord[] }).calls,
    resetCalls: async () => void (await control('DELETE', 'calls')),
    setFaults: async (rules) => void (await control('PUT', 'faults', rules)),
    fail: async (connectionId, tunnel, cause) =>
      void (await control('POST', 'incidents', { connectionId, tunnel, cause })),
    recover: async (connectionId, tunnel) =>
      void (await control('POST', 'recover', { connectionId, tunnel })),
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
