// The package as a user gets it. A copy of this checkout is packed with `npm pack` (its prepack
// script builds dist/), the tarball is installed into an empty project from npm's cache
// (--prefer-offline), and the installed command runs as a user runs it: --version, `rules lint`,
// `simulate`, and `diagnose` and `serve` against that simulator. Every run records the modules Node loads (an
// ESM load hook given through NODE_OPTIONS): the compiled dist/ runs, no TypeScript is loaded, and
// neither tsx nor playwright-core is installed. `npm pack --dry-run` of the checkout itself lists
// nothing from src/ or test/.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const NPM_ENV = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' };

interface PackEntry {
  filename: string;
  files: { path: string }[];
}

const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = NPM_ENV, timeout = 300_000): string => {
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} in ${cwd} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
};

/** Copy the checkout's files (tracked and new, not ignored) to `to`, with its node_modules linked. */
function stageCheckout(to: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  for (const file of listed.split('\0')) {
    // node_modules may be a symlink (not matched by the `node_modules/` ignore rule); scratch
    // directories of other tests (.build-test-*) come and go while this runs.
    if (!file || file === 'node_modules' || file.startsWith('.build')) continue;
    if (!existsSync(join(ROOT, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(to, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/**
 * better-sqlite3's install script (prebuild-install, else node-gyp) would download a binary from
 * GitHub or compile SQLite for minutes. This machine built one for the checkout already: hand it to
 * prebuild-install as a local prebuild of the same version, Node ABI and platform (glibc), so the
 * install runs the package's real install script, offline, in seconds.
 */
function localPrebuild(dir: string): { version: string; env: NodeJS.ProcessEnv } {
  const pkgDir = join(ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['-czf', join(dir, name), '-C', pkgDir, 'build/Release/better_sqlite3.node']);
  return { version, env: { npm_config_better_sqlite3_local_prebuilds: dir } };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

const HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  appendFileSync(log, url + '\\n');
  return next(url, context);
}
`;
const REGISTER = `import { register } from 'node:module';
register('./hooks.mjs', { parentURL: import.meta.url, data: { log: process.env.ALIVPN_LOAD_LOG } });
`;

let WORK = '';
let APP = '';
let packed: PackEntry;
let runs = 0;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** URLs of the modules Node loaded through the ESM loader. */
  loaded: string[];
}

function cliEnv(log: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    NODE_OPTIONS: `--import=${pathToFileURL(join(WORK, 'register.mjs')).href}`,
    ALIVPN_LOAD_LOG: log,
  };
}
const readLog = (log: string) =>
  existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];

/** The installed command, as `npx alivpn-doctor` or a global install runs it: node_modules/.bin. */
const BIN = () => join(APP, 'node_modules', '.bin', 'alivpn-doctor');

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Run {
  const log = join(WORK, `loads-${++runs}.log`);
  const r = spawnSync(BIN(), args, {
    cwd: APP,
    env: { ...cliEnv(log), ...extraEnv },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, loaded: readLog(log) };
}

function expectCompiledOnly(loaded: string[]): void {
  const installed = pathToFileURL(join(APP, 'node_modules', pkg.name)).href;
  expect(loaded).toContain(`${installed}/dist/cli/main.js`);
  expect(loaded.filter((u) => /\.[cm]?tsx?$/.test(u))).toEqual([]);
  expect(loaded.filter((u) => u.includes('/node_modules/tsx/'))).toEqual([]);
}

describe('the packed package, installed from its tarball', { timeout: 300_000 }, () => {
  beforeAll(() => {
    WORK = mkdtempSync(join(tmpdir(), 'alivpn-pack-'));
    const stage = join(WORK, 'stage');
    stageCheckout(stage);
    const out = npm(['pack', '--json', '--pack-destination', WORK], stage);
    packed = (JSON.parse(out) as PackEntry[])[0]!;

    APP = join(WORK, 'app');
    mkdirSync(APP);
    const prebuild = localPrebuild(join(WORK, 'prebuilds'));
    // The consumer pins better-sqlite3 to the version the local prebuild is for.
    writeFileSync(
      join(APP, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, overrides: { 'better-sqlite3': prebuild.version } }),
    );
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(WORK, packed.filename)], APP, {
      ...NPM_ENV,
      ...prebuild.env,
    });
    writeFileSync(join(WORK, 'hooks.mjs'), HOOKS);
    writeFileSync(join(WORK, 'register.mjs'), REGISTER);
  }, 600_000);

  afterAll(async () => {
    if (WORK) await rm(WORK, { recursive: true, force: true });
  }, 180_000);

  it('holds dist/, bin/, rules/, scenarios/, the example configs, README and LICENSE; no source, tests or maps', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/alivpn-doctor.js', 'dist/cli/main.js']) {
      expect(files).toContain(f);
    }
    expect(files).toContain('config/example.yaml');
    expect(files).toContain('rules/connection-down.yaml');
    expect(files).toContain('scenarios/healthy.yaml');
    const tops = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect(tops).toEqual([
      'LICENSE',
      'README.md',
      'bin',
      'config',
      'dist',
      'package.json',
      'rules',
      'scenarios',
    ]);
    expect(files.filter((f) => /\.(ts|map)$/.test(f))).toEqual([]);
  });

  it('installs without tsx or playwright-core (development-only packages)', () => {
    const modules = join(APP, 'node_modules');
    expect(existsSync(join(modules, pkg.name, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(modules, pkg.name, 'src'))).toBe(false);
    expect(existsSync(join(modules, 'tsx'))).toBe(false);
    expect(existsSync(join(modules, 'playwright-core'))).toBe(false);
  });

  it('runs --version and `rules lint` (the shipped rules/) from the compiled JavaScript', () => {
    const version = cli(['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(version.status).toBe(0);
    expectCompiledOnly(version.loaded);
    const lint = cli(['rules', 'lint']);
    expect(lint.stdout).toContain(`${join(APP, 'node_modules', pkg.name, 'rules')}: ok`);
    expect(lint.status).toBe(0);
    expectCompiledOnly(lint.loaded);
  });

  it('runs `simulate`; `diagnose` reports on that simulated fleet and `serve` serves it', async () => {
    const simLog = join(WORK, 'loads-simulate.log');
    const sim: ChildProcess = spawn(BIN(), ['simulate', '--scenario', 'healthy', '--port', '0'], {
      cwd: APP,
      env: cliEnv(simLog),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      let stderr = '';
      sim.stderr!.on('data', (d) => {
        stderr += d;
      });
      const [url, keyId, secret] = await new Promise<string[]>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`simulate did not start: ${stderr}`)), 60_000);
        sim.stdout!.on('data', (d) => {
          stdout += d;
          const listen = /Listening on\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          const key = /AccessKeyId (\S+)\s+AccessKeySecret (\S+)/.exec(stdout);
          if (listen && key && stdout.includes('Ctrl-C stops.')) {
            clearTimeout(timer);
            done([listen[1]!, key[1]!, key[2]!]);
          }
        });
        sim.once('exit', (code) => fail(new Error(`simulate exited with ${code}: ${stderr}`)));
      });
      expectCompiledOnly(readLog(simLog));

      const port = await freePort();
      const config = join(WORK, 'config.yaml');
      writeFileSync(
        config,
        [
          `server: { listen: "127.0.0.1:${port}" }`,
          `storage: { path: ${join(WORK, 'alivpn.db')} }`,
          'accounts:',
          '  - name: prod',
          `    accessKeyId: ${keyId}`,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a config-file ${ENV} reference
          '    accessKeySecret: ${SIM_SECRET}',
          '    regions: [cn-hangzhou, ap-northeast-1]',
          `    endpoint: ${url}`,
          '',
        ].join('\n'),
      );
      const diagnose = cli(['diagnose', '--config', config, '--format', 'json'], { SIM_SECRET: secret });
      expect(diagnose.stderr).not.toContain(secret!);
      const report = JSON.parse(diagnose.stdout) as {
        status: string;
        connections: { id: string; tunnels: { up: boolean }[] }[];
      };
      expect(report.status).toBe('ok');
      // scenarios/healthy.yaml: five dual-tunnel connections, all up.
      expect(report.connections).toHaveLength(5);
      for (const c of report.connections) expect(c.tunnels.map((t) => t.up)).toEqual([true, true]);
      expect(diagnose.status).toBe(0);
      expectCompiledOnly(diagnose.loaded);

      // serve: the report over HTTP and the API docs (Swagger UI's files through @fastify/static).
      const serveLog = join(WORK, 'loads-serve.log');
      const serve = spawn(BIN(), ['serve', '--config', config], {
        cwd: APP,
        env: { ...cliEnv(serveLog), SIM_SECRET: secret },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + 60_000;
        while ((await fetch(`${base}/readyz`).catch(() => null))?.status !== 200) {
          if (Date.now() > deadline || serve.exitCode !== null) throw new Error('serve did not become ready');
          await new Promise((r) => setTimeout(r, 200));
        }
        const served = (await (await fetch(`${base}/api/v1/report`)).json()) as { connections: unknown[] };
        expect(served.connections).toHaveLength(5);
        const docs = await fetch(`${base}/docs/static/index.html`);
        expect(docs.status).toBe(200);
        expect(await docs.text()).toContain('swagger');
        const exited = new Promise<number | null>((r) => serve.once('exit', (code) => r(code)));
        serve.kill('SIGTERM');
        expect(await exited).toBe(0);
        expectCompiledOnly(readLog(serveLog));
      } finally {
        if (serve.exitCode === null) serve.kill('SIGKILL');
      }
    } finally {
      sim.kill('SIGTERM');
    }
  });
});

describe('npm pack --dry-run of this checkout', () => {
  it('lists nothing from src/, test/, bench/ or scripts/', () => {
    // --ignore-scripts: list what the checkout would ship without rebuilding its dist/.
    const out = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT, NPM_ENV, 60_000);
    const files = (JSON.parse(out) as PackEntry[])[0]!.files.map((f) => f.path);
    expect(files).toContain('bin/alivpn-doctor.js');
    expect(files.filter((f) => /^(src|test|bench|scripts|docs|deploy|dashboards)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
  }, 60_000);
});
