// `npm run build` (tsc -p tsconfig.build.json) must give a CLI that runs from the compiled output and
// finds the shipped rules/, scenarios/ and package.json the way the container image lays them out
// (compiled tree one level below the package root, like dist/). Built into a scratch directory so
// the tree's dist/ (which bin/alivpn-doctor.js runs when there is no src/) is left alone.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUT = join(ROOT, `.build-test-${process.pid}`);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(OUT, 'cli/main.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('the compiled CLI (npm run build)', () => {
  beforeAll(() => {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', OUT],
      { cwd: ROOT, stdio: 'pipe' },
    );
  }, 180_000);

  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('compiles the entry point bin/alivpn-doctor.js loads from dist/', () => {
    expect(existsSync(join(OUT, 'cli/main.js'))).toBe(true);
    expect(readFileSync(join(ROOT, 'bin/alivpn-doctor.js'), 'utf8')).toContain(
      "join(root, 'dist', 'cli', 'main.js')",
    );
  });

  it('runs --help and --version (package.json found from the compiled tree)', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/alivpn-doctor serve --config FILE/);
    const version = cli('--version');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('finds the shipped rules/ from the compiled tree', () => {
    const lint = cli('rules', 'lint');
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    expect(lint.stdout).toContain(`${join(ROOT, 'rules')}: ok`);
  });

  it('finds the shipped scenarios/ and rules/ from the compiled modules', async () => {
    const load = (await import(pathToFileURL(join(OUT, 'sim/world/load.js')).href)) as {
      SCENARIOS_DIR: string;
      listScenarios(): string[];
    };
    expect(load.SCENARIOS_DIR).toBe(join(ROOT, 'scenarios'));
    expect(load.listScenarios()).toEqual(expect.arrayContaining(['demo', 'healthy', 'failover-drill']));
    const rules = (await import(pathToFileURL(join(OUT, 'diagnose/rules-loader.js')).href)) as {
      shippedRulesDir(): string;
    };
    expect(rules.shippedRulesDir()).toBe(join(ROOT, 'rules'));
  });
});
