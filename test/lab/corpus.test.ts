// The real-log corpus (test/fixtures/ike-logs) is whole and honest: every lab scenario is recorded
// from both sides, the logs are charon's own file-log lines, expected.json follows the scenario
// table and names only real rule ids, and what each log shows agrees with the recorded outcome.
// Runs without root (it reads the committed recordings).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, CORPUS_FILES, readCorpusFile } from '../../scripts/gen-ike-corpus.js';
import { SCENARIOS } from '../../src/lab/index.js';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');
const RULE_IDS = new Set(
  readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, '')),
);
/** A charon file-log line: `Dec  6 01:51:44 09[IKE] <conn|1> …` (time_format %b %e %T). */
const CHARON_LINE = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d\d\[[A-Z]{3}\] /;

interface Side {
  cause: string | null;
  candidates: string[];
}
interface Expected {
  scenario: string;
  strongswanVersion: string;
  outcome: string;
  gateway: Side;
  peer: Side;
}

const dirs = readdirSync(CORPUS_DIR).filter((d) => statSync(join(CORPUS_DIR, d)).isDirectory());

describe('IKE log corpus', () => {
  it('holds exactly the lab scenarios', () => {
    expect(dirs.sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  for (const scenario of SCENARIOS) {
    describe(scenario.name, () => {
      const read = (f: string) => readCorpusFile(scenario.name, f);

      it('has every file, and both logs are unedited charon file logs of the recorded version', () => {
        for (const f of CORPUS_FILES) expect(existsSync(join(CORPUS_DIR, scenario.name, f)), f).toBe(true);
        const expected = JSON.parse(read('expected.json')) as Expected;
        for (const side of ['gateway', 'peer'] as const) {
          const lines = read(`${side}.log`).split('\n').filter(Boolean);
          expect(lines[0]).toContain(`Starting IKE charon daemon (strongSwan ${expected.strongswanVersion},`);
          for (const line of lines) expect(line).toMatch(CHARON_LINE);
        }
      });

      it('expected.json follows the scenario table and names real rule ids', () => {
        const expected = JSON.parse(read('expected.json')) as Expected;
        expect(expected.scenario).toBe(scenario.name);
        expect(expected.outcome).toBe(scenario.outcome);
        expect(expected.strongswanVersion).toMatch(/^\d+\.\d+\.\d+/);
        for (const side of ['gateway', 'peer'] as const) {
          const e = expected[side];
          expect(e, side).toEqual(scenario.expected[side]);
          for (const c of e.candidates) expect(RULE_IDS, `${side} candidate ${c}`).toContain(c);
          expect(new Set(e.candidates).size, `${side}: duplicate candidates`).toBe(e.candidates.length);
          if (e.cause === null) expect(e.candidates, `${side}: no failure, no candidates`).toEqual([]);
          else if (e.cause === 'negotiation-failed') expect(e.candidates).not.toContain('negotiation-failed');
          else {
            expect(RULE_IDS, `${side} cause`).toContain(e.cause);
            expect(e.candidates[0], `${side}: a named cause leads its candidates`).toBe(e.cause);
          }
        }
      });

      it('the logs show the recorded outcome', () => {
        const peer = read('peer.log');
        const ikeUp = /IKE_SA to-alibaba\[\d+\] established between/.test(peer);
        const childUp = /CHILD_SA to-alibaba\{\d+\} established with SPIs/.test(peer);
        switch (scenario.outcome) {
          case 'established':
            expect(ikeUp && childUp).toBe(true);
            break;
          case 'child-failed':
            expect(ikeUp).toBe(true);
            expect(peer).toMatch(
              /failed to establish CHILD_SA|unable to install|received NO_PROPOSAL_CHOSEN error notify/,
            );
            break;
          case 'failed':
            expect(ikeUp).toBe(false);
            break;
          case 'gave-up':
            expect(ikeUp).toBe(false);
            expect(peer).toMatch(/giving up after \d+ retransmits/);
            break;
        }
        if (scenario.expected.gateway.cause === null && scenario.outcome !== 'established')
          // A gateway log that "shows no failure" while the tunnel failed: it must show nothing of it.
          expect(read('gateway.log')).not.toMatch(/\[IKE\] <[^>]*> .*(failed|unacceptable|mismatch)/i);
      });
    });
  }
});
