import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'pfs-mismatch',
  phase: 'phase2',
  layer: 'ipsec',
  runbook: 'pfs-mismatch',
  codes: [{ code: 'PfsMismatch', reason: 'PFS mismatch', phase: 2, weight: 100 }],
  patterns: [
    {
      any: ['pfs group mismatched'],
      weight: 95,
      label: 'PFS group mismatched',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      any: ['message lacks ke payload'],
      weight: 80,
      label: 'no KE payload (PFS off on one side)',
      style: 'alibaba',
      source: TSHOOT,
    },
  ],
});
