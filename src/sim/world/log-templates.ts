// What a VPN gateway prints for each FailedReasonCode, in both phrasings Alibaba's gateways use:
// racoon/ipsec-tools (IKEv1 daemon: isakmp_inf.c, oakley.c, ikev1.c …) and strongSwan/charon
// (IKEv2: ike_init.c, child_create.c …). Every cause's lines carry at least one keyword of the
// troubleshooting table (reference §1.3) in each style, so a classifier can be tested on both.
import type { FailedReasonCode } from './types.js';

export type LogStyle = 'racoon' | 'strongswan';

/** Values a template may use. */
export interface LogContext {
  local: string; // Alibaba tunnel IP
  peer: string; // customer gateway IP (or the peer's real source IP)
  mismatchLocal: string;
  mismatchRemote: string;
  spi: string; // 16 hex chars
  conn: string; // vco-…
  mode: 'main' | 'aggressive';
}

export interface LogTemplate {
  /** Seconds after the negotiation attempt starts. */
  offset: number;
  level: 'DEBUG' | 'PROTO_ERR';
  /** `file.c:line:func` */
  where: string;
  text: (c: LogContext) => string;
}

const t = (
  offset: number,
  level: LogTemplate['level'],
  where: string,
  text: LogTemplate['text'],
): LogTemplate => ({
  offset,
  level,
  where,
  text,
});

const groupNumber = (g: string) => g.replace(/^group/, '') || g;
const upper = (s: string) => s.toUpperCase();

/** The start of every negotiation attempt. */
export const PHASE1_START: Record<LogStyle, LogTemplate[]> = {
  racoon: [
    t(
      0,
      'DEBUG',
      'isakmp.c:1745:isakmp_ph1begin_i',
      (c) => `initiate new phase 1 negotiation: ${c.local}[500]<=>${c.peer}[500]`,
    ),
    t(0, 'DEBUG', 'isakmp.c:1750:isakmp_ph1begin_i', (c) =>
      c.mode === 'aggressive' ? 'begin Aggressive mode.' : 'begin Identity Protection mode.',
    ),
  ],
  strongswan: [
    t(0, 'DEBUG', 'ike_sa.c:1185:initiate', (c) => `initiating IKE_SA ${c.conn}[1] to ${c.peer}`),
    t(
      0,
      'DEBUG',
      'sender.c:160:send_packets',
      (c) => `sending packet: from ${c.local}[500] to ${c.peer}[500] (464 bytes)`,
    ),
  ],
};

/** Phase 1 succeeded and Phase 2 begins (prefix of every Phase-2 failure and of a recovery). */
export const PHASE1_UP: Record<LogStyle, LogTemplate[]> = {
  racoon: [
    t(
      1,
      'DEBUG',
      'isakmp.c:2889:log_ph1established',
      (c) => `ISAKMP-SA established ${c.local}[500]-${c.peer}[500] spi:${c.spi}`,
    ),
    t(
      1,
      'DEBUG',
      'isakmp.c:1901:isakmp_ph2begin_i',
      (c) => `initiate new phase 2 negotiation: ${c.local}[4500]<=>${c.peer}[4500]`,
    ),
  ],
  strongswan: [
    t(
      1,
      'DEBUG',
      'ike_sa.c:1450:set_state',
      (c) => `IKE_SA ${c.conn}[1] established between ${c.local}[${c.local}]...${c.peer}[${c.peer}]`,
    ),
    t(1, 'DEBUG', 'child_create.c:1120:build_i', (c) => `establishing CHILD_SA ${c.conn}{1}`),
  ],
};

export const PHASE2_UP: Record<LogStyle, LogTemplate[]> = {
  racoon: [
    t(
      2,
      'DEBUG',
      'pfkey.c:1210:pk_recvupdate',
      (c) =>
        `IPsec-SA established: ESP/Tunnel ${c.local}[4500]->${c.peer}[4500] spi=${Number.parseInt(c.spi.slice(0, 8), 16)}(0x${c.spi.slice(0, 8)})`,
    ),
  ],
  strongswan: [
    t(
      2,
      'DEBUG',
      'child_create.c:1398:select_and_install',
      (c) => `CHILD_SA ${c.conn}{1} established with SPIs ${c.spi.slice(0, 8)}_i ${c.spi.slice(8)}_o`,
    ),
  ],
};

/** Background noise of a healthy tunnel (DPD keepalives), once a minute. */
export const KEEPALIVE: Record<LogStyle, LogTemplate[]> = {
  racoon: [
    t(
      0,
      'DEBUG',
      'isakmp_inf.c:1514:isakmp_info_recv_r_u_ack',
      (c) => `received R-U-THERE-ACK from ${c.peer}[4500]`,
    ),
  ],
  strongswan: [
    t(0, 'DEBUG', 'task_manager_v2.c:1320:process_response', () => 'parsed INFORMATIONAL response 12 [ ]'),
  ],
};

