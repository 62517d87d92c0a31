import { defineCause } from './types.js';

export default defineCause({
  id: 'wrong-customer-gateway-ip',
  phase: 'phase1',
  layer: 'reachability',
  runbook: 'wrong-customer-gateway-ip',
  codes: [
    {
      code: 'PeerMismatch',
      reason: 'The packets do not match the customer gateway',
      phase: 1,
      weight: 100,
    },
  ],
  patterns: [
    {
      any: ['unsupported_critical_payload'],
      weight: 90,
      label: 'UNSUPPORTED_CRITICAL_PAYLOAD',
      style: 'alibaba',
      source: 'Alibaba troubleshooting: error code table',
    },
  ],
});
