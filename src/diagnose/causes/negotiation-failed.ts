// The honest fallback: codes and lines that show a failure but name no cause.
import { defineCause } from './types.js';

export default defineCause({
  id: 'negotiation-failed',
  phase: null,
  layer: null,
  runbook: 'negotiation-failed',
  codes: [
    { code: 'NegotiationFailed', reason: 'Negotiation failed', phase: 1, weight: 0 },
    { code: 'NoExceptionFound', reason: 'No exception found', phase: 1, weight: 0 },
  ],
  patterns: [
    {
      any: ['phase2 negotiation failed due to time up waiting for phase1'],
      weight: 0,
      label: 'phase 2 waited for phase 1',
      style: 'alibaba',
      source: 'Alibaba troubleshooting: error code table',
    },
  ],
});
