// The lab's named scenarios, as data: what each side is configured with, what is done to the
// tunnel, what charon does, and the cause each side's log can honestly name (rule ids of rules/).
// The on-prem peer initiates and the cloud gateway responds, as with Alibaba Cloud.
import type { Side } from './config.js';
import type { SideOptions, Topology } from './lab.js';

/** What the peer's `swanctl --initiate` ended in. */
export type Outcome = 'established' | 'child-failed' | 'failed' | 'gave-up';

/** What a side's log lets a reader conclude. `cause: null`: the log shows no failure. */
export interface Expectation {
  cause: string | null;
  /** Every cause consistent with that side's log, most likely first (empty for success). */
  candidates: string[];
}

export type Step =
  | { dropUdp: { side: Side; port: number } }
  | { kill: Side }
  | { terminate: { side: Side; sa: 'ike' | 'child' } }
  | { waitLog: { side: Side; pattern: string; timeoutMs: number } }
  | { sleep: number };

export interface LabScenario {
  name: string;
  summary: string;
  topology?: Topology;
  gateway?: SideOptions;
  peer?: SideOptions;
  /** Steps after both charons are up, before the peer initiates. */
  before?: Step[];
  /** Steps after the initiate outcome (kill, delete, wait for a log line). */
  after?: Step[];
  /** What charon does when the peer initiates. */
  outcome: Outcome;
  expected: Record<Side, Expectation>;
  /** What charon did that a reader would not guess, or why a cause cannot be produced as asked. */
  note?: string;
  /** Set when the result depends on the host kernel (reason), so live tests elsewhere skip it. */
  hostDependent?: string;
}

const ok: Expectation = { cause: null, candidates: [] };
const sure = (cause: string): Expectation => ({ cause, candidates: [cause] });
const unsure = (...candidates: string[]): Expectation => ({ cause: 'negotiation-failed', candidates });

const v1 = (extra: Partial<NonNullable<SideOptions['ike']>> = {}): SideOptions => ({
  ike: { version: 1, ...extra },
});

/** Peer's answer when IKE_AUTH comes back AUTHENTICATION_FAILED: its log cannot tell PSK from ID. */
const authFailed = unsure('psk-mismatch', 'peer-id-mismatch');
/** IKEv1: AUTHENTICATION_FAILED right after the first exchange also comes from a main/aggressive mismatch. */
const authFailedV1 = unsure('psk-mismatch', 'peer-id-mismatch', 'ike-mode-mismatch');
/** NO_PROPOSAL_CHOSEN in answer to IKE_SA_INIT / main mode: any phase-1 parameter, or the version. */
const noProposalIke = unsure('ike-algorithm-mismatch', 'dh-group-mismatch', 'ike-version-mismatch');
/** A charon responder's `no IKE config found for A...B`: no config of that IKE version for that address. */
const noIkeConfig = unsure('ike-version-mismatch', 'wrong-customer-gateway-ip');
/** NO_PROPOSAL_CHOSEN for the CHILD_SA: the ESP proposal, or (IKEv1 quick mode, rekeys) PFS. */
const noProposalChild = unsure('ipsec-proposal-mismatch', 'pfs-mismatch');

