// Start the real simulator for a test: a scenario (name, file or in-memory World) on a free
// loopback port, with a manual clock by default, and hand back its URL, the scenario's AccessKey
// pairs, the control API and SDK clients bound to it.
import { CmsSdkClient, EcsSdkClient, OpenApiConfig, VpcSdkClient } from '../../src/cloud/sdk.js';
import { type Simulator, startSimulator } from '../../src/sim/index.js';
import type { FailedReasonCode, World } from '../../src/sim/world/types.js';

// biome-ignore lint/suspicious/noExplicitAny: control replies are free-form JSON that tests read directly.
type ControlJson = any;
export interface ControlReply {
  status: number;
  body: ControlJson;
}

export interface SimKey {
  account: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface TestSimulator {
  url: string;
  /** `127.0.0.1:PORT`, what `Config.endpoint` wants. */
  endpoint: string;
  port: number;
  keys: SimKey[];
  sim: Simulator;
  world: World;
  /** The simulator's current time (ms). */
  now(): number;
  /** Manual clock only: move time forward and apply due timeline events. */
  advance(seconds: number): number;
  control: {
    get(path: string): Promise<ControlReply>;
    post(path: string, body: unknown): Promise<ControlReply>;
    fail(connectionId: string, tunnel: 1 | 2, cause: FailedReasonCode): Promise<ControlReply>;
    recover(connectionId: string, tunnel: 1 | 2): Promise<ControlReply>;
  };
  /** Real SDK clients (protocol http, endpoint = the simulator), signed with `keys[keyIndex]`. */
  vpc(keyIndex?: number, regionId?: string): InstanceType<typeof VpcSdkClient>;
  ecs(keyIndex?: number, regionId?: string): InstanceType<typeof EcsSdkClient>;
  cms(keyIndex?: number, regionId?: string): InstanceType<typeof CmsSdkClient>;
  close(): Promise<void>;
}

export interface TestSimulatorOptions {
  scenario: string | World;
  /** Default 'manual' (starting at `startAt`); a function injects any clock. */
  clock?: 'manual' | 'real' | (() => number);
  /** Manual clock start (ms); default 2026-01-01T00:00:00Z. */
  startAt?: number;
}

export const DEFAULT_START = Date.UTC(2026, 0, 1, 0, 0, 0);

export async function startTestSimulator(opts: TestSimulatorOptions): Promise<TestSimulator> {
  const clock = opts.clock ?? 'manual';
  const sim = await startSimulator({
    scenario: opts.scenario,
    port: 0,
    host: '127.0.0.1',
    clock,
    ...(clock === 'manual' ? { startAt: opts.startAt ?? DEFAULT_START } : {}),
  });
  const keys: SimKey[] = sim.world.accounts.flatMap((a) =>
    a.accessKeys.map((k) => ({
      account: a.name,
      accessKeyId: k.id,
      accessKeySecret: k.secret,
      ...(k.securityToken ? { securityToken: k.securityToken } : {}),
    })),
  );
  const endpoint = `127.0.0.1:${sim.port}`;
  const config = (keyIndex: number, regionId: string) => {
    const key = keys[keyIndex];
    if (!key) throw new Error(`the scenario has no AccessKey #${keyIndex}`);
    return new OpenApiConfig({
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      ...(key.securityToken ? { securityToken: key.securityToken } : {}),
      endpoint,
      protocol: 'http',
      regionId,
      readTimeout: 10_000,
    });
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}/_sim/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as ControlJson };
  };
  return {
    url: sim.url,
    endpoint,
    port: sim.port,
    keys,
    sim,
    world: sim.world,
    now: () => sim.now(),
    advance(seconds) {
      if (!sim.clock) throw new Error('advance() needs the manual clock');
      const now = sim.clock.advance(seconds);
      sim.backend.state.advance(now);
      return now;
    },
    control: {
      get: (path) => call('GET', path),
      post: (path, body) => call('POST', path, body),
      fail: (connectionId, tunnel, cause) => call('POST', 'incidents', { connectionId, tunnel, cause }),
      recover: (connectionId, tunnel) => call('POST', 'recover', { connectionId, tunnel }),
    },
    vpc: (keyIndex = 0, regionId = 'cn-hangzhou') => new VpcSdkClient(config(keyIndex, regionId)),
    ecs: (keyIndex = 0, regionId = 'cn-hangzhou') => new EcsSdkClient(config(keyIndex, regionId)),
    cms: (keyIndex = 0, regionId = 'cn-hangzhou') => new CmsSdkClient(config(keyIndex, regionId)),
    close: () => sim.close(),
  };
}
