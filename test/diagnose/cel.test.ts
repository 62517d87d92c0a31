import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, display, evaluate, toCelFacts } from '../../src/diagnose/cel.js';
import { decide } from '../../src/diagnose/cel-decide.js';
import { factRefs } from '../../src/diagnose/cel-refs.js';
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

  it('pre-decides common shapes exactly and leaves the rest to CEL', () => {
    const d = (e: string) => decide(compile(e), facts);
    expect(d('!tunnel.down && x.y')).toBe(false);
    expect(d('negotiation.cause == "dpd-timeout" && tunnel.down')).toBe(false);
    expect(d('tunnel.down && negotiation.cause == "psk-mismatch"')).toBe(true);
    expect(d('tunnel.down || x.y')).toBe(true);
    expect(d('tunnel.list.size() > 1 && size(tunnel.list) == 2')).toBe(true);
    expect(d('negotiation.n == null')).toBe(true);
    expect(d('missing.path && tunnel.down')).toBeNull();
    expect(d('tunnel.id.startsWith("tun")')).toBeNull();
    expect(d('tunnel.list.exists(x, x == "a")')).toBeNull();
    expect(decide(compile('l.exists(x, x == "a")'), { l: [] })).toBe(false);
    expect(decide(compile('l.all(x, x == "a")'), { l: [] })).toBe(true);
    expect(d('tunnel.index == "1"')).toBeNull();
  });

  it('agrees with CEL whenever it decides, on random facts', () => {
    const exprs = [
      'a.b && c == "x"',
      '!a.b || c != "y"',
      'a.b && a.n >= 2 && c == "x"',
      'a.n != 3 && !a.b',
      'size(a.l) > 0 || a.n < 2',
      'a.l.size() == a.n',
      'a.l.exists(v, v == "p") && a.b',
      '!(a.b && a.n <= 1) || a.l.all(v, v != "q")',
      'a.z == null || a.z == "x"',
    ].map(compile);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom('x', 'y', 'z'),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.constantFrom('p', 'q'), { maxLength: 3 }),
        fc.option(fc.constantFrom('x', 'w')),
        (b, c, n, l, z) => {
          const f = { a: { b, n, l, z }, c };
          const celFacts = toCelFacts(f);
          for (const e of exprs) {
            const pre = decide(e, f);
            if (pre !== null) expect(evaluate(e, celFacts).value, e.source).toBe(pre);
          }
        },
      ),
      { numRuns: 300 },
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
  const plain = { t: { id: 'tun-1', empty: '', list: [] as string[], n: 0 } };
  const cel = { plain, cel: () => toCelFacts(plain) };
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
  it('renders plain paths exactly as CEL would', () => {
    const f = {
      v: {
        s: 'x',
        n: 1.5,
        i: 14,
        b: false,
        z: null,
        l: ['a', '', 'b'],
        e: [] as string[],
        m: { k: 1 },
        nested: [['a'], ['b']],
      },
    };
    const both = { plain: f, cel: () => toCelFacts(f) };
    for (const key of ['s', 'n', 'i', 'b', 'z', 'l', 'e', 'm', 'nested', 'missing']) {
      const direct = compileTemplate(`{{ v.${key} }}`);
      const viaCel = compileTemplate(`{{ true ? v.${key} : v.${key} }}`);
      expect(direct.parts[0]).toHaveProperty('path', ['v', key]);
      expect(render(direct, both), key).toEqual(render(viaCel, both));
    }
  });
  it('reports template syntax errors', () => {
    expect(() => compileTemplate('{{ t.id ')).toThrow(/unclosed/);
    expect(() => compileTemplate('{{ t.id && }}')).toThrow(/t.id &&/);
  });
});