export const SCENARIOS: LabScenario[] = [
  {
    name: 'success-ikev2',
    summary: 'Both sides agree (IKEv2): IKE_SA and CHILD_SA established.',
    outcome: 'established',
    expected: { gateway: ok, peer: ok },
  },
  {
    name: 'success-ikev1',
    summary: 'Both sides agree (IKEv1 main mode): IKE_SA and CHILD_SA established.',
    gateway: v1(),
    peer: v1(),
    outcome: 'established',
    expected: { gateway: ok, peer: ok },
  },
  {
    name: 'psk-mismatch-ikev2',
    summary: 'Different pre-shared keys, IKEv2.',
    peer: { ike: { psk: 'a-different-lab-psk' } },
    outcome: 'failed',
    expected: { gateway: sure('psk-mismatch'), peer: authFailed },
  },
  {
    name: 'psk-mismatch-ikev1-main',
    summary: 'Different pre-shared keys, IKEv1 main mode.',
    gateway: v1(),
    peer: v1({ psk: 'a-different-lab-psk' }),
    outcome: 'gave-up',
    expected: { gateway: sure('psk-mismatch'), peer: sure('psk-mismatch') },
    note: "The responder cannot decrypt the initiator's ID payload (`message parsing failed`), the initiator cannot decrypt the responder's notify (`ignore malformed INFORMATIONAL request`) and gives up after its retransmits.",
  },
  {
    name: 'psk-mismatch-ikev1-aggressive',
    summary: 'Different pre-shared keys, IKEv1 aggressive mode on both sides.',
    gateway: v1({ aggressive: true }),
    peer: v1({ aggressive: true, psk: 'a-different-lab-psk' }),
    after: [{ waitLog: { side: 'gateway', pattern: 'giving up after', timeoutMs: 20_000 } }],
    outcome: 'failed',
    expected: { gateway: unsure('psk-mismatch', 'peer-id-mismatch'), peer: sure('psk-mismatch') },
    note: "The initiator checks the HASH first (`calculated HASH does not match HASH payload`) and sends an encrypted notify the responder cannot use; the responder retransmits its answer and ends with `establishing IKE_SA failed, peer not responding`, although the peer's packets did arrive (`received packet` lines): not a reachability problem.",
  },
  {
    name: 'ike-encryption-mismatch',
    summary: 'IKE encryption differs (peer aes256, gateway aes128).',
    peer: { ike: { proposals: ['aes256-sha1-modp1024'] } },
    gateway: { ike: { proposals: ['aes128-sha1-modp1024'] } },
    outcome: 'failed',
    expected: { gateway: sure('ike-algorithm-mismatch'), peer: noProposalIke },
  },
  {
    name: 'ike-integrity-mismatch',
    summary: 'IKE integrity differs (peer sha256, gateway sha1).',
    peer: { ike: { proposals: ['aes128-sha256-modp1024'] } },
    gateway: { ike: { proposals: ['aes128-sha1-modp1024'] } },
    outcome: 'failed',
    expected: { gateway: sure('ike-algorithm-mismatch'), peer: noProposalIke },
  },
  {
    name: 'dh-group-mismatch',
    summary: 'IKE DH group differs (peer modp2048 / group 14, gateway modp1024 / group 2).',
    peer: { ike: { proposals: ['aes128-sha1-modp2048'] } },
    gateway: { ike: { proposals: ['aes128-sha1-modp1024'] } },
    outcome: 'failed',
    expected: { gateway: sure('dh-group-mismatch'), peer: noProposalIke },
  },
  {
    name: 'ike-version-mismatch-v1-peer',
    summary: 'The peer speaks IKEv1, the gateway only IKEv2.',
    peer: v1(),
    outcome: 'failed',
    expected: { gateway: noIkeConfig, peer: noProposalIke },
    note: "The responder's `no IKE config found for A...B` reads the same when the customer gateway address is wrong (see wrong-customer-gateway-ip).",
  },
  {
    name: 'ike-version-mismatch-v2-peer',
    summary: 'The peer speaks IKEv2, the gateway only IKEv1.',
    gateway: v1(),
    outcome: 'failed',
    expected: { gateway: noIkeConfig, peer: noProposalIke },
  },
  {
    name: 'ike-mode-aggressive-peer',
    summary: 'IKEv1: the peer initiates aggressive mode, the gateway is configured for main mode.',
    gateway: v1({ aggressive: false }),
    peer: v1({ aggressive: true }),
    outcome: 'failed',
    expected: { gateway: sure('ike-mode-mismatch'), peer: authFailedV1 },
    note: 'The responder refuses: `found 1 matching config, but none allows pre-shared key authentication using Aggressive Mode`, and answers AUTHENTICATION_FAILED.',
  },
  {
    name: 'ike-mode-main-peer',
    summary: 'IKEv1: the peer initiates main mode, the gateway is configured for aggressive mode.',
    gateway: v1({ aggressive: true }),
    peer: v1({ aggressive: false }),
    outcome: 'failed',
    expected: { gateway: sure('ike-mode-mismatch'), peer: authFailedV1 },
    note: 'The responder refuses: `found 1 matching config, but none allows pre-shared key authentication using Main Mode`, and answers AUTHENTICATION_FAILED.',
  },
  {
    name: 'peer-id-mismatch-local',
    summary: "The peer sends a local ID the gateway does not expect (FQDN instead of the peer's IP).",
    peer: { ike: { localId: 'onprem.lab.example' } },
    outcome: 'failed',
    expected: { gateway: sure('peer-id-mismatch'), peer: authFailed },
  },
  {
    name: 'peer-id-mismatch-remote',
    summary: "The peer expects a remote ID that is not the gateway's.",
    peer: { ike: { remoteId: '198.18.0.9' } },
    outcome: 'failed',
    expected: { gateway: sure('peer-id-mismatch'), peer: authFailed },
  },
  {
    name: 'esp-proposal-mismatch',
    summary: 'ESP proposals differ (peer aes256-sha256, gateway aes128-sha1), IKEv2.',
    peer: { ike: { espProposals: ['aes256-sha256'] } },
    gateway: { ike: { espProposals: ['aes128-sha1'] } },
    outcome: 'child-failed',
    expected: { gateway: sure('ipsec-proposal-mismatch'), peer: unsure('ipsec-proposal-mismatch') },
    note: "In IKE_AUTH the initiator's `received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built` reads the same when the responder's kernel refused the SA (child-install-failure-gateway).",
  },
  {
    name: 'pfs-one-side-ikev1',
    summary: 'IKEv1 quick mode: the gateway wants PFS (group 2), the peer offers none.',
    gateway: v1({ espProposals: ['aes128-sha1-modp1024'] }),
    peer: v1({ espProposals: ['aes128-sha1'] }),
    outcome: 'child-failed',
    expected: { gateway: sure('pfs-mismatch'), peer: noProposalChild },
  },
  {
    name: 'pfs-group-mismatch-ikev1',
    summary: 'IKEv1 quick mode: PFS group 2 on the gateway, group 14 on the peer.',
    gateway: v1({ espProposals: ['aes128-sha1-modp1024'] }),
    peer: v1({ espProposals: ['aes128-sha1-modp2048'] }),
    outcome: 'child-failed',
    expected: { gateway: sure('pfs-mismatch'), peer: noProposalChild },
  },
  {
    name: 'pfs-one-side-ikev2',
    summary: 'IKEv2: the gateway wants PFS (group 2), the peer offers none.',
    gateway: { ike: { espProposals: ['aes128-sha1-modp1024'] } },
    peer: { ike: { espProposals: ['aes128-sha1'] } },
    outcome: 'established',
    expected: { gateway: ok, peer: ok },
    note: 'IKEv2 builds the first CHILD_SA inside IKE_AUTH without a key exchange, so a PFS difference only shows at the first CHILD_SA rekey (pfs-one-side-ikev2-rekey).',
  },
  {
    name: 'pfs-one-side-ikev2-rekey',
    summary:
      'IKEv2: the gateway wants PFS (group 2), the peer offers none; the peer rekeys its CHILD_SA after 4 s.',
    gateway: { ike: { espProposals: ['aes128-sha1-modp1024'] } },
    peer: { ike: { espProposals: ['aes128-sha1'], childRekeyTime: '4s' } },
    after: [
      { waitLog: { side: 'gateway', pattern: 'CREATE_CHILD_SA', timeoutMs: 15_000 } },
      { sleep: 1_500 },
    ],
    outcome: 'established',
    expected: { gateway: sure('pfs-mismatch'), peer: noProposalChild },
  },
  {
    name: 'ts-mismatch',
    summary:
      'Traffic selectors differ: the peer asks for 198.19.3.0/24 behind the gateway, which has 198.19.1.0/24.',
    peer: { ike: { remoteTs: '198.19.3.0/24' } },
    outcome: 'child-failed',
    expected: { gateway: sure('traffic-selector-mismatch'), peer: sure('traffic-selector-mismatch') },
  },
  {
    name: 'lifetime-mismatch-ikev2',
    summary: 'IKEv2 lifetimes differ (gateway 24 h as Alibaba, peer 1 h / 30 min).',
    gateway: { ike: { rekeyTime: '24h', childRekeyTime: '24h' } },
    peer: { ike: { rekeyTime: '1h', childRekeyTime: '30m' } },
    outcome: 'established',
    expected: { gateway: ok, peer: ok },
    note: 'IKEv2 does not negotiate lifetimes: each side rekeys on its own schedule and the tunnel establishes.',
  },
  {
    name: 'lifetime-mismatch-ikev1',
    summary: 'IKEv1 lifetimes differ (gateway 24 h as Alibaba, peer 1 h / 30 min).',
    gateway: v1({ rekeyTime: '24h', childRekeyTime: '24h' }),
    peer: v1({ rekeyTime: '1h', childRekeyTime: '30m' }),
    outcome: 'established',
    expected: { gateway: ok, peer: ok },
    note: 'The responder logs `received 1980s lifetime, configured 95040s` and keeps its own: the tunnel establishes and each side rekeys on its own schedule.',
  },
  {
    name: 'wrong-customer-gateway-ip',
    summary:
      'The gateway expects the peer at 198.18.0.99 (a wrong customer gateway IP); the peer comes from 198.18.0.2.',
    gateway: { ike: { remoteAddrs: '198.18.0.99' } },
    outcome: 'failed',
    expected: { gateway: unsure('wrong-customer-gateway-ip', 'ike-version-mismatch'), peer: noProposalIke },
    note: 'The responder answers `no IKE config found for 198.18.0.1...198.18.0.2, sending NO_PROPOSAL_CHOSEN`, the same line as an IKE version mismatch.',
  },
  {
    name: 'udp-500-blocked',
    summary: 'UDP 500 is dropped in front of the gateway (iptables in its namespace).',
    before: [{ dropUdp: { side: 'gateway', port: 500 } }],
    outcome: 'gave-up',
    expected: { gateway: ok, peer: sure('peer-unreachable') },
    note: 'The gateway never sees a packet: its log has no IKE lines at all.',
  },
  {
    name: 'udp-4500-blocked-nat',
    summary:
      'The peer is behind a NAT and UDP 4500 is dropped in front of the gateway: IKE_SA_INIT passes, IKE_AUTH does not.',
    topology: 'nat',
    gateway: { strongswan: { 'charon.half_open_timeout': 10 } },
    before: [{ dropUdp: { side: 'gateway', port: 4500 } }],
    after: [{ waitLog: { side: 'gateway', pattern: 'half open IKE_SA', timeoutMs: 20_000 } }],
    outcome: 'gave-up',
    expected: {
      gateway: unsure('peer-unreachable', 'nat-traversal-mismatch'),
      peer: unsure('peer-unreachable', 'nat-traversal-mismatch'),
    },
  },
  {
    name: 'nat-t-success',
    summary:
      'The peer is behind a MASQUERADE NAT; NAT-T moves IKE and ESP to UDP 4500 and the tunnel establishes.',
    topology: 'nat',
    outcome: 'established',
    expected: { gateway: ok, peer: ok },
  },
  {
    name: 'dpd-dead-gateway',
    summary: "Established, then the gateway's charon is killed: the peer's DPD gives up.",
    peer: { ike: { dpdDelay: '2s' } },
    after: [
      { kill: 'gateway' },
      { waitLog: { side: 'peer', pattern: 'giving up after', timeoutMs: 30_000 } },
    ],
    outcome: 'established',
    expected: { gateway: ok, peer: sure('dpd-timeout') },
    note: 'The killed gateway logs nothing about it: its log ends with an established SA.',
  },
  {
    name: 'dpd-dead-gateway-ikev1',
    summary: "IKEv1, established, then the gateway's charon is killed: the peer's DPD gives up.",
    gateway: v1(),
    peer: v1({ dpdDelay: '2s', dpdTimeout: '8s' }),
    after: [
      { kill: 'gateway' },
      { waitLog: { side: 'peer', pattern: 'DPD check timed out', timeoutMs: 30_000 } },
    ],
    outcome: 'established',
    expected: { gateway: ok, peer: sure('dpd-timeout') },
    note: 'IKEv1 DPD does not retransmit: the peer sends `sending DPD request` every dpd_delay and after dpd_timeout (default 150 s) logs `DPD check timed out, enforcing DPD action`.',
  },
  {
    name: 'dpd-dead-peer',
    summary: "Established, then the peer's charon is killed: the gateway's DPD gives up.",
    gateway: { ike: { dpdDelay: '2s' } },
    after: [
      { kill: 'peer' },
      { waitLog: { side: 'gateway', pattern: 'giving up after', timeoutMs: 30_000 } },
    ],
    outcome: 'established',
    expected: { gateway: sure('dpd-timeout'), peer: ok },
  },
  {
    name: 'peer-deletes-child',
    summary: 'Established, then the peer deletes the CHILD_SA (swanctl --terminate --child).',
    after: [
      { terminate: { side: 'peer', sa: 'child' } },
      { waitLog: { side: 'gateway', pattern: 'received DELETE for ESP CHILD_SA', timeoutMs: 10_000 } },
    ],
    outcome: 'established',
    expected: { gateway: sure('peer-deleted-sa'), peer: ok },
  },
  {
    name: 'peer-deletes-ike',
    summary: 'Established, then the peer deletes the IKE_SA (swanctl --terminate --ike).',
    after: [
      { terminate: { side: 'peer', sa: 'ike' } },
      { waitLog: { side: 'gateway', pattern: 'received DELETE for IKE_SA', timeoutMs: 10_000 } },
    ],
    outcome: 'established',
    expected: { gateway: sure('peer-deleted-sa'), peer: ok },
  },
  {
    name: 'child-install-failure-gateway',
    summary:
      'IKE_SA up, but the gateway cannot install the CHILD_SA in the kernel (no kernel-libipsec, kernel lacks XFRM ESP).',
    gateway: { kernelLibipsec: false },
    outcome: 'child-failed',
    expected: { gateway: unsure(), peer: unsure('ipsec-proposal-mismatch') },
    note: 'No rule id names a kernel failure: the honest answer is negotiation-failed with the kernel line as evidence.',
    hostDependent:
      'needs a kernel without XFRM ESP support; with it the CHILD_SA installs and the tunnel establishes',
  },
  {
    name: 'child-install-failure-peer',
    summary:
      'IKE_SA up, but the peer cannot install the CHILD_SA in the kernel (no kernel-libipsec, kernel lacks XFRM ESP).',
    peer: { kernelLibipsec: false },
    outcome: 'child-failed',
    expected: { gateway: sure('peer-deleted-sa'), peer: unsure() },
    note: 'The gateway sees its CHILD_SA established and at once deleted by the peer.',
    hostDependent:
      'needs a kernel without XFRM ESP support; with it the CHILD_SA installs and the tunnel establishes',
  },
];

export function findScenario(name: string): LabScenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
