// What a VPN gateway prints for each FailedReasonCode, in both phrasings Alibaba's gateways use.
// strongSwan-style lines are real charon 5.9.8 text, taken from the recorded lab corpus
// (test/fixtures/ike-logs, the gateway responding) with addresses, names, SPIs, subnets and DH
// groups substituted (test/sim/log-templates-corpus.test.ts holds every one to a corpus line).
// racoon-style lines are the ones Alibaba's troubleshooting page and FAQ document. A cause charon
// cannot be made to fail on (NAT-T, lifetimes, AH, transport mode, the commit bit, DPD hash order)
// prints its Alibaba-documented line in both styles, as Alibaba's gateways mix both.
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
  /** Traffic selectors as charon prints them, ours first: `10.0.0.0/16 === 192.168.0.0/24`. */
  ts: string;
  /** The peer's IKE identity (IDi), as it sends it. */
  peerId: string;
}

export interface LogTemplate {
  /** Seconds after the negotiation attempt starts. */
  offset: number;
  level: 'DEBUG' | 'PROTO_ERR';
  /** `file.c:line:func` */
  where: string;
  text: (c: LogContext) => string;
  /** `charon`: text charon prints (checked against the corpus); `alibaba`: documented by Alibaba. */
  source: 'charon' | 'alibaba';
}

const t = (
  offset: number,
  level: LogTemplate['level'],
  where: string,
  text: LogTemplate['text'],
  source: LogTemplate['source'] = 'alibaba',
): LogTemplate => ({
  offset,
  level,
  where,
  text,
  source,
});

/** A charon line (strongSwan style). */
const ch = (offset: number, level: LogTemplate['level'], where: string, text: LogTemplate['text']) =>
  t(offset, level, where, text, 'charon');

/** `group14` → `MODP_2048` (charon's name of a MODP group); `disabled` → none. */
const MODP: Record<string, string> = {
  group1: 'MODP_768',
  group2: 'MODP_1024',
  group5: 'MODP_1536',
  group14: 'MODP_2048',
  group15: 'MODP_3072',
  group16: 'MODP_4096',
};
const modp = (g: string, fallback: string) => MODP[g] ?? (g === 'disabled' ? '' : fallback);
const withDh = (head: string, g: string, tail: string) => (g ? `${head}/${g}${tail}` : `${head}${tail}`);

const spiIn = (c: LogContext) => c.spi.slice(0, 8);
const spiOut = (c: LogContext) => c.spi.slice(8, 16);

const INIT_REQUEST =
  'parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]';

/** The responder refusing every IKE proposal (ike_init.c, proposal.c): a failed selection's pair. */
const ikeRefused = (received: (c: LogContext) => string, configured: (c: LogContext) => string) => [
  ch(2, 'DEBUG', 'ike_init.c:778:process_r', (c) => `${c.peer} is initiating an IKE_SA`),
  ch(2, 'DEBUG', 'proposal.c:1418:select_proposal', (c) => `received proposals: ${received(c)}`),
  ch(2, 'DEBUG', 'proposal.c:1419:select_proposal', (c) => `configured proposals: ${configured(c)}`),
  ch(2, 'PROTO_ERR', 'ike_init.c:861:process_r', () => 'received proposals unacceptable'),
  ch(2, 'DEBUG', 'message.c:1656:generate', () => 'generating IKE_SA_INIT response 0 [ N(NO_PROP) ]'),
];

/** IKE_SA up, then the responder refusing the CHILD_SA (child_create.c). */
const childRefused = (lines: LogTemplate[], response: string) => [
  ...lines,
  ch(
    3,
    'PROTO_ERR',
    'child_create.c:1378:handle_child_sa_failure',
    () => 'failed to establish CHILD_SA, keeping IKE_SA',
  ),
  ch(3, 'DEBUG', 'message.c:1656:generate', () => response),
];

