// The CLI as a process, for drills about what a user sees: exit codes, stderr, a listener that stays
// up, two processes on one store. Plus a small tmpfs to fill up (this machine runs tests as root).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestSimulator } from '../support/sim.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

export interface ServeConfig {
  dir: string;
  port: number;
  store: string;
  /** An endpoint nobody listens on when no simulator is given (the store is opened before any call). */
  sim?: TestSimulator;
  /** Extra top-level YAML lines. */
  extra?: string[];
  poll?: string;
}

/** Write a serve config for one account (the simulator's first key) and return its path. */
export function writeConfig(c: ServeConfig, name = 'config.yaml'): string {
  const key = c.sim?.keys[0] ?? { accessKeyId: 'LTAI5tDrillDrillDrill', accessKeySecret: 'drill-secret' };
  const regions = c.sim ? c.sim.world.accounts[0]!.regions.map((r) => r.id) : ['cn-hangzhou'];
  const account = c.sim?.world.accounts[0]?.name ?? 'drill';
  const path = join(c.dir, name);
  writeFileSync(
    path,
    [
      `server: { listen: "127.0.0.1:${c.port}" }`,
      c.poll ??
        'poll: { status: "*/2 * * * * *", topology: "0 0 0 1 1 *", traffic: "0 0 0 1 1 *", adaptive: { enabled: false } }',
      'logging: { level: warn }',
      `storage: { path: "${c.store}" }`,
      'api: { readTimeoutMs: 2000, retries: { max: 1, baseDelayMs: 1, maxDelayMs: 5 } }',
      'accounts:',
      `  - { name: ${account}, accessKeyId: ${key.accessKeyId}, accessKeySecret: ${key.accessKeySecret}, regions: [${regions.join(', ')}], endpoint: "${c.sim?.url ?? 'http://127.0.0.1:9'}" }`,
      ...(c.extra ?? []),
      '',
    ].join('\n'),
  );
  return path;
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI to completion. */
export function runCli(args: string[], timeoutMs = 150_000): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`alivpn-doctor ${args.join(' ')} did not exit in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Serving {
  child: ChildProcess;
  url: string;
  /** The JSON log. */
  stdout(): string;
  stderr(): string;
  /** Both, in the order they came. */
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
}

/** `serve --config` as a process, once /readyz answers (any status) or `ready` says so. */
export async function startServe(config: string, port: number, waitReady = true): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    output += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    output += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  const serving: Serving = {
    child,
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  try {
    await until(
      `serve on ${url}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
        const res = await fetch(`${url}/readyz`).catch(() => null);
        return waitReady ? res?.status === 200 : res !== null;
      },
      120_000,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return serving;
}

/**
 * A tmpfs of `kb` KiB at `dir` (root only). Returns null with the reason when it cannot be mounted,
 * so the drill can skip saying why.
 */
export function mountTmpfs(dir: string, kb: number): { unmount(): void } | { skip: string } {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    return { skip: `cannot mount a tmpfs at ${dir} (needs root): ${(err as Error).message.split('\n')[0]}` };
  }
  return {
    unmount: () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } catch {
        // already gone
      }
    },
  };
}

/** Fill the file system holding `dir` until writes fail with ENOSPC. */
export function fillUp(dir: string): void {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'ballast')}`, 'bs=4k'], { stdio: 'pipe' });
  } catch {
    // dd exits 1 at ENOSPC: that is the point
  }
}
