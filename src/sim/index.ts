// The simulator's public entry: a world (scenario name, file or in-memory) served over HTTP by the
// transport, with a real, accelerated, manual or injected clock.
import { ManualClock, WorldBackend } from './backend.js';
import { type SimServer, startSimServer } from './server.js';
import { loadScenario } from './world/load.js';
import type { World } from './world/types.js';

export interface StartSimulatorOptions {
  /** A scenario name under scenarios/, a path to a YAML file, or a World. */
  scenario: string | World;
  /** 0 or omitted: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** 'real' (default), 'manual' (advance with POST /_sim/clock or `clock.advance`), or a function. */
  clock?: 'real' | 'manual' | (() => number);
  /** Real clock only: world time runs this many times faster than wall time (demo). Default 1. */
  speed?: number;
  /** Manual clock only: its start (ms); default now. */
  startAt?: number;
}

export interface Simulator {
  url: string;
  port: number;
  world: World;
  backend: WorldBackend;
  server: SimServer;
  /** Present when `clock: 'manual'`. */
  clock: ManualClock | undefined;
  now(): number;
  close(): Promise<void>;
}

/** How often the timeline is applied without requests, so the world moves on its own (demo). */
const TICK_MS = 1000;

export async function startSimulator(opts: StartSimulatorOptions): Promise<Simulator> {
  const world = typeof opts.scenario === 'string' ? loadScenario(opts.scenario) : opts.scenario;
  let manual: ManualClock | undefined;
  let now: () => number;
  if (opts.clock === 'manual') {
    manual = new ManualClock(opts.startAt ?? Date.now());
    now = manual.now;
  } else if (typeof opts.clock === 'function') {
    now = opts.clock;
  } else {
    const speed = opts.speed ?? 1;
    const realStart = Date.now();
    now = speed === 1 ? Date.now : () => realStart + (Date.now() - realStart) * speed;
  }
  const backend = new WorldBackend(world, { now, ...(manual ? { manualClock: manual } : {}) });
  // The transport checks request timestamps against wall-clock time (the SDK signs with the real
  // date), so it keeps real time even when the world's clock is manual, injected or accelerated.
  const server = await startSimServer({
    backend,
    now: Date.now,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
  });
  const timer =
    world.timeline.length > 0 && opts.clock !== 'manual'
      ? setInterval(() => backend.state.advance(now()), TICK_MS)
      : undefined;
  timer?.unref();
  return {
    url: server.url,
    port: server.port,
    world,
    backend,
    server,
    clock: manual,
    now,
    async close() {
      if (timer) clearInterval(timer);
      await server.close();
    },
  };
}

export { ManualClock, WorldBackend } from './backend.js';
export { listScenarios, loadScenario, parseScenario, ScenarioError } from './world/load.js';
export type { World } from './world/types.js';
