// The daemon as shipped runs compiled JavaScript (dist/), not TypeScript through tsx, which costs
// ~70 MB of RSS by itself. This builds a package-shaped copy under bench/.build/ (gitignored):
// dist/ from tsconfig.build.json, package.json, and links to rules/ and scenarios/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BUILD = join(import.meta.dirname, '.build');
/** The compiled CLI entry buildDaemon() produces. */
export const BUILT_ENTRY = join(BUILD, 'dist', 'cli', 'main.js');

/** Compile the daemon; returns the path of its CLI entry (dist/cli/main.js). */
export function buildDaemon(): string {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  mkdirSync(BUILD, { recursive: true });
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(BUILD, 'dist')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  copyFileSync(join(ROOT, 'package.json'), join(BUILD, 'package.json'));
  for (const dir of ['rules', 'scenarios'])
    if (!existsSync(join(BUILD, dir))) symlinkSync(join(ROOT, dir), join(BUILD, dir), 'dir');
  return BUILT_ENTRY;
}
