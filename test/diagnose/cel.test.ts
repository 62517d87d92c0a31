import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, display, evaluate, factRefs, guardsReject, toCelFacts } from '../../src/diagnose/cel.js';
import { compileTemplate, render, renderLines } from '../../src/diagnose/template.js';

describe('CEL helpers', () => {
  const facts = {
    tunnel: { down: true, index: 1, id: 'tun-1', list: ['a', 'b'] },
    negotiation: { cause: 'psk-mismatch', n: null },
  };
  const cel = toCelFacts(facts);

  it('evaluates over converted facts', () => {
    expect(evaluate(compile('tunnel.down && negotiation.cause == "psk-mismatch"'), cel).value).toBe(true);
    expect(evaluate(compile('tunnel.index == 1 && tunnel.list.size() == 2'), cel).value).toBe(true);
    expect(evaluate(compile('tunnel.nope'), cel).error).toMatch(/nope/);
  });

  it('rejects with guards only when CEL would say false', () => {
    expect(guardsReject(compile('!tunnel.down && x.y'), facts)).toBe(true);
    expect(guardsReject(compile('negotiation.cause == "dpd-timeout" && tunnel.down'), facts)).toBe(true);
    expect(guardsReject(compile('negotiation.cause != "psk-mismatch"'), facts)).toBe(true);
    expect(guardsReject(compile('tunnel.down || false'), facts)).toBe(false);
    expect(guardsReject(compile('missing.path && tunnel.down'), facts)).toBe(false);
    expect(guardsReject(compile('negotiation.n == null'), facts)).toBe(false);
  });

  it('guards agree with CEL on random facts', () => {
    const exprs = [
      'a.b && c == "x"',
      '!a.b && c != "y"',
      'a.b && a.n == 2 && c == "x"',
      'a.n != 3 && !a.b',
    ].map(compile);
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 1, max: 3 }), (b, c, n) => {
        const f = { a: { b, n }, c };
        const celFacts = toCelFacts(f);
        for (const e of exprs) if (guardsReject(e, f)) expect(evaluate(e, celFacts).value).toBe(false);
      }),
    );
  });

  it('lists fact paths, excluding comprehension variables', () => {
    const refs = factRefs(compile('tunnels.exists(t, t.zone == connection.zones[0]) && has(gateway.id)').ast);
    expect(refs.sort()).toEqual(['connection.zones', 'gateway', 'tunnels']);
  });

  it('displays lists joined and null as empty', () => {
    expect(display(evaluate(compile('tunnel.list'), cel).value)).toBe('a, b');
    expect(display(null)).toBe('');
  });
});

describe('templates', () => {
  const cel = toCelFacts({ t: { id: 'tun-1', empty: '', list: [] as string[], n: 0 } });
  it('substitutes expressions', () => {
    expect(render(compileTemplate('Tunnel {{ t.id }} has {{ t.n }} changes'), cel)).toEqual({
      text: 'Tunnel tun-1 has 0 changes',
      hasEmpty: false,
    });
  });
  it('drops lines with an empty, null or failing expression', () => {
    const lines = [
      'kept {{ t.id }}',
      'dropped {{ t.empty }}',
      'dropped {{ t.list }}',
      'dropped {{ t.missing }}',
      'plain',
    ].map(compileTemplate);
    expect(renderLines(lines, cel)).toEqual(['kept tun-1', 'plain']);
  });
  it('reports template syntax errors', () => {
    expect(() => compileTemplate('{{ t.id ')).toThrow(/unclosed/);
    expect(() => compileTemplate('{{ t.id && }}')).toThrow(/t.id &&/);
  });
});
