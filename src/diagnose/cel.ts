// CEL for rule conditions and templates: one environment, compile once per expression, facts converted
// to CEL maps once per evaluation context, and an exact pre-decision on the plain facts.
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
  return { source, ast: parsed.expr, run: (facts) => program(facts) };
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

// --- Exact pre-decision on plain facts: a small evaluator for the common shapes of conditions. ---
// It answers only when every part it needs is decidable with CEL's own semantics (`&&`/`||` are
// commutative and short-circuit errors), and otherwise leaves the decision to CEL.

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

function literalOf(e: Expr | undefined): string | number | boolean | null | undefined {
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

type Plain = string | number | boolean | null | readonly unknown[];
const UNDECIDED = Symbol('undecided');
type Val = Plain | typeof UNDECIDED;

function lookup(facts: Facts, path: string[]): unknown {
  let cur: unknown = facts;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, p))
      return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function plainValue(e: Expr | undefined, facts: Facts): Val {
  if (!e) return UNDECIDED;
  const lit = literalOf(e);
  if (lit !== undefined) return lit;
  const path = selectPath(e);
  if (path) {
    const v = lookup(facts, path);
    if (
      v === null ||
      typeof v === 'string' ||
      typeof v === 'number' ||
      typeof v === 'boolean' ||
      Array.isArray(v)
    )
      return v as Plain;
    return UNDECIDED;
  }
  const k = e.exprKind;
  if (k.case === 'callExpr' && k.value.function === 'size') {
    const arg = k.value.target ?? k.value.args[0];
    const v = plainValue(arg, facts);
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    return UNDECIDED;
  }
  if (k.case === 'comprehensionExpr') {
    // exists/all over an empty list: the result is the accumulator's initial value.
    const range = plainValue(k.value.iterRange, facts);
    const init = literalOf(k.value.accuInit);
    if (Array.isArray(range) && range.length === 0 && typeof init === 'boolean') return init;
    return UNDECIDED;
  }
  return decideBool(e, facts);
}

function compare(fn: string, a: Val, b: Val): Val {
  if (a === UNDECIDED || b === UNDECIDED) return UNDECIDED;
  if (fn === '_==_' || fn === '_!=_') {
    const comparable = a === null || b === null || (typeof a === typeof b && !Array.isArray(a));
    if (!comparable) return UNDECIDED;
    return fn === '_==_' ? a === b : a !== b;
  }
  if (typeof a !== 'number' || typeof b !== 'number') return UNDECIDED;
  switch (fn) {
    case '_<_':
      return a < b;
    case '_<=_':
      return a <= b;
    case '_>_':
      return a > b;
    case '_>=_':
      return a >= b;
    default:
      return UNDECIDED;
  }
}

function decideBool(e: Expr, facts: Facts): Val {
  const k = e.exprKind;
  if (k.case === 'selectExpr' || k.case === 'identExpr') {
    const v = plainValue(e, facts);
    return typeof v === 'boolean' ? v : UNDECIDED;
  }
  if (k.case === 'constExpr') {
    const v = literalOf(e);
    return typeof v === 'boolean' ? v : UNDECIDED;
  }
  if (k.case === 'comprehensionExpr') return plainValue(e, facts);
  if (k.case !== 'callExpr' || k.value.target) return UNDECIDED;
  const fn = k.value.function;
  const args = k.value.args;
  if (fn === '!_') {
    const v = args[0] ? decideBool(args[0], facts) : UNDECIDED;
    return typeof v === 'boolean' ? !v : UNDECIDED;
  }
  if (fn === '_&&_' || fn === '_||_') {
    const short = fn === '_||_';
    let all = true;
    for (const a of args) {
      const v = decideBool(a, facts);
      if (v === short) return short;
      if (v !== !short) all = false;
    }
    return all ? !short : UNDECIDED;
  }
  if (['_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_'].includes(fn))
    return compare(fn, plainValue(args[0], facts), plainValue(args[1], facts));
  return UNDECIDED;
}

/** true/false when the plain facts decide the condition exactly as CEL would; null otherwise. */
export function decide(c: Compiled, facts: Facts): boolean | null {
  const v = decideBool(c.ast, facts);
  return typeof v === 'boolean' ? v : null;
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
