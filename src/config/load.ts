// Config loading: read → YAML → ${ENV} interpolation → cross-field checks + schema → AppConfig.
// Every problem is collected and reported at once (ConfigError), each located by field path and line.
import { readFileSync } from 'node:fs';
import type { Document } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { crossFieldProblems } from './cross-checks.js';
import { ConfigError, type LocatedProblem } from './errors.js';
import { type ConfigProblem, interpolateTree, type PathSegment } from './interpolate.js';
import { type AppConfig, configSchema } from './schema.js';
import { zodProblems } from './zod-problems.js';

/** Config files are small; refuse anything absurd before parsing it. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
export const CONFIG_ENV_VAR = 'ALIVPN_CONFIG';
export const DEFAULT_CONFIG_PATH = './config.yaml';

type Env = Readonly<Record<string, string | undefined>>;

/** The config path: the explicit one, else $ALIVPN_CONFIG, else ./config.yaml. */
export function resolveConfigPath(explicit?: string, env: Env = process.env): string {
  return explicit || env[CONFIG_ENV_VAR] || DEFAULT_CONFIG_PATH;
}

export interface LoadOptions {
  /**
   * Top-level sections the command does not use (`diagnose` serves nothing: `server`). An unset
   * ${VAR} there is not an error; the section falls back to its defaults.
   */
  unusedSections?: readonly string[];
}

export function loadConfig(path?: string, env: Env = process.env, opts: LoadOptions = {}): AppConfig {
  const file = resolveConfigPath(path, env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError(file, [{ path: [], message: `cannot read the config file: ${why}` }]);
  }
  return parseConfig(text, file, env, opts);
}

export function parseConfig(
  text: string,
  sourceName = 'config.yaml',
  env: Env = process.env,
  opts: LoadOptions = {},
): AppConfig {
  if (text.length > MAX_CONFIG_BYTES)
    throw new ConfigError(sourceName, [
      { path: [], message: `the file is larger than ${MAX_CONFIG_BYTES} bytes` },
    ]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      sourceName,
      doc.errors.map((e) => ({
        path: [],
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
        line: lineCounter.linePos(e.pos[0]).line,
      })),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // e.g. "Excessive alias count indicates a resource exhaustion attack"
    throw new ConfigError(sourceName, [{ path: [], message: `YAML: ${(err as Error).message}` }]);
  }
  if (raw === null || raw === undefined)
    throw new ConfigError(sourceName, [
      { path: [], message: 'the config is empty (at least `accounts:` is needed)' },
    ]);
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(sourceName, [
      { path: [], message: 'the config must be a mapping of sections (server, poll, accounts, …)' },
    ]);

  const problems: ConfigProblem[] = [];
  let interpolated = interpolateTree(raw, env, problems);
  const unused = new Set(opts.unusedSections ?? []);
  const skipped = problems.filter((p) => p.unsetVariable !== undefined && unused.has(String(p.path[0])));
  if (skipped.length > 0) {
    const sections = new Set(skipped.map((p) => String(p.path[0])));
    interpolated = Object.fromEntries(
      Object.entries(interpolated as Record<string, unknown>).filter(([k]) => !sections.has(k)),
    );
    problems.splice(0, problems.length, ...problems.filter((p) => !skipped.includes(p)));
  }
  problems.push(...crossFieldProblems(interpolated));
  const parsed = configSchema.safeParse(interpolated, { reportInput: true });
  if (!parsed.success) {
    // A field whose ${VAR} failed already has its problem; its schema complaint would be noise.
    const unresolved = new Set(problems.map((p) => JSON.stringify(p.path)));
    problems.push(...zodProblems(parsed.error).filter((p) => !unresolved.has(JSON.stringify(p.path))));
  }
  if (problems.length > 0) throw new ConfigError(sourceName, locate(dedupe(problems), doc, lineCounter));
  return parsed.data as AppConfig;
}

/** JSON Schema of the config file (input side: defaults shown, env placeholders not expanded). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, {
    io: 'input',
    unrepresentable: 'any',
    // Defaults of fields that accept ${ENV} strings (a preprocess step) are otherwise left out.
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string; defaultValue?: unknown } } })
        ._zod.def;
      if (def.type === 'default' && ctx.jsonSchema.default === undefined)
        ctx.jsonSchema.default = def.defaultValue;
    },
  }) as Record<string, unknown>;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${JSON.stringify(p.path)}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Adds line numbers and orders the problems as they appear in the file. */
function locate(problems: ConfigProblem[], doc: Document, lines: LineCounter): LocatedProblem[] {
  const located = problems.map((p) => {
    const offset = offsetOf(doc, p.path);
    const problem: LocatedProblem = offset === undefined ? p : { ...p, line: lines.linePos(offset).line };
    return { problem, order: offset ?? Number.MAX_SAFE_INTEGER };
  });
  return located.sort((a, b) => a.order - b.order).map((l) => l.problem);
}

/** Source offset of the deepest node that exists along `path` (the key itself for unknown keys). */
function offsetOf(doc: Document, path: PathSegment[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as { range?: [number, number, number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  return offset;
}
