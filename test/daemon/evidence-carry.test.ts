import { describe, expect, it } from 'vitest';
import { keepCapturedCause } from '../../src/collect/evidence-carry.js';
import type { TunnelEvidence } from '../../src/model/snapshot.js';

const evidence = (at: number, code: string | null): TunnelEvidence => ({
  tunnelId: 'tun-1',
  connectionId: 'vco-1',
  collectedAt: at,
  diagnosis:
    code === null
      ? []
      : [
          {
            connectionId: 'vco-1',
            tunnelId: 'tun-1',
            failedReasonCode: code,
            failedReason: code,
            failedTime: at,
            mismatchLocal: '',
            mismatchRemote: '',
            severity: 'Critical',
            sourceLog: '',
          },
        ],
  logs: null,
  errors: [],
});

describe('keepCapturedCause', () => {
  it('keeps an earlier specific code when the later capture names none and the tunnel stayed down', () => {
    const kept = keepCapturedCause(evidence(1000, 'PskMismatch'), evidence(200_000, null), null);
    expect(kept.diagnosis?.[0]?.failedReasonCode).toBe('PskMismatch');
    expect(kept.collectedAt).toBe(200_000);
    expect(kept.errors.join()).toMatch(/kept/);
  });

  it('treats NoExceptionFound as naming no cause', () => {
    const kept = keepCapturedCause(
      evidence(1000, 'DhGroupMismatch'),
      evidence(200_000, 'NoExceptionFound'),
      500,
    );
    expect(kept.diagnosis?.[0]?.failedReasonCode).toBe('DhGroupMismatch');
  });

  it('drops the earlier code once the tunnel has been up since (a new outage)', () => {
    const next = evidence(200_000, null);
    expect(keepCapturedCause(evidence(1000, 'PskMismatch'), next, 5000)).toBe(next);
  });

  it('prefers a new specific code', () => {
    const next = evidence(200_000, 'Phase1NegotiationTimeout');
    expect(keepCapturedCause(evidence(1000, 'PskMismatch'), next, null)).toBe(next);
  });
});
