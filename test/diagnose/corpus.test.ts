// The classifier against real IKE: every scenario of the recorded strongSwan corpus
// (test/fixtures/ike-logs, two real charon 5.9.8 daemons), from each side. The expected answer is
// what that side's log can honestly tell (recorded with the logs, not derived from this code).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyText } from '../../src/diagnose/logs/classify.js';
import { corpusScenarios, defaultCorpusDir, SIDES, scoreCorpus } from '../../src/diagnose/logs/corpus.js';

const dir = defaultCorpusDir();
const scenarios = corpusScenarios(dir);

describe('real-log corpus', () => {
  it('has the scenarios of the lab', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(scenarios)('%s', (scenario) => {
    const expected = JSON.parse(readFileSync(join(dir, scenario, 'expected.json'), 'utf8'));
    it.each(SIDES)('%s side', (side) => {
      const text = readFileSync(join(dir, scenario, `${side}.log`), 'utf8');
      const v = classifyText(text, side);
      const want = expected[side] as { cause: string | null; candidates: string[] };
      expect(v.cause).toBe(want.cause);
      expect([...v.candidates].sort()).toEqual([...want.candidates].sort());
      // A named cause or an honest fallback always shows the line it stands on.
      if (v.cause !== null) expect(v.evidence.length).toBeGreaterThan(0);
      for (const e of v.evidence) expect(text).toContain(e.line);
    });
  });

  it('scores all green', () => {
    const rows = scoreCorpus(dir);
    expect(rows.filter((r) => !r.right).map((r) => `${r.scenario}/${r.side}`)).toEqual([]);
  });
});