/** Retransmits of an unanswered IKE_SA_INIT / main-mode message, then giving up. */
function retransmits(style: LogStyle): LogTemplate[] {
  const where = style === 'racoon' ? 'ikev1.c:1398:isakmp_ph1resend' : 'task_manager_v2.c:1114:retransmit';
  const offsets = [4, 11, 24, 47];
  return [
    ...offsets.map((o, i) =>
      t(o, 'DEBUG', where, () => `sending retransmit ${i + 1} of request message ID 0, seq ${i + 1}`),
    ),
    t(50, 'PROTO_ERR', where, () => 'retransmission count exceeded the limit'),
  ];
}

const phase1Timeout = (style: LogStyle): LogTemplate =>
  style === 'racoon'
    ? t(
        51,
        'PROTO_ERR',
        'ikev1.c:1433:isakmp_ph1resend',
        (c) =>
          `phase1 negotiation failed due to time up. [{remote id:4}{ph1: ${c.local}[500] <=> ${c.peer}[500], ${c.local} <=> ${c.peer}}]`,
      )
    : t(
        51,
        'PROTO_ERR',
        'isakmp_inf.c:520:isakmp_info_recv',
        () => 'ignore information because ISAKMP-SA has not been established yet.',
      );

type CauseLines = (style: LogStyle) => LogTemplate[];

const same =
  (where: string, text: LogTemplate['text']): CauseLines =>
  () => [t(2, 'PROTO_ERR', where, text)];

