// Cross-check with the simulator: the log lines it prints for every FailedReasonCode, in racoon and
// strongSwan phrasing, are read as the cause the code maps to.
import { describe, expect, it } from 'vitest';
import { resolvePhased } from '../../src/diagnose/facts/causes.js';
import { negotiationFacts } from '../../src/diagnose/facts/negotiation.js';
import { mapReasonCode } from '../../src/diagnose/facts/reason-codes.js';
import { CAUSE_LINES, PHASE1_START } from '../../src/sim/world/log-templates.js';
import { CAUSES, statusFor } from '../../src/sim/world/negotiate.js';
import type { FailedReasonCode } from '../../src/sim/world/types.js';
import { evidence, IDS, logs, NOW, tunnel } from '../fixtures/snapshot.js';

const ctx = {
  local: '47.96.10.1',
  peer: '203.0.113.10',
  mismatchLocal: 'aes256',
  mismatchRemote: 'aes',
  spi: '0123456789abcdef',
  conn: IDS.connection,
  mode: 'main' as const,
};

describe.each(['racoon', 'strongswan'] as const)('simulator logs (%s)', (style) => {
  const codes = Object.keys(CAUSE_LINES) as FailedReasonCode[];
  it.each(codes)('%s', (code) => {
    const lines = [...PHASE1_START[style], ...CAUSE_LINES[code](style)].map(
      (t) => `${t.where}(): ${t.text(ctx)}`,
    );
    const status = statusFor({ code, phase: CAUSES[code].phase });
    const t = tunnel({ status });
    const n = negotiationFacts(t, evidence(IDS.tunnel1, { logs: logs(IDS.tunnel1, lines) }), NOW);
    const mapped = mapReasonCode(code).cause;
    expect(n.cause).toBe(mapped ? resolvePhased(mapped, t.ikeSaUp) : '');
  });
});
