// IPsec-only parameters with no id of their own; algorithm proposals in phase 2 arrive here through
// ike-algorithm-mismatch's `phased: 'proposal'` codes and lines.
import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'ipsec-proposal-mismatch',
  phase: 'phase2',
  layer: 'ipsec',
  runbook: 'ipsec-proposal-mismatch',
  codes: [
    {
      code: 'SecurityProtocolMismatch',
      reason: 'Security protocol mismatch',
      phase: 2,
      weight: 90,
      note: 'the peer proposes AH; Alibaba Cloud supports only ESP',
    },
    {
      code: 'EncapsulationModeMismatch',
      reason: 'Encapsulation mode mismatch',
      phase: 2,
      weight: 90,
      note: 'the peer proposes transport mode; Alibaba Cloud supports only tunnel mode',
    },
    {
      code: 'CommitMismatch',
      reason: 'Commit bit mismatch',
      phase: 2,
      weight: 90,
      note: 'the peer sets the IKEv1 commit bit, which Alibaba Cloud does not support',
    },
    {
      code: 'Phase2NegotiationTimeout',
      reason: 'Phase2 negotiation timeout',
      phase: 2,
      weight: 30,
      note: 'phase 2 got no reply: usually IPsec settings or NAT traversal differ',
    },
  ],
  patterns: [
    {
      any: ['commit bit'],
      weight: 80,
      label: 'IKEv1 commit bit set by the peer',
      style: 'alibaba',
      source: 'paraphrase of CommitMismatch (no line documented)',
    },
    {
      any: ['proto_id mismatched'],
      weight: 80,
      label: 'AH/ESP protocol mismatch',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      any: ['encmode mismatched'],
      weight: 80,
      label: 'transport/tunnel mode mismatch',
      style: 'alibaba',
      source: TSHOOT,
    },
    // Phase 2 unanswered: closest id is the IPsec proposal (as for Phase2NegotiationTimeout).
    {
      any: ['phase2 negotiation timed out', 'no child_sa reply'],
      weight: 15,
      label: 'phase 2 unanswered',
      style: 'alibaba',
      source: 'paraphrase of Phase2NegotiationTimeout (no line documented)',
    },
  ],
});
