// The honest fallback: codes and lines that show a failure but name no cause.
import { defineCause } from './types.js';

export default defineCause({
  id: 'negotiation-failed',
  phase: null,
  layer: null,
  runbook: 'negotiation-failed',
  codes: [
    { code: 'NegotiationFailed', reason: 'Negotiation failed', phase: 1, weight: 0 },
    { code: 'NoExceptionFound', reason: 'No exception found', phase: 1, weight: 0 },
  ],
  // Lines that show a failure but cannot name its cause: they outrank the keywords they contain
  // (`…, sending NO_PROPOSAL_CHOSEN` is no proposal problem; `AUTHENTICATION_FAILED` received by the
  // initiator can be the PSK, the IDs or, in IKEv1, the mode).
  patterns: [
    {
      any: ['no ike config found for'],
      weight: 60,
      label: 'no IKE config for this IKE version and these addresses (IKE version or customer gateway IP)',
      style: 'charon',
      source: 'charon task_manager_v1.c, task_manager_v2.c',
    },
    // The initiator's answer to its IKE_SA_INIT / main mode: any phase-1 parameter, or the IKE
    // version (the lab's ike-*-mismatch, dh-group-mismatch and ike-version-mismatch scenarios).
    {
      any: ['received no_proposal_chosen notify error', 'received no_proposal_chosen error notify'],
      weight: 55,
      label: 'the other side chose no proposal (algorithms, DH group or IKE version)',
      style: 'charon',
      source: 'charon ike_init.c, main_mode.c',
    },
    {
      seq: ['unable to install', 'in kernel'],
      weight: 97,
      label: 'the kernel refused the IPsec SA',
      style: 'charon',
      source: 'charon child_create.c, quick_mode.c',
    },
    {
      any: ['authentication_failed', 'authentication failure', 'authentication failed'],
      weight: 10,
      label: 'generic authentication failure (PSK, IDs or mode)',
      style: 'alibaba',
      source: 'Alibaba troubleshooting: error code table',
    },
    {
      any: ['phase2 negotiation failed due to time up waiting for phase1'],
      weight: 0,
      label: 'phase 2 waited for phase 1',
      style: 'alibaba',
      source: 'Alibaba troubleshooting: error code table',
    },
  ],
});
