// CEL for rule conditions and templates: one environment, compile once per expression, facts converted
// to CEL maps once so that evaluation does not re-wrap them.
import {
  type CelValue,
  celEnv,
  celList,
  celMap,
  isCelError,
  isCelList,
  isCelMap,
  parse,
  plan,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { selectPath } from './cel-ast.js';

const ENV = celEnv({ funcs: [...strings] });

export type Facts = Record<string, unknown>;
/** Facts as CEL sees them (built once per context with `toCelFacts`). */
export type CelFacts = Record<string, unknown>;

export class CelCompileError extends Error {}

/** A compiled expression and its AST (for `decide` and lint). */
export interface Compiled {
  source: string;
  ast: Expr;
  run: (facts: CelFacts) => unknown;
  /** The dotted path when the expression is a plain select chain (read directly, without CEL). */
  path: string[] | null;
}

/** Parse and plan; throws CelCompileError with the parser's message. */
export function compile(source: string): Compiled {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (e) {
    throw new CelCompileError((e as Error).message);
  }
  let program: (facts: CelFacts) => unknown;
  try {
    program = plan(ENV, parsed) as (facts: CelFacts) => unknown;
  } catch (e) {
    throw new CelCompileError((e as Error).message);
  }
  return { source, ast: parsed.expr, run: (facts) => program(facts), path: selectPath(parsed.expr) };
}

/** Deep-convert plain facts to CEL maps and lists once, so that evaluation does not re-wrap them. */
export function toCel(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return celList(value.map(toCel) as CelValue[]);
  if (typeof value === 'object' && !isCelMap(value) && !isCelList(value)) {
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value)) entries.push([k, toCel(v)]);
    return celMap(new Map(entries) as Map<string, CelValue>);
  }
  return value;
}

export function toCelFacts(facts: Facts): CelFacts {
  const out: CelFacts = {};
  for (const [k, v] of Object.entries(facts)) out[k] = toCel(v);
  return out;
}

export interface Outcome {
  value: unknown;
  error: string | null;
}

/** Evaluate; CEL errors come back as values, never as exceptions. */
export function evaluate(c: Compiled, facts: CelFacts): Outcome {
  try {
    const v = c.run(facts);
    if (isCelError(v)) return { value: null, error: (v as { message: string }).message };
    return { value: v, error: null };
  } catch (e) {
    return { value: null, error: (e as Error).message };
  }
}

/** A CEL value as display text: lists joined with ", ", null/empty as ''. */
export function display(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (isCelList(v)) {
    const parts: string[] = [];
    for (const item of v as Iterable<unknown>) {
      const s = display(item);
      if (s) parts.push(s);
    }
    return parts.join(', ');
  }
  if (isCelMap(v)) return '';
  return String(v);
}

/** Plain facts displayed as CEL would display the same value (see `display`). */
export function displayPlain(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(displayPlain).filter(Boolean).join(', ');
  if (typeof v === 'object') return '';
  return String(v);
}

/** The plain value at a dotted path; undefined when a step is missing (CEL would raise an error). */
export function lookupPath(facts: Facts, path: readonly string[]): unknown {
  let cur: unknown = facts;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, p))
      return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}
