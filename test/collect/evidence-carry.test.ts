import { describe, expect, it } from 'vitest';
import { keepCapturedCause } from '../../src/collect/evidence-carry.js';
import { evidence, IDS, NOW } from '../fixtures/snapshot.js';

const earlier = {
  ...evidence(IDS.tunnel1, { diagnosis: [{ failedReasonCode: 'PskMismatch' }] }),
  collectedAt: NOW - 300_000,
};
const later = {
  ...evidence(IDS.tunnel1, { diagnosis: [{ failedReasonCode: 'NoExceptionFound' }] }),
  collectedAt: NOW,
};

describe('keepCapturedCause', () => {
  it('keeps the cause captured earlier in the same outage when the new capture names none', () => {
    const kept = keepCapturedCause(earlier, later, NOW - 600_000);
    expect(kept.diagnosis?.map((d) => d.failedReasonCode)).toEqual(['PskMismatch']);
    expect(kept.collectedAt).toBe(NOW);
    expect(kept.errors).toEqual([expect.stringContaining('kept: the tunnel has stayed down')]);
    expect(keepCapturedCause(earlier, later, null).diagnosis?.[0]?.failedReasonCode).toBe('PskMismatch');
  });

  it('drops the old cause once the tunnel was up after it, or when the new capture names its own', () => {
    expect(keepCapturedCause(earlier, later, NOW - 60_000)).toBe(later);
    const own = { ...later, diagnosis: [{ ...later.diagnosis![0]!, failedReasonCode: 'DpdTimeout' }] };
    expect(keepCapturedCause(earlier, own, null)).toBe(own);
    expect(keepCapturedCause(undefined, later, null)).toBe(later);
  });
});
