import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { defaultIncidentsDir, lint, test as replay, run } from '../../src/cli/commands/rules.js';
import { shippedRulesDir } from '../../src/diagnose/rules-loader.js';

const capture = () => {
  let text = '';
  const out = (t: string) => {
    text += t;
  };
  return { out, text: () => text };
};

describe('rules lint', () => {
  it('passes on the shipped rules', () => {
    const c = capture();
    expect(lint(shippedRulesDir(), c.out)).toBe(0);
    expect(c.text()).toMatch(/ok/);
  });

  it('reports schema errors, CEL that does not compile and unknown facts, with file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alivpn-lint-'));
    writeFileSync(
      join(dir, 'a.yaml'),
      'id: a\nlayer: nowhere\nseverity: info\nscope: tunnel\nrunbook: a\nwhen: "true"\ntext: {en: {title: a, summary: b, remediation: [c]}, ja: {title: a, summary: b}}\n',
    );
    writeFileSync(
      join(dir, 'b.yaml'),
      'id: b\nlayer: ike\nseverity: info\nscope: connection\nrunbook: b\nwhen: "connection.down &&"\nevidence: ["{{ negotiation.cause }}", "{{ connection.nothing }}"]\ntext: {en: {title: a, summary: b, remediation: [c]}, ja: {title: a, summary: b, remediation: [c]}}\n',
    );
    writeFileSync(join(dir, 'c.yaml'), 'id: c\n  bad: [yaml\n');
    const c = capture();
    expect(lint(dir, c.out)).toBe(1);
    const text = c.text();
    expect(text).toContain(`${join(dir, 'a.yaml')}: layer: Invalid option`);
    expect(text).toContain(`${join(dir, 'a.yaml')}: text.ja.remediation:`);
    expect(text).toContain(`${join(dir, 'b.yaml')}: when: CEL does not compile`);
    expect(text).toContain(
      `${join(dir, 'b.yaml')}: evidence.0: "negotiation.cause" exists only in tunnel scope`,
    );
    expect(text).toContain(`${join(dir, 'b.yaml')}: evidence.1: unknown fact "connection.nothing"`);
    expect(text).toContain(`${join(dir, 'c.yaml')}: (file): not valid YAML`);
  });

  it('fails on a missing directory', () => {
    const c = capture();
    expect(lint('/nonexistent/rules', c.out)).toBe(1);
    expect(c.text()).toContain('rules directory not found');
  });
});

describe('rules test', () => {
  it('passes every recorded incident with the shipped rules', () => {
    const c = capture();
    const code = replay(defaultIncidentsDir(), [], c.out);
    expect(c.text()).toMatch(/\d+ passed, 0 failed/);
    expect(code).toBe(0);
  });

  it('prints FAIL rows and exits 1 when an incident is not diagnosed as recorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alivpn-inc-'));
    writeFileSync(
      join(dir, 'wrong.yaml'),
      'name: healthy is not a PSK mismatch\nworld: {}\nexpect: [{rule: psk-mismatch, tunnel: 1}]\n',
    );
    writeFileSync(
      join(dir, 'right.json'),
      JSON.stringify({ name: 'healthy', world: {}, expect: [], only: true }),
    );
    const c = capture();
    expect(replay(dir, [], c.out)).toBe(1);
    expect(c.text()).toMatch(
      /healthy is not a PSK mismatch\s+FAIL\s+missing psk-mismatch@tun-bp1tunnel1000000001/,
    );
    expect(c.text()).toMatch(/healthy\s+PASS/);
    expect(c.text()).toContain('1 passed, 1 failed');
  });

  it('rejects unknown sub-commands as usage errors', async () => {
    await expect(run(['frobnicate'])).rejects.toBeInstanceOf(UsageError);
  });
});
