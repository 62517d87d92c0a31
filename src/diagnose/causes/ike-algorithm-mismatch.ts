// Algorithm proposals: the codes and lines name a parameter, not a phase, so each is marked
// `phased: 'proposal'` and reads as ipsec-proposal-mismatch once phase 1 is up.
import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'ike-algorithm-mismatch',
  phase: 'phase1',
  layer: 'ike',
  runbook: 'ike-algorithm-mismatch',
  codes: [
    { code: 'AlgorithmMismatch', reason: 'Algorithm mismatch', phase: 1, weight: 60, phased: 'proposal' },
    {
      code: 'EncryptionAlgorithmMismatch',
      reason: 'Encryption algorithm mismatch',
      phase: 2,
      weight: 70,
      phased: 'proposal',
    },
    {
      code: 'AuthenticationAlgorithmMismatch',
      reason: 'Authentication algorithm mismatch',
      phase: 1,
      weight: 70,
      phased: 'proposal',
    },
    {
      code: 'AlgorithmCompatibility',
      reason: 'Algorithm compatibility issue',
      phase: 1,
      weight: 55,
      phased: 'proposal',
    },
    { code: 'ProposalMismatch', reason: 'Proposal mismatch', phase: 1, weight: 50, phased: 'proposal' },
  ],
  patterns: [
    {
      any: ['invalid encryption algorithm', 'trns_id mismatched', 'rejected enctype'],
      weight: 65,
      label: 'encryption algorithm rejected',
      style: 'alibaba',
      source: TSHOOT,
      phased: 'proposal',
    },
    {
      any: ['no acceptable encryption_algorithm'],
      weight: 65,
      label: 'encryption algorithm rejected',
      style: 'charon',
      source: 'libstrongswan proposal.c (DBG2)',
      phased: 'proposal',
    },
    {
      any: ['authtype mismatched', 'rejected hashtype'],
      weight: 65,
      label: 'authentication algorithm rejected',
      style: 'alibaba',
      source: TSHOOT,
      phased: 'proposal',
    },
    {
      any: ['no acceptable integrity_algorithm', 'no acceptable pseudo_random_function'],
      weight: 65,
      label: 'authentication algorithm rejected',
      style: 'charon',
      source: 'libstrongswan proposal.c (DBG2)',
      phased: 'proposal',
    },
    {
      any: ['hash mismatched', 'packet lacks expected payload'],
      weight: 40,
      label: 'HASH mismatched',
      style: 'alibaba',
      source: TSHOOT,
      phased: 'proposal',
    },
    {
      any: [
        'no_proposal_chosen',
        'no proposal chosen',
        'n(no_prop)',
        'no suitable proposal found',
        'failed to get valid proposal',
        'none of my proposal matched',
        'no matching proposal found',
        'proposal mismatch',
        "couldn't find configuaration",
      ],
      weight: 50,
      label: 'no proposal chosen',
      style: 'alibaba',
      source: TSHOOT,
      phased: 'proposal',
    },
    {
      any: ['incompatible algorithm'],
      weight: 55,
      label: 'incompatible algorithms',
      style: 'alibaba',
      source: 'paraphrase of AlgorithmCompatibility (no line documented)',
      phased: 'proposal',
    },
  ],
});
