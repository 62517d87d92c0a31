import { describe, expect, it } from 'vitest';
import { negotiationFacts } from '../../src/diagnose/facts/negotiation.js';
import { downTunnel, evidence, IDS, NOW, tunnel } from '../fixtures/snapshot.js';

const phase1Down = downTunnel(1, 'ike_sa_not_established');
const phase2Down = downTunnel(1, 'ipsec_sa_not_established');

describe('negotiationFacts', () => {
  it('names no cause for an established tunnel, whatever old evidence says', () => {
    const n = negotiationFacts(
      tunnel(),
      evidence(IDS.tunnel1, { diagnosis: [{ failedReasonCode: 'PskMismatch' }] }),
      NOW,
    );
    expect(n.cause).toBe('');
    expect(n.phase).toBe('');
  });

  it('takes the code and corroborates it with the log line', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, {
        diagnosis: [{ failedReasonCode: 'PskMismatch', failedReason: 'PSK differs' }],
        logLines: ['could not decrypt payloads.'],
      }),
      NOW,
    );
    expect(n).toMatchObject({
      cause: 'psk-mismatch',
      source: 'DiagnoseVpnConnections',
      code: 'PskMismatch',
      reason: 'PSK differs',
      phase: 'phase1',
    });
    expect(n.matchedLine).toContain('could not decrypt payloads');
    expect(n.evidenceAgeSeconds).toBe(5);
  });

  it('lets a more specific log signal outrank a generic code', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, {
        diagnosis: [{ failedReasonCode: 'ProposalMismatch' }],
        logLines: ['received KE type 14,expected 2'],
      }),
      NOW,
    );
    expect(n).toMatchObject({
      cause: 'dh-group-mismatch',
      source: 'logs',
      local: 'group2',
      remote: 'group14',
      recommendAlibabaSide: true,
    });
  });

  it('prefers a MAC failure over a generic authentication failure', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, { logLines: ['MAC mismatched', 'received AUTHENTICATION_FAILED notify error'] }),
      NOW,
    );
    expect(n.cause).toBe('psk-mismatch');
    expect(n.matchedLabel).toBe('decryption/MAC failure');
  });

  it('reads a HASH mismatch beside "authentication failure" as an algorithm mismatch', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, { logLines: ['HASH mismatched: my:sha1 peer:sha256', 'authentication failure'] }),
      NOW,
    );
    expect(n).toMatchObject({
      cause: 'ike-algorithm-mismatch',
      local: 'sha1',
      remote: 'sha256',
      param: 'authentication',
      recommendAlibabaSide: true,
    });
  });

  it('does not call retransmits that end in a specific error unreachable', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, {
        logLines: [
          'sending retransmit 1 of request message ID 0, seq 1',
          'sending retransmit 2 of request message ID 0, seq 2',
          "tried 1 shared key for '47.96.10.1' - '203.0.113.10', but MAC mismatched",
        ],
      }),
      NOW,
    );
    expect(n.cause).toBe('psk-mismatch');
    expect(n.peerAnswered).toBe(true);
    // charon's NO_PROPOSAL_CHOSEN to an IKE_SA_INIT names no single cause (algorithms, DH group or
    // IKE version, test/fixtures/ike-logs), but it is an answer: not unreachable either.
    const noProp = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, {
        logLines: [
          'sending retransmit 1 of request message ID 0, seq 1',
          'received NO_PROPOSAL_CHOSEN notify error',
        ],
      }),
      NOW,
    );
    expect(noProp.cause).toBe('');
    expect(noProp.peerAnswered).toBe(true);
  });

  it('calls pure retransmits unreachable, even against a Phase1NegotiationTimeout code', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, {
        diagnosis: [{ failedReasonCode: 'Phase1NegotiationTimeout' }],
        logLines: ['giving up after 5 retransmits'],
      }),
      NOW,
    );
    expect(n.cause).toBe('peer-unreachable');
    expect(n.peerAnswered).toBe(false);
  });

  it('sets aside a phase-2 code on a tunnel stuck in phase 1, and says so', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, { diagnosis: [{ failedReasonCode: 'TrafficSelectorMismatch' }] }),
      NOW,
    );
    expect(n.cause).toBe('');
    expect(n.rejected).toEqual([
      'DiagnoseVpnConnections code TrafficSelectorMismatch names traffic-selector-mismatch, a phase-2 cause, but tunnel 1 is ike_sa_not_established; set aside',
    ]);
    expect(n.rejectedJa[0]).toContain('採用しません');
    expect(n.missing).toContain(
      'DiagnoseVpnConnections: TrafficSelectorMismatch contradicts the tunnel status (set aside)',
    );
  });

  it('sets aside a phase-1 cause once phase 1 is up', () => {
    const n = negotiationFacts(phase2Down, evidence(IDS.tunnel1, { logLines: ['MAC mismatched'] }), NOW);
    expect(n.cause).toBe('');
    expect(n.rejected[0]).toMatch(/psk-mismatch, a phase-1 cause, but tunnel 1 is ipsec_sa_not_established/);
  });

  it('resolves a generic proposal code to IPsec in phase 2 and refines DH values to PFS', () => {
    expect(
      negotiationFacts(
        phase2Down,
        evidence(IDS.tunnel1, {
          diagnosis: [
            { failedReasonCode: 'AlgorithmMismatch', mismatchLocal: 'aes256', mismatchRemote: '3des' },
          ],
        }),
        NOW,
      ).cause,
    ).toBe('ipsec-proposal-mismatch');
    expect(
      negotiationFacts(
        phase2Down,
        evidence(IDS.tunnel1, {
          diagnosis: [
            { failedReasonCode: 'AlgorithmMismatch', mismatchLocal: 'group14', mismatchRemote: 'group2' },
          ],
        }),
        NOW,
      ),
    ).toMatchObject({ cause: 'pfs-mismatch', recommendAlibabaSide: false });
  });

  it('lists what evidence was missing', () => {
    expect(negotiationFacts(phase1Down, undefined, NOW).missing).toEqual([
      'no evidence was collected for this tunnel (DiagnoseVpnConnections, logs)',
    ]);
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, {
        diagnosis: null,
        logLines: ['initiate new phase 1 negotiation'],
        errors: ['DiagnoseVpnConnections: OperationUnsupported.DiagnoseVpn'],
      }),
      NOW,
    );
    expect(n.missing).toEqual([
      'DiagnoseVpnConnections: not available',
      'tunnel logs: 1 line, none names a cause',
      'DiagnoseVpnConnections: OperationUnsupported.DiagnoseVpn',
    ]);
    expect(n.missingJa).toHaveLength(3);
  });

  it('keeps NoExceptionFound as the code while naming no cause', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, { diagnosis: [{ failedReasonCode: 'NoExceptionFound' }] }),
      NOW,
    );
    expect(n).toMatchObject({ cause: '', code: 'NoExceptionFound' });
  });

  it('ignores diagnosis rows of another tunnel', () => {
    const n = negotiationFacts(
      phase1Down,
      evidence(IDS.tunnel1, { diagnosis: [{ failedReasonCode: 'PskMismatch', tunnelId: IDS.tunnel2 }] }),
      NOW,
    );
    expect(n.cause).toBe('');
  });
});
