import { defineCause } from './types.js';

export default defineCause({
  id: 'ike-version-mismatch',
  phase: 'phase1',
  layer: 'ike',
  runbook: 'ike-version-mismatch',
  codes: [{ code: 'IkeVersionMismatch', reason: 'IKE version mismatch', phase: 1, weight: 100 }],
  patterns: [
    {
      any: ['unknown ikev2 peer', 'ike version mismatch'],
      weight: 90,
      label: 'IKE version mismatch',
      style: 'alibaba',
      source: 'Alibaba troubleshooting: error code table',
    },
    {
      any: ['invalid_major_version', 'unsupported ike version'],
      weight: 90,
      label: 'IKE version mismatch',
      style: 'charon',
      source: 'charon receiver.c',
    },
  ],
});