/** The failure lines of one negotiation attempt, by cause. The first PROTO_ERR line is the SourceLog. */
export const CAUSE_LINES: Record<FailedReasonCode, CauseLines> = {
  PeerMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            2,
            'PROTO_ERR',
            'isakmp_inf.c:1081:isakmp_info_recv_n',
            (c) => `received UNSUPPORTED_CRITICAL_PAYLOAD error notify from ${c.peer}`,
          ),
        ]
      : [
          t(
            2,
            'PROTO_ERR',
            'ike_init.c:612:process_i',
            () => 'received UNSUPPORTED_CRITICAL_PAYLOAD error notify',
          ),
        ],
  AlgorithmMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            2,
            'PROTO_ERR',
            'ipsec_doi.c:1243:get_ph1approvalx',
            (c) => `HASH mismatched: my:${c.mismatchLocal} peer:${c.mismatchRemote}`,
          ),
          t(2, 'PROTO_ERR', 'isakmp.c:1373:ph1_main', () => 'packet lacks expected payload.'),
        ]
      : [
          t(
            2,
            'PROTO_ERR',
            'task_manager_v1.c:1017:process_response',
            () => 'parsed INFORMATIONAL_V1 request 2417395841 [ HASH N(NO_PROP) ]',
          ),
          t(
            2,
            'PROTO_ERR',
            'ike_auth.c:1120:process_i',
            (c) =>
              `authentication failure: proposed ${upper(c.mismatchRemote)}, configured ${upper(c.mismatchLocal)}`,
          ),
        ],
  EncryptionAlgorithmMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            3,
            'PROTO_ERR',
            'ipsec_doi.c:1105:cmp_aproppair_i',
            (c) => `trns_id mismatched: my:${upper(c.mismatchLocal)} peer:${upper(c.mismatchRemote)}`,
          ),
          t(
            3,
            'PROTO_ERR',
            'ipsec_doi.c:1112:cmp_aproppair_i',
            (c) =>
              `rejected enctype: DB(prop#1:trns#1):Peer(prop#1:trns#1) = ${upper(c.mismatchLocal)}:${upper(c.mismatchRemote)}`,
          ),
        ]
      : [
          t(
            3,
            'PROTO_ERR',
            'proposal.c:432:select_proposal',
            (c) =>
              `invalid encryption algorithm ${upper(c.mismatchRemote)} proposed, expected ${upper(c.mismatchLocal)}`,
          ),
        ],
  AuthenticationAlgorithmMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            2,
            'PROTO_ERR',
            'ipsec_doi.c:1270:get_ph1approvalx',
            (c) =>
              `rejected hashtype: DB(prop#1:trns#1):Peer(prop#1:trns#1) = ${upper(c.mismatchLocal)}:${upper(c.mismatchRemote)}`,
          ),
          t(
            2,
            'PROTO_ERR',
            'ipsec_doi.c:1275:get_ph1approvalx',
            (c) => `authtype mismatched: my:${c.mismatchLocal} peer:${c.mismatchRemote}`,
          ),
        ]
      : [
          t(
            2,
            'PROTO_ERR',
            'proposal.c:440:select_proposal',
            (c) =>
              `rejected hashtype HMAC_${upper(c.mismatchRemote)}, expected HMAC_${upper(c.mismatchLocal)}`,
          ),
          t(
            2,
            'PROTO_ERR',
            'ike_auth.c:1120:process_i',
            () => 'received AUTHENTICATION_FAILED notify error, authentication failure',
          ),
        ],
  DhGroupMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            2,
            'PROTO_ERR',
            'ipsec_doi.c:1297:get_ph1approvalx',
            (c) =>
              `rejected dh_group: DB(prop#1:trns#1):Peer(prop#1:trns#1) = ${c.mismatchLocal}:${c.mismatchRemote}`,
          ),
          t(2, 'PROTO_ERR', 'oakley.c:410:oakley_dh_compute', () => 'failed to compute dh value.'),
        ]
      : [
          t(
            2,
            'PROTO_ERR',
            'ike_init.c:498:process_i',
            (c) =>
              `received KE type ${groupNumber(c.mismatchRemote)},expected ${groupNumber(c.mismatchLocal)}`,
          ),
          t(2, 'PROTO_ERR', 'proposal.c:455:select_proposal', () => 'proposal mismatch, transform type:4'),
        ],
  PskMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            2,
            'PROTO_ERR',
            'oakley.c:2560:oakley_validate_auth',
            () => 'invalid HASH_V1 payload length, decryption failed?',
          ),
          t(2, 'PROTO_ERR', 'isakmp.c:1450:ph1_main', () => 'could not decrypt payloads.'),
        ]
      : [
          t(
            2,
            'PROTO_ERR',
            'ike_auth.c:1131:process_i',
            () => 'Decryption failed! mismatch of preshared secrets',
          ),
          t(
            2,
            'PROTO_ERR',
            'ike_auth.c:1140:process_i',
            () => 'received AUTHENTICATION_FAILED notify error, authentication failure',
          ),
        ],
  PeerIdMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            2,
            'PROTO_ERR',
            'ipsec_doi.c:3606:ipsecdoi_checkid1',
            (c) => `received ID_I(${c.mismatchRemote}) does not match peers id(${c.mismatchLocal})`,
          ),
        ]
      : [
          t(
            2,
            'PROTO_ERR',
            'ike_auth.c:1010:process_i',
            (c) => `IDir '${c.mismatchRemote}' does not match to '${c.mismatchLocal}'`,
          ),
          t(
            2,
            'PROTO_ERR',
            'ike_auth.c:1012:process_i',
            (c) => `received ID_I(${c.mismatchRemote}) does not match peers id`,
          ),
        ],
  DpdHashNotifyCompatibility: same(
    'isakmp_inf.c:398:isakmp_info_recv',
    () => 'ignore information because the message has no hash payload.',
  ),
  DpdTimeout: (s) =>
    s === 'racoon'
      ? [
          t(
            0,
            'PROTO_ERR',
            'isakmp_inf.c:1614:isakmp_info_recv_r_u_ack',
            (c) => `DPD: remote (ISAKMP-SA spi=${c.spi}) seems to be dead.`,
          ),
        ]
      : [
          t(
            0,
            'PROTO_ERR',
            'ike_dpd.c:88:process',
            (c) => `DPD: remote ${c.peer} seems to be dead, closing IKE_SA ${c.conn}[1]`,
          ),
        ],
  IkeVersionMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            2,
            'PROTO_ERR',
            'isakmp.c:612:isakmp_main',
            (c) => `unknown ikev2 peer ${c.peer}[500], ignoring the packet`,
          ),
        ]
      : [
          t(2, 'PROTO_ERR', 'ike_init.c:560:process_i', () => 'parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]'),
          t(
            2,
            'PROTO_ERR',
            'ike_init.c:566:process_i',
            (c) => `unknown ikev2 peer ${c.peer}: received NO_PROPOSAL_CHOSEN notify error`,
          ),
        ],
  NegotiationModeMismatch: (s) => {
    const text = (c: LogContext) =>
      c.mismatchLocal === 'main'
        ? 'in Identity not acceptable Aggressive mode'
        : 'not acceptable Identity Protection mode';
    return s === 'racoon'
      ? [t(2, 'PROTO_ERR', 'isakmp.c:1120:ph1_main', text)]
      : [
          t(2, 'PROTO_ERR', 'ike_auth.c:1140:process_i', () => 'received AUTHENTICATION_FAILED error notify'),
          t(2, 'PROTO_ERR', 'isakmp.c:1120:ph1_main', text),
        ];
  },
  NatTMismatch: same(
    'isakmp.c:1322:isakmp_parsewoh',
    () => 'ignore the packet, received unexpecting payload type 130.',
  ),
  LifetimeMismatch: same(
    'ipsec_doi.c:1183:cmp_aproppair_i',
    (c) => `long lifetime proposed: my:${c.mismatchLocal} peer:${c.mismatchRemote}`,
  ),
  SecurityProtocolMismatch: same(
    'ipsec_doi.c:1090:cmp_aproppair_i',
    () => 'proto_id mismatched: my:ESP peer:AH',
  ),
  EncapsulationModeMismatch: same(
    'ipsec_doi.c:1135:cmp_aproppair_i',
    () => 'encmode mismatched: my:Tunnel peer:Transport',
  ),
  AlgorithmCompatibility: same(
    'proposal.c:470:select_proposal',
    (c) => `incompatible algorithm combination proposed by ${c.peer}`,
  ),
  TrafficSelectorMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            3,
            'PROTO_ERR',
            'isakmp_inf.c:1081:isakmp_info_recv_n',
            () => 'received INVALID_ID_INFORMATION error notify',
          ),
          t(
            3,
            'PROTO_ERR',
            'isakmp_quick.c:2143:get_proposal_r',
            (c) => `can't find matching selector: ${c.mismatchRemote}`,
          ),
        ]
      : [
          t(3, 'PROTO_ERR', 'child_create.c:1620:process_i', () => 'received Notify type TS_UNACCEPTABLE'),
          t(
            3,
            'PROTO_ERR',
            'child_create.c:1625:process_i',
            (c) => `traffic selector unacceptable: ${c.mismatchRemote}`,
          ),
        ],
  PfsMismatch: (s) =>
    s === 'racoon'
      ? [
          t(
            3,
            'PROTO_ERR',
            'ipsec_doi.c:1160:cmp_aproppair_i',
            (c) => `pfs group mismatched: my:${c.mismatchLocal} peer:${c.mismatchRemote}`,
          ),
        ]
      : [
          t(3, 'PROTO_ERR', 'child_create.c:1011:process_payloads', () => 'message lacks KE payload'),
          t(
            3,
            'PROTO_ERR',
            'child_create.c:1015:process_payloads',
            (c) => `pfs group mismatched: my:${c.mismatchLocal} peer:${c.mismatchRemote}`,
          ),
        ],
  CommitMismatch: same('isakmp_quick.c:880:quick_i2recv', () => 'commit bit set by the peer, not supported'),
  ProposalMismatch: (s) =>
    s === 'racoon'
      ? [t(2, 'PROTO_ERR', 'ipsec_doi.c:1320:get_ph1approval', () => 'no suitable proposal found.')]
      : [t(2, 'PROTO_ERR', 'ike_init.c:560:process_i', () => 'received NO_PROPOSAL_CHOSEN notify error')],
  NegotiationFailed: same(
    'isakmp.c:2100:isakmp_ph2begin_i',
    () => 'phase2 negotiation failed due to time up waiting for phase1.',
  ),
  Phase1NegotiationTimeout: (s) => [phase1Timeout(s)],
  Phase2NegotiationTimeout: (s) =>
    s === 'racoon'
      ? [
          t(
            30,
            'PROTO_ERR',
            'isakmp.c:2210:isakmp_ph2resend',
            (c) => `phase2 negotiation timed out: no reply from ${c.peer}[4500]`,
          ),
        ]
      : [
          t(
            30,
            'PROTO_ERR',
            'task_manager_v2.c:1114:retransmit',
            () => 'sending retransmit 3 of request message ID 1, seq 3; no CHILD_SA reply',
          ),
        ],
  NoResponse: (s) => retransmits(s),
  ReceiveDeleteNotify: (s) =>
    s === 'racoon'
      ? [
          t(
            1,
            'PROTO_ERR',
            'isakmp_inf.c:1030:isakmp_info_recv_d',
            (c) => `received DELETE IKE_SA from ${c.peer}, purging ISAKMP-SA spi=${c.spi}`,
          ),
        ]
      : [
          t(
            1,
            'PROTO_ERR',
            'task_manager_v2.c:1305:process_request',
            (c) => `received DELETE IKE_SA ${c.conn}[1] from ${c.peer}`,
          ),
        ],
};

/** Seconds between negotiation attempts while a cause persists (retransmit series take longer). */
export function attemptInterval(code: FailedReasonCode): number {
  return code === 'NoResponse' || code === 'Phase1NegotiationTimeout' || code === 'DpdTimeout' ? 60 : 30;
}

/** Causes whose later attempts find a silent peer (retransmits) rather than repeating the first line. */
export function laterAttemptsRetransmit(code: FailedReasonCode): boolean {
  return code === 'DpdTimeout' || code === 'Phase1NegotiationTimeout';
}

export { retransmits };
