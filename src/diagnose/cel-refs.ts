// Fact references, for lint: dotted paths rooted at free identifiers.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { selectPath } from './cel-ast.js';

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
