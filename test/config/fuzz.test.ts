// Input hostility (issue 8): random and oversized config text never crashes the loader with
// anything but a ConfigError, and stays fast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';

function outcome(text: string, env: Record<string, string> = {}): 'ok' | 'config-error' {
  try {
    parseConfig(text, 'fuzz.yaml', env);
    return 'ok';
  } catch (err) {
    if (err instanceof ConfigError) {
      expect(err.problems.length).toBeGreaterThan(0);
      for (const line of err.lines) expect(line.startsWith('fuzz.yaml: ')).toBe(true);
      return 'config-error';
    }
    throw err;
  }
}

const yamlish = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.stringMatching(/^[a-z:{}[\]\-, "'$&*!|>#\n\t0-9]{0,300}$/),
  fc
    .record({
      key: fc.constantFrom('server', 'poll', 'accounts', 'api', 'storage', 'rules', 'logging', 'bogus'),
      value: fc.jsonValue({ maxDepth: 4 }),
    })
    .map(
      ({ key, value }) => `${key}: ${JSON.stringify(value)}\naccounts: [{ name: a, regions: [cn-hangzhou] }]`,
    ),
);

describe('config loader under hostile input', () => {
  it('only ever returns a config or throws a ConfigError', () => {
    fc.assert(
      fc.property(
        yamlish,
        fc.dictionary(fc.stringMatching(/^[A-Z_]{1,8}$/), fc.string({ maxLength: 50 })),
        (text, env) => {
          expect(['ok', 'config-error']).toContain(outcome(text, env));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('rejects oversized input quickly, before parsing', () => {
    const started = performance.now();
    const huge = `accounts:\n${'  - { name: a, regions: [cn-hangzhou] }\n'.repeat(40_000)}`;
    expect(outcome(huge)).toBe('config-error');
    expect(() => parseConfig(huge, 'fuzz.yaml', {})).toThrow(
      'fuzz.yaml: the file is larger than 1048576 bytes',
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('survives an alias bomb (billion laughs) without expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const started = performance.now();
    expect(outcome(bomb)).toBe('config-error');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('handles deep nesting and long strings in values', () => {
    const deep = `server: ${'['.repeat(500)}${']'.repeat(500)}\naccounts: [{ name: a, regions: [cn-hangzhou] }]`;
    expect(outcome(deep)).toBe('config-error');
    const long = `server: { authToken: "${'x'.repeat(500_000)}" }\naccounts: [{ name: a, regions: [cn-hangzhou] }]`;
    expect(outcome(long)).toBe('ok');
  });
});
