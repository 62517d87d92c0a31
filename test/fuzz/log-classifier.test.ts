// Input hostility (issue 8): gateway log lines are text from the network; the classifier must take
// random, adversarial and oversized input without throwing, in bounded time and memory, and keep
// its output within its own caps. (test/diagnose/log-classifier.test.ts covers what it recognises.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyLogs, MAX_LINE_LENGTH, MAX_LINES } from '../../src/diagnose/facts/log-classifier.js';
import { LOG_PATTERNS } from '../../src/diagnose/facts/log-patterns.js';

/** Fragments that steer lines into the classifier's patterns and value extraction. */
const KEYWORDS = [
  ...new Set(LOG_PATTERNS.flatMap((p) => [...(p.any ?? []), ...(p.seq ?? [])])),
  'received ke type 14, expected 2',
  'my:sha1 peer:sha256',
  'DB(x):Peer(y) = group2:group14',
  'received proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048',
  'configured proposals: ESP:AES_CBC_128/HMAC_SHA1_96',
  'proposed aes128, configured aes256',
  'modp_',
  ', expected ',
];

const hostileLine = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(fc.oneof(fc.constantFrom(...KEYWORDS), fc.string({ maxLength: 20 })), { maxLength: 12 })
    .map((parts) => parts.join(' ')),
  fc.constantFrom(...KEYWORDS).map((k) => k.repeat(200)),
);

function checkShape(lines: readonly string[]): void {
  const out = classifyLogs(lines);
  expect(out.linesSeen).toBeLessThanOrEqual(MAX_LINES);
  expect(out.linesSeen).toBeLessThanOrEqual(lines.length);
  for (const s of out.signals) {
    expect(s.line.length).toBeLessThanOrEqual(MAX_LINE_LENGTH);
    expect(s.position).toBeGreaterThanOrEqual(0);
    expect(s.position).toBeLessThan(Math.max(1, out.linesSeen));
    expect(typeof s.label).toBe('string');
    if (s.local !== undefined) expect(s.local.length).toBeLessThanOrEqual(MAX_LINE_LENGTH);
  }
}

describe('log classifier under hostile input', () => {
  it('never throws and stays within its caps on random lines', () => {
    fc.assert(
      fc.property(fc.array(hostileLine, { maxLength: 250 }), (lines) => checkShape(lines)),
      { numRuns: 300 },
    );
  });

  it('classifies 1 MB single lines and 1 MB of lines in bounded time and memory', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const megaLine = `${'MAC mismatched my:a peer:b '.repeat(40_000)}`.slice(0, 1024 * 1024);
    checkShape([megaLine]);
    const manyLines = Array.from(
      { length: 5_000 },
      (_, i) => `${KEYWORDS[i % KEYWORDS.length]} ${'x'.repeat(200)}`,
    );
    expect(manyLines.join('\n').length).toBeGreaterThan(1024 * 1024);
    checkShape(manyLines);
    // Pathological for backtracking: long runs of pattern prefixes without the closing part.
    checkShape([
      `${'my: '.repeat(250_000)}`,
      `${'a, expected'.repeat(90_000)}`,
      `${'modp_'.repeat(200_000)}`,
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  });
});
