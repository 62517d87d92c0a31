// Reading CEL ASTs: dotted select paths and literal constants.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

/** `a.b.c` as ['a','b','c'], or null when the expression is not a plain select chain. */
export function selectPath(e: Expr | undefined): string[] | null {
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

/** A constant's value (int64 as number), or undefined when `e` is not a supported constant. */
export function literalOf(e: Expr | undefined): string | number | boolean | null | undefined {
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
