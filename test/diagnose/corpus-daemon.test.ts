// The daemon's reading of tunnel logs (negotiation facts) on the real-log corpus: it may say less
// than `logs classify` (one cause or none), but never a cause the log does not support.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { negotiationFacts } from '../../src/diagnose/facts/negotiation.js';
import { classifyText } from '../../src/diagnose/logs/classify.js';
import { corpusScenarios, defaultCorpusDir, SIDES } from '../../src/diagnose/logs/corpus.js';
import { evidence, IDS, logs, NOW, tunnel } from '../fixtures/snapshot.js';

const dir = defaultCorpusDir();

describe.each(corpusScenarios(dir))('negotiation facts on corpus %s', (scenario) => {
  const expected = JSON.parse(readFileSync(join(dir, scenario, 'expected.json'), 'utf8'));
  it.each(SIDES)('%s side', (side) => {
    const want = expected[side] as { cause: string | null; candidates: string[] };
    if (want.cause === null) return;
    const text = readFileSync(join(dir, scenario, `${side}.log`), 'utf8');
    const lines = text.split('\n').filter(Boolean);
    const layer = classifyText(text, side).phase;
    const status = layer === 'ipsec' ? 'ipsec_sa_not_established' : 'ike_sa_not_established';
    const n = negotiationFacts(
      tunnel({ status }),
      evidence(IDS.tunnel1, { logs: logs(IDS.tunnel1, lines) }),
      NOW,
    );
    const allowed = want.cause === 'negotiation-failed' ? want.candidates : [want.cause];
    if (n.cause) expect(allowed, `${scenario}/${side}: ${n.matchedLine}`).toContain(n.cause);
  });
});
