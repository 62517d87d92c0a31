// Exact pre-decision on plain facts: a small evaluator for the common shapes of conditions.
// It answers only when every part it needs is decidable with CEL's own semantics (`&&`/`||` are
// commutative and short-circuit errors), and otherwise leaves the decision to CEL.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { type Compiled, type Facts, lookupPath } from './cel.js';
import { literalOf, selectPath } from './cel-ast.js';

type Plain = string | number | boolean | null | readonly unknown[];
const UNDECIDED = Symbol('undecided');
type Val = Plain | typeof UNDECIDED;

// Rule ASTs are compiled once and asked about for every tunnel: read each node's path once.
const paths = new WeakMap<Expr, readonly string[] | null>();
function pathOf(e: Expr): readonly string[] | null {
  let p = paths.get(e);
  if (p === undefined) {
    p = selectPath(e);
    paths.set(e, p);
  }
  return p;
}

function plainValue(e: Expr | undefined, facts: Facts): Val {
  if (!e) return UNDECIDED;
  const lit = literalOf(e);
  if (lit !== undefined) return lit;
  const path = pathOf(e);
  if (path) {
    const v = lookupPath(facts, path);
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

const COMPARISONS = new Set(['_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_']);

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
  if (COMPARISONS.has(fn)) return compare(fn, plainValue(args[0], facts), plainValue(args[1], facts));
  return UNDECIDED;
}

/** true/false when the plain facts decide the condition exactly as CEL would; null otherwise. */
export function decide(c: Compiled, facts: Facts): boolean | null {
  const v = decideBool(c.ast, facts);
  return typeof v === 'boolean' ? v : null;
}
