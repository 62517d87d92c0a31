import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';

export default defineCause({
  id: 'psk-mismatch',
  phase: 'phase1',
  layer: 'ike',
  runbook: 'psk-mismatch',
  codes: [{ code: 'PskMismatch', reason: 'Pre-shared key mismatch', phase: 1, weight: 100 }],
  patterns: [
    // A decrypt/MAC failure names the key; a generic authentication failure could be many things.
    {
      any: ['mismatch of preshared secrets'],
      weight: 100,
      label: 'pre-shared secrets mismatch',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      any: ['mac mismatched'],
      weight: 95,
      label: 'decryption/MAC failure',
      style: 'charon',
      source: 'charon psk_authenticator.c',
    },
    {
      any: ['could not decrypt payloads'],
      weight: 95,
      label: 'decryption/MAC failure',
      style: 'charon',
      source: 'charon message.c',
    },
    {
      any: ['calculated hash does not match hash payload', 'invalid hash_v1 payload length'],
      weight: 95,
      label: 'decryption/MAC failure',
      style: 'charon',
      source: 'charon psk_v1_authenticator.c, encrypted_payload.c',
    },
    {
      any: ['decryption failed', 'invalid hash_v1 payload length'],
      weight: 95,
      label: 'decryption/MAC failure',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      any: ['message parsing failed'],
      weight: 25,
      label: 'message parsing failed',
      style: 'charon',
      source: 'charon task_manager_v1.c, task_manager_v2.c',
    },
  ],
});
