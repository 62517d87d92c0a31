import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'dpd-timeout',
  phase: 'any',
  layer: 'reachability',
  runbook: 'dpd-timeout',
  codes: [
    {
      code: 'DpdHashNotifyCompatibility',
      reason: 'DPD hash-notify compatibility issue',
      phase: 1,
      weight: 90,
      note: 'the peer sends DPD notifications without a hash payload; Alibaba Cloud expects hash-notify order',
    },
    { code: 'DpdTimeout', reason: 'DPD timeout', phase: 1, weight: 100 },
  ],
  patterns: [
    {
      any: ['dpd check timed out'],
      weight: 90,
      label: 'DPD: peer dead',
      style: 'charon',
      source: 'charon dpd_timeout_job.c',
    },
    {
      seq: ['dpd', 'seems to be dead'],
      weight: 90,
      label: 'DPD: peer dead',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      any: ['ignore information because the message has no hash payload'],
      weight: 60,
      label: 'DPD notify without hash payload',
      style: 'alibaba',
      source: TSHOOT,
    },
  ],
});
