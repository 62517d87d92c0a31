import { defineCause } from './types.js';

export default defineCause({
  id: 'peer-deleted-sa',
  phase: 'any',
  layer: 'ipsec',
  runbook: 'peer-deleted-sa',
  codes: [
    {
      code: 'ReceiveDeleteNotify',
      reason: 'Received a delete notification from the peer',
      phase: 1,
      weight: 90,
    },
  ],
  patterns: [
    {
      any: ['received delete', 'delete notify'],
      weight: 70,
      label: 'peer sent DELETE',
      style: 'charon',
      source: 'charon isakmp_delete.c, quick_delete.c',
    },
  ],
});
