// Silence: no answer from the peer. Any specific answer outranks it (SILENCE_WEIGHT).
import { defineCause } from './types.js';

const TSHOOT = 'Alibaba troubleshooting: error code table';
/** Weight of a signal that only proves negotiation stalled (no answer). */
export const SILENCE_WEIGHT = 5;

export default defineCause({
  id: 'peer-unreachable',
  phase: 'phase1',
  layer: 'reachability',
  runbook: 'peer-unreachable',
  codes: [
    { code: 'Phase1NegotiationTimeout', reason: 'Phase1 negotiation timeout', phase: 1, weight: 20 },
    { code: 'NoResponse', reason: 'The peer gateway does not respond', phase: 1, weight: 20 },
  ],
  patterns: [
    {
      any: [
        'retransmission count exceeded the limit',
        'phase1 negotiation failed due to time up',
        'ignore information because isakmp-sa has not been established',
      ],
      weight: SILENCE_WEIGHT,
      label: 'no answer (timeout)',
      style: 'alibaba',
      source: TSHOOT,
    },
    {
      any: ['peer not responding'],
      weight: SILENCE_WEIGHT,
      label: 'no answer (timeout)',
      style: 'charon',
      source: 'charon ike_sa.c',
    },
    // `received retransmit of request with ID 1, retransmitting response` is the opposite: the
    // peer's packets arrive. Only our own retransmits are silence.
    {
      any: ['sending retransmit'],
      weight: SILENCE_WEIGHT,
      label: 'retransmits',
      style: 'charon',
      source: 'charon task_manager_v1.c',
    },
    {
      seq: ['retransmit ', ' of request with message id'],
      weight: SILENCE_WEIGHT,
      label: 'retransmits',
      style: 'charon',
      source: 'charon task_manager_v2.c',
    },
    {
      seq: ['giving up after', 'retransmits'],
      weight: SILENCE_WEIGHT,
      label: 'gave up retransmitting',
      style: 'charon',
      source: 'charon task_manager_v1.c, task_manager_v2.c',
    },
  ],
});
