// The fact catalogue is the truth about the facts: every fact the families compute is catalogued
// (so `rules lint` accepts it and `rules facts` lists it), with the type it really has, and every
// catalogued fact is computed. Checked on what the engine actually computes for every shipped
// scenario, collected over the real SDK from the simulator (as test/scenarios/diagnosis.test.ts does).
import { afterEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { FACT_CATALOGUE } from '../../src/diagnose/fact-catalogue.js';
import { DOCUMENTED_FACTS, FACT_PROVIDERS } from '../../src/diagnose/facts/providers.js';
import { listScenarios } from '../../src/sim/index.js';
import { type Harness, observeScenario } from '../daemon/helpers.js';

const scenarios = listScenarios();
const TYPES = new Map(FACT_CATALOGUE.map((f) => [f.name, f.type]));
/** Documented as a bare map with no field of its own listed: its contents are open. */
const openMap = (name: string) =>
  TYPES.get(name) === 'map' && !FACT_CATALOGUE.some((f) => f.name.startsWith(`${name}.`));

/** Whether a value has the documented CEL type (`bool`, `int|null`, `list<map>` …). */
function hasType(value: unknown, type: string): boolean {
  return type.split('|').some((t) => {
    if (t === 'null') return value === null;
    if (t === 'bool') return typeof value === 'boolean';
    if (t === 'int') return Number.isInteger(value);
    if (t === 'double') return typeof value === 'number';
    if (t === 'string') return typeof value === 'string';
    if (t.startsWith('list')) return Array.isArray(value);
    if (t.startsWith('map')) return typeof value === 'object' && value !== null && !Array.isArray(value);
    return false;
  });
}

/** Every dotted name in `facts` (maps and their fields; a list is one fact), with its value. */
function namesOf(value: unknown, name: string, out: Map<string, unknown>): void {
  if (value === undefined) return;
  out.set(name, value);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || openMap(name)) return;
  for (const [key, v] of Object.entries(value)) namesOf(v, `${name}.${key}`, out);
}

const produced = new Set<string>();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the fact catalogue and the facts the engine computes', () => {
  it('has one provider per root, and every documented fact belongs to one', () => {
    const roots = FACT_PROVIDERS.map((p) => p.name);
    expect(new Set(roots).size).toBe(roots.length);
    expect(DOCUMENTED_FACTS.map((f) => f.name).filter((n) => !TYPES.has(n))).toEqual([]);
    expect(FACT_CATALOGUE.length).toBe(TYPES.size);
  });

  it.each(scenarios)('%s: every computed fact is catalogued, with its type', async (name) => {
    ({ h } = await observeScenario(name));
    const { doctor } = h.parts;
    const seen = new Map<string, unknown>();
    const wrong: string[] = [];
    diagnose(doctor.snapshot()!, {
      onFacts: (scope, facts) => {
        for (const [root, value] of Object.entries(facts)) namesOf(value, root, seen);
        expect(Object.keys(facts).length, scope).toBeGreaterThan(5);
      },
    });
    expect(seen.size).toBeGreaterThan(0);
    for (const [fact, value] of seen) {
      produced.add(fact);
      const type = TYPES.get(fact);
      if (type === undefined) wrong.push(`${fact}: computed but not catalogued`);
      else if (!hasType(value, type))
        wrong.push(`${fact}: catalogued as ${type}, computed ${JSON.stringify(value)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every catalogued fact is computed in some scenario', () => {
    expect(produced.size).toBeGreaterThan(100);
    expect(FACT_CATALOGUE.map((f) => f.name).filter((n) => !produced.has(n))).toEqual([]);
  });
});
