import { describe, expect, it, vi } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { buildWorld } from '../../src/diagnose/incidents/spec.js';

vi.mock('../../src/diagnose/facts/routing.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/diagnose/facts/routing.js')>();
  return {
    ...actual,
    routingFacts: () => {
      throw new Error('boom');
    },
  };
});

describe('a fact module that throws', () => {
  it('makes its facts unknown and is reported, while every other rule still runs', () => {
    const { snapshot } = buildWorld({ tunnels: { '1': { status: 'ike_sa_not_established' } } });
    const errors: string[] = [];
    const d = diagnose(snapshot, {
      onRuleError: (rule, subject, message) => errors.push(`${rule}|${subject}|${message}`),
    });
    expect(errors[0]).toBe('facts:routing|vco-bp1conn00000000001|routing facts failed: boom');
    // Rules that read routing fields without checking routing.known fail to evaluate, visibly, and stay silent.
    for (const e of errors.slice(1)) expect(e).toMatch(/\|field not found: /);
    expect(d.findings.map((f) => f.rule).sort()).toEqual(['failover-active', 'negotiation-failed']);
    expect(d.ladders[0]?.layers.find((l) => l.layer === 'routing')).toMatchObject({ state: 'unknown' });
  });
});