/** The responder refusing an ESP proposal: a failed selection's pair. */
const espRefused = (received: (c: LogContext) => string, configured: (c: LogContext) => string) =>
  childRefused(
    [
      ch(3, 'DEBUG', 'proposal.c:1418:select_proposal', (c) => `received proposals: ${received(c)}`),
      ch(3, 'DEBUG', 'proposal.c:1419:select_proposal', (c) => `configured proposals: ${configured(c)}`),
      ch(3, 'PROTO_ERR', 'child_create.c:539:select_and_install', () => 'no acceptable proposal found'),
    ],
    'generating IKE_AUTH response 1 [ IDr AUTH N(NO_PROP) ]',
  );

/** `no IKE config found for A...B`: no config of that IKE version for that address pair. */
const noIkeConfig = [
  ch(
    2,
    'PROTO_ERR',
    'task_manager_v2.c:1925:process_message',
    (c) => `no IKE config found for ${c.local}...${c.peer}, sending NO_PROPOSAL_CHOSEN`,
  ),
  ch(2, 'DEBUG', 'message.c:1656:generate', () => 'generating IKE_SA_INIT response 0 [ N(NO_PROP) ]'),
];

const peerConfigs = (c: LogContext) =>
  `looking for peer configs matching ${c.local}[${c.local}]...${c.peer}[${c.peerId}]`;

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
  // The gateway responds: the peer's IKE_SA_INIT arrives.
  strongswan: [
    ch(
      0,
      'DEBUG',
      'receiver.c:503:receive_packets',
      (c) => `received packet: from ${c.peer}[500] to ${c.local}[500] (464 bytes)`,
    ),
    ch(0, 'DEBUG', 'message.c:1932:parse_body', () => INIT_REQUEST),
  ],
};

