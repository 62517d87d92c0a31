// The real-log corpus (test/fixtures/ike-logs/<scenario>/{gateway.log,peer.log,expected.json},
// recorded from the strongSwan lab) and the classifier's scoreboard on it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sameElements } from '../../model/same-data.js';
import type { CauseRegistry } from '../causes/registry.js';
import { shippedRulesDir } from '../rules-loader.js';
import { classifyText, type LogVerdict, type Side } from './classify.js';

export const SIDES: readonly Side[] = ['gateway', 'peer'];

export interface Expectation {
  cause: string | null;
  candidates: string[];
}

export interface ScoreRow {
  scenario: string;
  side: Side;
  expected: Expectation;
  answered: LogVerdict;
  right: boolean;
}

/** The corpus shipped with the project (beside rules/). */
export const defaultCorpusDir = (): string =>
  resolve(shippedRulesDir(), '..', 'test', 'fixtures', 'ike-logs');

function expectationOf(raw: unknown, side: Side, file: string): Expectation {
  const root = (raw ?? {}) as Record<string, unknown>;
  const sides = (root.expected ?? root) as Record<string, unknown>;
  const e = sides[side] as Partial<Expectation> | undefined;
  if (!e || !('cause' in e) || !Array.isArray(e.candidates))
    throw new Error(`${file}: no expectation for side "${side}" ({ cause, candidates })`);
  return { cause: e.cause ?? null, candidates: e.candidates };
}

/** Right: the same cause, and the same candidates (in any order). */
export function agrees(expected: Expectation, answered: LogVerdict): boolean {
  if (expected.cause !== answered.cause) return false;
  return sameElements([...expected.candidates].sort(), [...answered.candidates].sort());
}

/** Scenario directories of a corpus (those with an expected.json). */
export function corpusScenarios(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`corpus directory not found: ${dir}`);
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'expected.json')))
    .sort();
}

/** Classify every scenario's logs, from both sides, against the recorded expectation. */
export function scoreCorpus(dir: string, registry?: CauseRegistry): ScoreRow[] {
  const rows: ScoreRow[] = [];
  for (const scenario of corpusScenarios(dir)) {
    const file = join(dir, scenario, 'expected.json');
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    for (const side of SIDES) {
      const log = join(dir, scenario, `${side}.log`);
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      const expected = expectationOf(raw, side, file);
      const answered = classifyText(text, side, registry);
      rows.push({ scenario, side, expected, answered, right: agrees(expected, answered) });
    }
  }
  return rows;
}

const show = (e: { cause: string | null; candidates: string[] }) =>
  e.cause === null
    ? 'no failure'
    : e.cause === 'negotiation-failed'
      ? `negotiation-failed [${e.candidates.join(', ')}]`
      : e.cause;

/** The scoreboard as a table. */
export function formatScoreboard(rows: ScoreRow[]): string {
  const w = Math.max(8, ...rows.map((r) => r.scenario.length));
  const x = Math.max(8, ...rows.map((r) => show(r.expected).length));
  const out = [`${'SCENARIO'.padEnd(w)}  SIDE     ${'EXPECTED'.padEnd(x)}  ANSWERED`];
  for (const r of rows)
    out.push(
      `${r.scenario.padEnd(w)}  ${r.side.padEnd(7)}  ${show(r.expected).padEnd(x)}  ${show(r.answered)}${r.right ? '' : '   <-- WRONG'}`,
    );
  const wrong = rows.filter((r) => !r.right).length;
  out.push('', `${rows.length - wrong} of ${rows.length} right${wrong ? `, ${wrong} wrong` : ''}`);
  return `${out.join('\n')}\n`;
}
