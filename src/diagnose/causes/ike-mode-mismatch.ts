import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'ike-mode-mismatch',
  phase: 'phase1',
  layer: 'ike',
  runbook: 'ike-mode-mismatch',
  codes: [{ code: 'NegotiationModeMismatch', reason: 'Negotiation mode mismatch', phase: 1, weight: 100 }],
  patterns: [
    {
      seq: ['but none allows', 'authentication using', ' mode'],
      weight: 90,
      label: 'main/aggressive mode mismatch',
      style: 'charon',
      source: 'charon phase1.c',
    },
    {
      any: ['not acceptable aggressive mode', 'not acceptable identity protection mode'],
      weight: 90,
      label: 'main/aggressive mode mismatch',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      seq: ['not acceptable', 'aggressive mode'],
      weight: 90,
      label: 'main/aggressive mode mismatch',
      style: 'alibaba',
      source: TSHOOT,
    },
  ],
});
