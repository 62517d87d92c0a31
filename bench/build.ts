// The daemon as shipped runs compiled JavaScript (dist/), not TypeScript through tsx, which costs
// ~70 MB of RSS by itself and wraps every function it creates (esbuild's keepNames), a cost the
// shipped code does not pay. Two package-shaped copies under bench/.build/ (gitignored), each with
// package.json and links to rules/ and scenarios/:
// - dist/: the daemon from tsconfig.build.json, exactly as packed (the serve phase, memory-probe);
// - whole/: src/ and bench/ from tsconfig.bench.json, so the in-process phases measure compiled
//   code too (`npm run bench` runs whole/bench/run.js: bench/start.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { REPO_ROOT } from './paths.js';

const ROOT = REPO_ROOT;
const BUILD = join(REPO_ROOT, 'bench', '.build');
/** The compiled CLI entry buildDaemon() produces. */
export const BUILT_ENTRY = join(BUILD, 'dist', 'cli', 'main.js');

/** The compiled benchmark buildBench() produces. */
export const BUILT_BENCH = join(BUILD, 'whole', 'bench', 'run.js');

/** Compile `project` into `outDir` and give it the package's shape (package.json, rules, scenarios). */
function compile(project: string, outDir: string, packageDir: string): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  mkdirSync(packageDir, { recursive: true });
  execFileSync(process.execPath, [tsc, '-p', project, '--outDir', outDir], { cwd: ROOT, stdio: 'inherit' });
  copyFileSync(join(ROOT, 'package.json'), join(packageDir, 'package.json'));
  for (const dir of ['rules', 'scenarios'])
    if (!existsSync(join(packageDir, dir))) symlinkSync(join(ROOT, dir), join(packageDir, dir), 'dir');
}

/** Compile the daemon; returns the path of its CLI entry (dist/cli/main.js). */
export function buildDaemon(): string {
  compile('tsconfig.build.json', join(BUILD, 'dist'), BUILD);
  return BUILT_ENTRY;
}

/** Compile the daemon and the benchmark together; returns the path of the benchmark's entry. */
export function buildBench(): string {
  const whole = join(BUILD, 'whole');
  compile('tsconfig.bench.json', whole, whole);
  return BUILT_BENCH;
}
