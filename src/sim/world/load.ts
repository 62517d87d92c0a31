// Scenario files: find them by name under scenarios/ or by path, parse the YAML, validate it with
// the schema and expand it, failing with errors that name the file and the field path.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ExpandError, expandScenario } from './expand.js';
import { scenarioSchema } from './schema.js';
import type { World } from './types.js';

/** The package root: the nearest directory above this module with a package.json (src/ or dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The shipped scenarios directory (`<package>/scenarios`), from the sources or the build. */
export const SCENARIOS_DIR = join(packageRoot(), 'scenarios');

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `invalid scenario ${file}:\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ScenarioError';
  }
}

/** `a.b[0].c` from a zod path. */
function formatPath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s): ${issue.keys.join(', ')}`;
    return { path: formatPath(issue.path), message };
  });
}

/** Parse and expand scenario YAML text; `file` names the source in errors. */
export function parseScenario(text: string, file: string): World {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ScenarioError(file, [{ path: '', message: `not valid YAML: ${(err as Error).message}` }]);
  }
  const parsed = scenarioSchema.safeParse(doc);
  if (!parsed.success) throw new ScenarioError(file, zodIssues(parsed.error));
  try {
    return expandScenario(parsed.data);
  } catch (err) {
    if (err instanceof ExpandError) throw new ScenarioError(file, err.issues);
    throw err;
  }
}

/** Resolve a scenario name (`healthy`) or a path (`./my.yaml`) to a file. */
export function scenarioPath(nameOrPath: string): string {
  const direct = isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
  if (/\.ya?ml$/i.test(nameOrPath) || nameOrPath.includes('/')) {
    if (!existsSync(direct)) throw new Error(`scenario file not found: ${direct}`);
    return direct;
  }
  for (const ext of ['.yaml', '.yml']) {
    const candidate = join(SCENARIOS_DIR, nameOrPath + ext);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`unknown scenario "${nameOrPath}" (shipped: ${listScenarios().join(', ')})`);
}

export function loadScenario(nameOrPath: string): World {
  const file = scenarioPath(nameOrPath);
  return parseScenario(readFileSync(file, 'utf8'), file);
}

/** Names of the shipped scenarios. */
export function listScenarios(): string[] {
  if (!existsSync(SCENARIOS_DIR)) return [];
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}
