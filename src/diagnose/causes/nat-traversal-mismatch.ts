import { defineCause } from './types.js';

export default defineCause({
  id: 'nat-traversal-mismatch',
  // NAT-T is negotiated in both phases.
  phase: 'any',
  layer: 'ike',
  runbook: 'nat-traversal-mismatch',
  codes: [{ code: 'NatTMismatch', reason: 'NAT traversal mismatch', phase: 1, weight: 100 }],
  patterns: [
    {
      any: ['unexpecting payload type 130', 'unexpected payload type 130'],
      weight: 90,
      label: 'NAT-T payload unexpected',
      style: 'alibaba',
      source: 'Alibaba troubleshooting: error code table',
    },
  ],
});