/** The start of an attempt the gateway initiates and the peer never answers. */
export const INITIATE: Record<LogStyle, LogTemplate[]> = {
  racoon: [],
  strongswan: [
    ch(0, 'DEBUG', 'ike_init.c:674:build_i', (c) => `initiating IKE_SA ${c.conn}[1] to ${c.peer}`),
    ch(
      0,
      'DEBUG',
      'message.c:1656:generate',
      () =>
        'generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]',
    ),
    ch(
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
    ch(0, 'DEBUG', 'ike_init.c:778:process_r', (c) => `${c.peer} is initiating an IKE_SA`),
    ch(
      1,
      'DEBUG',
      'ike_auth.c:1124:build_r',
      (c) => `IKE_SA ${c.conn}[1] established between ${c.local}[${c.local}]...${c.peer}[${c.peerId}]`,
    ),
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
    ch(
      2,
      'DEBUG',
      'child_create.c:788:select_and_install',
      (c) => `CHILD_SA ${c.conn}{1} established with SPIs ${spiIn(c)}_i ${spiOut(c)}_o and TS ${c.ts}`,
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
    ch(0, 'DEBUG', 'message.c:1932:parse_body', () => 'parsed INFORMATIONAL request 3 [ ]'),
    ch(0, 'DEBUG', 'message.c:1656:generate', () => 'generating INFORMATIONAL response 3 [ ]'),
  ],
};

/** Retransmits of an unanswered IKE_SA_INIT / main-mode message, then giving up. */
function retransmits(style: LogStyle, messageId = 0): LogTemplate[] {
  const offsets = [4, 11, 24, 47];
  if (style === 'racoon') {
    // Alibaba's documented keywords for an unanswered peer (NoResponse).
    const where = 'ikev1.c:1398:isakmp_ph1resend';
    return [
      ...offsets.map((o, i) =>
        t(o, 'DEBUG', where, () => `sending retransmit ${i + 1} of request message ID 0, seq ${i + 1}`),
      ),
      t(50, 'PROTO_ERR', where, () => 'retransmission count exceeded the limit'),
    ];
  }
  const where = 'task_manager_v2.c:412:retransmit';
  return [
    ...offsets.map((o, i) =>
      ch(o, 'DEBUG', where, () => `retransmit ${i + 1} of request with message ID ${messageId}`),
    ),
    ch(50, 'PROTO_ERR', 'task_manager_v2.c:389:retransmit', () => 'giving up after 5 retransmits'),
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
    : ch(
        51,
        'PROTO_ERR',
        'ike_sa.c:2469:retransmit',
        () => 'establishing IKE_SA failed, peer not responding',
      );

type CauseLines = (style: LogStyle, phase: 1 | 2) => LogTemplate[];

/** One Alibaba-documented line, in both styles (charon has no equivalent failure). */
const documented =
  (offset: number, where: string, text: LogTemplate['text']): CauseLines =>
  () => [t(offset, 'PROTO_ERR', where, text)];

const racoonOr =
  (racoon: LogTemplate[], strongswan: LogTemplate[]): CauseLines =>
  (s) =>
    s === 'racoon' ? racoon : strongswan;

const IKE_AES128_SHA1 = 'IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1';

/** The failure lines of one negotiation attempt, by cause. The first PROTO_ERR line is the SourceLog. */
export const CAUSE_LINES: Record<FailedReasonCode, CauseLines> = {
  // A packet from an address that is not the customer gateway's: charon finds no IKE config.
  PeerMismatch: racoonOr(
    [
      t(
        2,
        'PROTO_ERR',
        'isakmp_inf.c:1081:isakmp_info_recv_n',
        (c) => `received UNSUPPORTED_CRITICAL_PAYLOAD error notify from ${c.peer}`,
      ),
    ],
    noIkeConfig,
  ),
  AlgorithmMismatch: (s, phase) =>
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
      : phase === 2
        ? espRefused(
            () => 'ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ',
            () => 'ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ',
          )
        : ikeRefused(
            (c) =>
              `IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/${modp(c.mismatchRemote, 'MODP_1024') || 'MODP_1024'}`,
            (c) => `${IKE_AES128_SHA1}/${modp(c.mismatchLocal, 'MODP_1024') || 'MODP_1024'}`,
          ),
  EncryptionAlgorithmMismatch: racoonOr(
    [
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
    ],
    espRefused(
      () => 'ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ',
      () => 'ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ',
    ),
  ),
  AuthenticationAlgorithmMismatch: racoonOr(
    [
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
    ],
    ikeRefused(
      () => 'IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024',
      () => `${IKE_AES128_SHA1}/MODP_1024`,
    ),
  ),
  DhGroupMismatch: racoonOr(
    [
      t(
        2,
        'PROTO_ERR',
        'ipsec_doi.c:1297:get_ph1approvalx',
        (c) =>
          `rejected dh_group: DB(prop#1:trns#1):Peer(prop#1:trns#1) = ${c.mismatchLocal}:${c.mismatchRemote}`,
      ),
      t(2, 'PROTO_ERR', 'oakley.c:410:oakley_dh_compute', () => 'failed to compute dh value.'),
    ],
    ikeRefused(
      (c) => `${IKE_AES128_SHA1}/${modp(c.mismatchRemote, 'MODP_2048') || 'MODP_2048'}`,
      (c) => `${IKE_AES128_SHA1}/${modp(c.mismatchLocal, 'MODP_1024') || 'MODP_1024'}`,
    ),
  ),
  PskMismatch: racoonOr(
    [
      t(
        2,
        'PROTO_ERR',
        'oakley.c:2560:oakley_validate_auth',
        () => 'invalid HASH_V1 payload length, decryption failed?',
      ),
      t(2, 'PROTO_ERR', 'isakmp.c:1450:ph1_main', () => 'could not decrypt payloads.'),
    ],
    [
      ch(2, 'DEBUG', 'ike_auth.c:338:get_peer_cfg', peerConfigs),
      ch(2, 'DEBUG', 'ike_auth.c:366:get_peer_cfg', (c) => `selected peer config '${c.conn}'`),
      ch(
        2,
        'PROTO_ERR',
        'psk_authenticator.c:185:process',
        (c) => `tried 1 shared key for '${c.local}' - '${c.peerId}', but MAC mismatched`,
      ),
      ch(2, 'DEBUG', 'message.c:1656:generate', () => 'generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]'),
    ],
  ),
  PeerIdMismatch: racoonOr(
    [
      t(
        2,
        'PROTO_ERR',
        'ipsec_doi.c:3606:ipsecdoi_checkid1',
        (c) => `received ID_I(${c.mismatchRemote}) does not match peers id(${c.mismatchLocal})`,
      ),
    ],
    [
      ch(
        2,
        'DEBUG',
        'ike_auth.c:338:get_peer_cfg',
        (c) =>
          `looking for peer configs matching ${c.local}[${c.local}]...${c.peer}[${c.mismatchRemote || c.peerId}]`,
      ),
      ch(2, 'PROTO_ERR', 'ike_auth.c:370:get_peer_cfg', () => 'no matching peer config found'),
      ch(2, 'DEBUG', 'message.c:1656:generate', () => 'generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]'),
    ],
  ),
  DpdHashNotifyCompatibility: documented(
    2,
    'isakmp_inf.c:398:isakmp_info_recv',
    () => 'ignore information because the message has no hash payload.',
  ),
  // charon prints no "seems to be dead": it retransmits the DPD request and gives up.
  DpdTimeout: racoonOr(
    [
      t(
        0,
        'PROTO_ERR',
        'isakmp_inf.c:1614:isakmp_info_recv_r_u_ack',
        (c) => `DPD: remote (ISAKMP-SA spi=${c.spi}) seems to be dead.`,
      ),
    ],
    [
      ch(0, 'DEBUG', 'ike_sa.c:828:send_dpd', () => 'sending DPD request'),
      ch(0, 'DEBUG', 'message.c:1656:generate', () => 'generating INFORMATIONAL request 0 [ ]'),
      ...retransmits('strongswan').map((x) => ({ ...x, level: 'PROTO_ERR' as const })),
    ],
  ),
  IkeVersionMismatch: racoonOr(
    [
      t(
        2,
        'PROTO_ERR',
        'isakmp.c:612:isakmp_main',
        (c) => `unknown ikev2 peer ${c.peer}[500], ignoring the packet`,
      ),
    ],
    noIkeConfig,
  ),
  NegotiationModeMismatch: (s) => {
    const text = (c: LogContext) =>
      c.mismatchLocal === 'main'
        ? 'in Identity not acceptable Aggressive mode'
        : 'not acceptable Identity Protection mode';
    return s === 'racoon'
      ? [t(2, 'PROTO_ERR', 'isakmp.c:1120:ph1_main', text)]
      : [
          ch(
            2,
            'PROTO_ERR',
            'phase1.c:600:select_config',
            (c) =>
              `found 1 matching config, but none allows pre-shared key authentication using ${c.mismatchLocal === 'main' ? 'Aggressive' : 'Main'} Mode`,
          ),
        ];
  },
  NatTMismatch: documented(
    2,
    'isakmp.c:1322:isakmp_parsewoh',
    () => 'ignore the packet, received unexpecting payload type 130.',
  ),
  LifetimeMismatch: documented(
    2,
    'ipsec_doi.c:1183:cmp_aproppair_i',
    (c) => `long lifetime proposed: my:${c.mismatchLocal} peer:${c.mismatchRemote}`,
  ),
  SecurityProtocolMismatch: documented(
    3,
    'ipsec_doi.c:1090:cmp_aproppair_i',
    () => 'proto_id mismatched: my:ESP peer:AH',
  ),
  EncapsulationModeMismatch: documented(
    3,
    'ipsec_doi.c:1135:cmp_aproppair_i',
    () => 'encmode mismatched: my:Tunnel peer:Transport',
  ),
  // Alibaba documents no line for these two: the generic proposal keyword it lists.
  AlgorithmCompatibility: documented(
    2,
    'ipsec_doi.c:1320:get_ph1approval',
    () => 'no suitable proposal found.',
  ),
  CommitMismatch: documented(3, 'isakmp_quick.c:880:quick_i2recv', () => 'none of my proposal matched.'),
  TrafficSelectorMismatch: racoonOr(
    [
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
    ],
    childRefused(
      [ch(3, 'PROTO_ERR', 'child_create.c:1601:build_r', (c) => `traffic selectors ${c.ts} unacceptable`)],
      'generating IKE_AUTH response 1 [ IDr AUTH N(TS_UNACCEPT) ]',
    ),
  ),
  // charon negotiates PFS in CREATE_CHILD_SA (the first CHILD_SA rides in IKE_AUTH without a key
  // exchange): the refusal comes with a rekey.
  PfsMismatch: racoonOr(
    [
      t(
        3,
        'PROTO_ERR',
        'ipsec_doi.c:1160:cmp_aproppair_i',
        (c) => `pfs group mismatched: my:${c.mismatchLocal} peer:${c.mismatchRemote}`,
      ),
    ],
    [
      ch(3, 'DEBUG', 'message.c:1932:parse_body', () => 'parsed CREATE_CHILD_SA request 4 [ SA No TSi TSr ]'),
      ch(
        3,
        'DEBUG',
        'proposal.c:1418:select_proposal',
        (c) =>
          `received proposals: ${withDh('ESP:AES_CBC_128/HMAC_SHA1_96', modp(c.mismatchRemote, ''), '/NO_EXT_SEQ')}`,
      ),
      ch(
        3,
        'DEBUG',
        'proposal.c:1419:select_proposal',
        (c) =>
          `configured proposals: ${withDh('ESP:AES_CBC_128/HMAC_SHA1_96', modp(c.mismatchLocal, 'MODP_1024'), '/NO_EXT_SEQ')}`,
      ),
      ch(3, 'PROTO_ERR', 'child_create.c:539:select_and_install', () => 'no acceptable proposal found'),
      ch(
        3,
        'DEBUG',
        'child_create.c:1378:handle_child_sa_failure',
        () => 'failed to establish CHILD_SA, keeping IKE_SA',
      ),
      ch(3, 'DEBUG', 'message.c:1656:generate', () => 'generating CREATE_CHILD_SA response 4 [ N(NO_PROP) ]'),
    ],
  ),
  ProposalMismatch: racoonOr(
    [t(2, 'PROTO_ERR', 'ipsec_doi.c:1320:get_ph1approval', () => 'no suitable proposal found.')],
    ikeRefused(
      () => 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      () => `${IKE_AES128_SHA1}/MODP_1024`,
    ),
  ),
  NegotiationFailed: documented(
    2,
    'isakmp.c:2100:isakmp_ph2begin_i',
    () => 'phase2 negotiation failed due to time up waiting for phase1.',
  ),
  Phase1NegotiationTimeout: (s) => [phase1Timeout(s)],
  // Alibaba documents no line: charon's retransmits of the CHILD_SA request, in both styles.
  Phase2NegotiationTimeout: () =>
    retransmits('strongswan', 2).map((x) => ({
      ...x,
      offset: x.offset / 2 + 5,
      level: 'PROTO_ERR' as const,
    })),
  NoResponse: (s) => retransmits(s),
  ReceiveDeleteNotify: racoonOr(
    [
      t(
        1,
        'PROTO_ERR',
        'isakmp_inf.c:1030:isakmp_info_recv_d',
        (c) => `received DELETE IKE_SA from ${c.peer}, purging ISAKMP-SA spi=${c.spi}`,
      ),
    ],
    [
      ch(1, 'DEBUG', 'message.c:1932:parse_body', () => 'parsed INFORMATIONAL request 2 [ D ]'),
      ch(1, 'PROTO_ERR', 'ike_delete.c:115:process_r', (c) => `received DELETE for IKE_SA ${c.conn}[1]`),
      ch(
        1,
        'DEBUG',
        'ike_delete.c:128:process_r',
        (c) => `deleting IKE_SA ${c.conn}[1] between ${c.local}[${c.local}]...${c.peer}[${c.peerId}]`,
      ),
      ch(1, 'DEBUG', 'ike_delete.c:141:process_r', () => 'IKE_SA deleted'),
    ],
  ),
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
