import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'dh-group-mismatch',
  phase: 'phase1',
  layer: 'ike',
  runbook: 'dh-group-mismatch',
  codes: [{ code: 'DhGroupMismatch', reason: 'DH group mismatch', phase: 1, weight: 100 }],
  // DH group lines name the IKE group in phase 1 and the PFS group in phase 2.
  patterns: [
    {
      any: ['received ke type'],
      weight: 95,
      label: 'KE type differs',
      style: 'alibaba',
      source: TSHOOT,
      phased: 'dh',
    },
    {
      any: ['rejected dh_group', 'proposal mismatch, transform type:4'],
      weight: 90,
      label: 'DH group rejected',
      style: 'alibaba',
      source: TSHOOT,
      phased: 'dh',
    },
    {
      any: ['no acceptable key_exchange_method', 'no acceptable diffie_hellman_group'],
      weight: 85,
      label: 'no acceptable key exchange method',
      style: 'charon',
      source: 'libstrongswan proposal.c (DBG2)',
      phased: 'dh',
    },
    {
      any: ['failed to compute dh value'],
      weight: 80,
      label: 'DH computation failed',
      style: 'alibaba',
      source: TSHOOT,
      phased: 'dh',
    },
    {
      any: ['invalid_ke_payload', 'invalid ke payload'],
      weight: 30,
      label: 'INVALID_KE_PAYLOAD',
      style: 'charon',
      source: 'charon notify_payload.c',
      phased: 'dh',
    },
  ],
});
