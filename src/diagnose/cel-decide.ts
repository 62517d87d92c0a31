// Exact pre-decision on plain facts: a small evaluator for the common shapes of conditions.
// It answers only when every part it needs is decidable with CEL's own semantics (`&&`/`||` are
// commutative and short-circuit errors), and otherwise leaves the decision to CEL.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { type Compiled, type Facts, lookupPath } from './cel.js';
import { literalOf, selectPath } from './cel-ast.js';

type Plain = string | number | boolean | null | readonly unknown[];
const UNDECIDED = Symbol('undecided');
type Val = Plain | typeof UNDECIDED;

/** A condition node compiled to a function of the facts. */
type Node = (facts: Facts) => Val;
const undecided: Node = () => UNDECIDED;

// Rule ASTs are compiled once and asked about for every subject of every evaluation (6,000 at
// 4,000 tunnels): each condition becomes a tree of closures on first use, so the per-subject work
// is the lookups and comparisons alone, not walking and matching the AST again.
const compiled = new WeakMap<Compiled, Node>();

function isPlain(v: unknown): v is Plain {
  return (
    v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v)
  );
}

/** A value node: a literal, a fact path, size() of one, or exists/all over an empty list. */
function plainNode(e: Expr | undefined): Node {
  if (!e) return undecided;
  const lit = literalOf(e);
  if (lit !== undefined) return () => lit;
  const path = selectPath(e);
  if (path) {
    return (facts) => {
      const v = lookupPath(facts, path);
      return isPlain(v) ? v : UNDECIDED;
    };
  }
  const k = e.exprKind;
  if (k.case === 'callExpr' && k.value.function === 'size') {
    const arg = plainNode(k.value.target ?? k.value.args[0]);
    return (facts) => {
      const v = arg(facts);
      return typeof v === 'string' || Array.isArray(v) ? v.length : UNDECIDED;
    };
  }
  if (k.case === 'comprehensionExpr') {
    // exists/all over an empty list: the result is the accumulator's initial value.
    const range = plainNode(k.value.iterRange);
    const init = literalOf(k.value.accuInit);
    if (typeof init !== 'boolean') return undecided;
    return (facts) => {
      const r = range(facts);
      return Array.isArray(r) && r.length === 0 ? init : UNDECIDED;
    };
  }
  return boolNode(e);
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

/** A boolean node: `&&`, `||`, `!`, comparisons, boolean facts and literals; anything else is undecided. */
function boolNode(e: Expr): Node {
  const k = e.exprKind;
  if (k.case === 'selectExpr' || k.case === 'identExpr') {
    // A presence test (has()) is no path: CEL decides it.
    if (!selectPath(e)) return undecided;
    const value = plainNode(e);
    return (facts) => {
      const v = value(facts);
      return typeof v === 'boolean' ? v : UNDECIDED;
    };
  }
  if (k.case === 'constExpr') {
    const v = literalOf(e);
    const out: Val = typeof v === 'boolean' ? v : UNDECIDED;
    return () => out;
  }
  if (k.case === 'comprehensionExpr') return plainNode(e);
  if (k.case !== 'callExpr' || k.value.target) return undecided;
  const fn = k.value.function;
  const args = k.value.args;
  if (fn === '!_') {
    const arg = args[0] ? boolNode(args[0]) : undecided;
    return (facts) => {
      const v = arg(facts);
      return typeof v === 'boolean' ? !v : UNDECIDED;
    };
  }
  if (fn === '_&&_' || fn === '_||_') {
    const short = fn === '_||_';
    const parts = args.map(boolNode);
    return (facts) => {
      let all = true;
      for (const part of parts) {
        const v = part(facts);
        if (v === short) return short;
        if (v !== !short) all = false;
      }
      return all ? !short : UNDECIDED;
    };
  }
  if (COMPARISONS.has(fn)) {
    const a = plainNode(args[0]);
    const b = plainNode(args[1]);
    return (facts) => compare(fn, a(facts), b(facts));
  }
  return undecided;
}

/** true/false when the plain facts decide the condition exactly as CEL would; null otherwise. */
export function decide(c: Compiled, facts: Facts): boolean | null {
  let node = compiled.get(c);
  if (!node) {
    node = boolNode(c.ast);
    compiled.set(c, node);
  }
  const v = node(facts);
  return typeof v === 'boolean' ? v : null;
}
