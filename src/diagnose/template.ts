// `{{ CEL expr }}` templates for rule texts, compiled once per rule.
import {
  type CelFacts,
  type Compiled,
  compile,
  display,
  displayPlain,
  evaluate,
  type Facts,
  lookupPath,
} from './cel.js';

export interface Template {
  source: string;
  parts: (string | Compiled)[];
}

export class TemplateError extends Error {}

export function compileTemplate(source: string): Template {
  const parts: (string | Compiled)[] = [];
  let rest = source;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) break;
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`unclosed "{{" in "${source}"`);
    if (open > 0) parts.push(rest.slice(0, open));
    const expr = rest.slice(open + 2, close).trim();
    if (!expr) throw new TemplateError(`empty "{{ }}" in "${source}"`);
    try {
      parts.push(compile(expr));
    } catch (e) {
      throw new TemplateError(`{{ ${expr} }}: ${(e as Error).message}`);
    }
    rest = rest.slice(close + 2);
  }
  if (rest) parts.push(rest);
  return { source, parts };
}

export interface Rendered {
  text: string;
  /** Some expression rendered empty (null, '', empty list) or failed: evidence lines are dropped. */
  hasEmpty: boolean;
}

/** Facts to render with: plain values for plain paths, CEL bindings (built on demand) for the rest. */
export interface RenderFacts {
  plain: Facts;
  cel: () => CelFacts;
}

function exprText(p: Compiled, facts: RenderFacts): string {
  if (p.path) return displayPlain(lookupPath(facts.plain, p.path));
  const out = evaluate(p, facts.cel());
  return out.error ? '' : display(out.value);
}

export function render(t: Template, facts: RenderFacts): Rendered {
  let text = '';
  let hasEmpty = false;
  for (const p of t.parts) {
    if (typeof p === 'string') {
      text += p;
      continue;
    }
    const s = exprText(p, facts);
    if (!s) hasEmpty = true;
    text += s;
  }
  return { text, hasEmpty };
}

/** Render a list of lines, dropping any line with an empty expression. */
export function renderLines(ts: readonly Template[], facts: RenderFacts): string[] {
  const out: string[] = [];
  for (const t of ts) {
    const r = render(t, facts);
    if (!r.hasEmpty && r.text.trim()) out.push(r.text);
  }
  return out;
}

/** Compiled templates of a template list. */
export const templateExprs = (t: Template): Compiled[] =>
  t.parts.filter((p): p is Compiled => typeof p !== 'string');
