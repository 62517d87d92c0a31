import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'traffic-selector-mismatch',
  phase: 'phase2',
  layer: 'ipsec',
  runbook: 'traffic-selector-mismatch',
  codes: [{ code: 'TrafficSelectorMismatch', reason: 'Traffic selector mismatch', phase: 2, weight: 100 }],
  patterns: [
    {
      any: [
        'ts_unacceptable',
        'traffic selector mismatch',
        'traffic selector unacceptable',
        'invalid_id_information',
        'invalid-id-information',
        "can't find matching selector",
      ],
      weight: 90,
      label: 'traffic selectors unacceptable',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      seq: ['traffic selectors', 'unacceptable'],
      weight: 90,
      label: 'traffic selectors unacceptable',
      style: 'charon',
      source: 'charon child_create.c',
    },
  ],
});
