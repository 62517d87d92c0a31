// CEL for rule conditions and templates: one environment, compile once per expression, facts converted
// to CEL maps once per evaluation context, and a cheap pre-check of `a.b && ...` conjuncts.
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

const ENV = celEnv({ funcs: [...strings] });

export type Facts = Record<string, unknown>;
/** Facts as CEL sees them (built once per context with `toCelFacts`). */
export type CelFacts = Record<string, unknown>;

export class CelCompileError extends Error {}

/** A compiled expression: evaluate with CEL facts; guards short-cut on the plain facts. */
export interface Compiled {
  source: string;
  ast: Expr;
  run: (facts: CelFacts) => unknown;
  guards: Guard[];
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
  return { source, ast: parsed.expr, run: (facts) => program(facts), guards: guardsOf(parsed.expr) };
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

// --- Guards: `path`, `!path`, `path == literal`, `path != literal` conjuncts at the top level. ---

export interface Guard {
  path: string[];
  op: 'true' | 'false' | '==' | '!=';
  literal?: string | number | boolean | null;
}

function selectPath(e: Expr | undefined): string[] | null {
  const path: string[] = [];
  let cur = e;
  while (cur) {
    const k = cur.exprKind;
    if (k.case === 'selectExpr' && !k.value.testOnly) {
      path.unshift(k.value.field);
      cur = k.value.operand;
    } else if (k.case === 'identExpr') {
      path.unshift(k.value.name);
      return path;
    } else return null;
  }
  return null;
}

function literalOf(e: Expr | undefined): Guard['literal'] | undefined {
  if (e?.exprKind.case !== 'constExpr') return undefined;
  const c = e.exprKind.value.constantKind;
  switch (c.case) {
    case 'stringValue':
    case 'boolValue':
    case 'doubleValue':
      return c.value;
    case 'int64Value':
      return Number(c.value);
    case 'nullValue':
      return null;
    default:
      return undefined;
  }
}

function conjuncts(e: Expr): Expr[] {
  const k = e.exprKind;
  if (k.case === 'callExpr' && k.value.function === '_&&_' && !k.value.target)
    return k.value.args.flatMap((a) => conjuncts(a));
  return [e];
}

function guardOf(e: Expr): Guard | null {
  const k = e.exprKind;
  const direct = selectPath(e);
  if (direct) return { path: direct, op: 'true' };
  if (k.case !== 'callExpr' || k.value.target) return null;
  const [a, b] = k.value.args;
  if (k.value.function === '!_') {
    const p = selectPath(a);
    return p ? { path: p, op: 'false' } : null;
  }
  if (k.value.function === '_==_' || k.value.function === '_!=_') {
    const op = k.value.function === '_==_' ? '==' : '!=';
    const [p, lit] = selectPath(a) ? [selectPath(a), literalOf(b)] : [selectPath(b), literalOf(a)];
    return p && lit !== undefined ? { path: p, op, literal: lit } : null;
  }
  return null;
}

function guardsOf(e: Expr): Guard[] {
  return conjuncts(e)
    .map(guardOf)
    .filter((g): g is Guard => g !== null);
}

function lookup(facts: Facts, path: string[]): unknown {
  let cur: unknown = facts;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !(p in cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/**
 * true when a guard proves the condition false on the plain facts. Exact, never a guess: CEL's `&&`
 * is false as soon as one conjunct is false, and an undecidable guard (missing path, other type)
 * leaves the decision to CEL.
 */
export function guardsReject(c: Compiled, facts: Facts): boolean {
  for (const g of c.guards) {
    const v = lookup(facts, g.path);
    if (v === undefined) continue;
    if (g.op === 'true' && v === false) return true;
    if (g.op === 'false' && v === true) return true;
    if (g.op === '==' || g.op === '!=') {
      const comparable = v === null || g.literal === null || typeof v === typeof g.literal;
      if (!comparable) continue;
      const equal = v === g.literal;
      if ((g.op === '==' && !equal) || (g.op === '!=' && equal)) return true;
    }
  }
  return false;
}

// --- Fact references, for lint: dotted paths rooted at free identifiers. ---

/** Every dotted fact path an expression reads (comprehension variables excluded). */
export function factRefs(e: Expr, bound: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const walk = (x: Expr | undefined, b: ReadonlySet<string>) => {
    if (!x) return;
    const k = x.exprKind;
    switch (k.case) {
      case 'identExpr':
        if (!b.has(k.value.name)) out.push(k.value.name);
        return;
      case 'selectExpr': {
        const p = selectPath(x);
        if (p && !b.has(p[0] ?? '')) {
          out.push(p.join('.'));
          return;
        }
        walk(k.value.operand, b);
        return;
      }
      case 'callExpr':
        walk(k.value.target, b);
        for (const a of k.value.args) walk(a, b);
        return;
      case 'listExpr':
        for (const el of k.value.elements) walk(el, b);
        return;
      case 'structExpr':
        for (const en of k.value.entries) {
          if (en.keyKind.case === 'mapKey') walk(en.keyKind.value, b);
          walk(en.value, b);
        }
        return;
      case 'comprehensionExpr': {
        const v = k.value;
        walk(v.iterRange, b);
        const inner = new Set([...b, v.iterVar, v.iterVar2, v.accuVar].filter(Boolean));
        walk(v.accuInit, inner);
        walk(v.loopCondition, inner);
        walk(v.loopStep, inner);
        walk(v.result, inner);
        return;
      }
      default:
        return;
    }
  };
  walk(e, bound);
  return out;
}
