import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'peer-id-mismatch',
  phase: 'phase1',
  layer: 'ike',
  runbook: 'peer-id-mismatch',
  codes: [{ code: 'PeerIdMismatch', reason: 'Peer ID mismatch', phase: 1, weight: 100 }],
  patterns: [
    {
      any: [
        'does not match peers id',
        'message lacks idr payload',
        'expecting ip address type in main mode',
        'unknow peer id',
        'parse peerid failed',
      ],
      weight: 90,
      label: 'peer identity mismatch',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      any: ['no matching peer config found'],
      weight: 90,
      label: 'peer identity mismatch',
      style: 'charon',
      source: 'charon ike_auth.c',
    },
    {
      seq: ['received idr', 'but require'],
      weight: 90,
      label: 'peer identity mismatch',
      style: 'charon',
      source: 'charon ike_auth.c',
    },
    {
      seq: ['idir', 'does not match to'],
      weight: 90,
      label: 'peer identity mismatch',
      style: 'charon',
      source: 'charon main_mode.c, aggressive_mode.c',
    },
  ],
});
