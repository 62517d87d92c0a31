import { defineCause } from './types.js';

export default defineCause({
  id: 'lifetime-mismatch',
  // Lifetimes are negotiated in both phases.
  phase: 'any',
  layer: 'ike',
  runbook: 'lifetime-mismatch',
  codes: [{ code: 'LifetimeMismatch', reason: 'Lifetime mismatch', phase: 1, weight: 100 }],
  patterns: [
    {
      any: ['long lifetime proposed', 'lifetime mismatch'],
      weight: 90,
      label: 'lifetime differs',
      style: 'alibaba',
      source: 'Alibaba troubleshooting: error code table',
    },
  ],
});
