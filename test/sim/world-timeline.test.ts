// The live world under a manual clock: incidents change status, traffic, diagnosis and logs at
// the right instant; diagnosis follows Alibaba's 3-minute window; logs carry the documented
// keywords of every cause in both racoon and strongSwan phrasing.
import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_WINDOW_MS, diagnoseTunnel } from '../../src/sim/world/diagnosis.js';
import { loadScenario } from '../../src/sim/world/load.js';
import { formatLogTime, tunnelLogLines } from '../../src/sim/world/logs.js';
import { SimWorldState } from '../../src/sim/world/state.js';
import { FAILED_REASON_CODES, type FailedReasonCode, type World } from '../../src/sim/world/types.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;

/** Log keywords Alibaba lists per FailedReasonCode (reference §1.3), for the racoon style and the
 * causes charon cannot fail on; matched case-insensitively. */
const KEYWORDS: Partial<Record<FailedReasonCode, string[]>> = {
  PeerMismatch: ['received UNSUPPORTED_CRITICAL_PAYLOAD error'],
  AlgorithmMismatch: [
    'HASH mismatched',
    'parsed INFORMATIONAL_V1 request',
    'packet lacks expected payload',
    'authentication failure',
  ],
  EncryptionAlgorithmMismatch: [
    'invalid encryption algorithm',
    'trns_id mismatched',
    'rejected enctype',
    'authentication failure',
  ],
  AuthenticationAlgorithmMismatch: ['authtype mismatched', 'rejected hashtype', 'authentication failure'],
  DhGroupMismatch: [
    'received KE type',
    'failed to compute dh value',
    'rejected dh_group',
    'proposal mismatch, transform type:4',
  ],
  PskMismatch: [
    'mismatch of preshared secrets',
    'invalid HASH_V1 payload length, decryption failed',
    'could not decrypt payloads',
  ],
  PeerIdMismatch: [
    'does not match peers id',
    'message lacks IDr payload',
    'Unknow peer id',
    'Parse PEERID failed',
  ],
  DpdHashNotifyCompatibility: ['ignore information because the message has no hash payload'],
  DpdTimeout: ['seems to be dead'],
  IkeVersionMismatch: ['unknown ikev2 peer'],
  NegotiationModeMismatch: [
    'in Identity not acceptable Aggressive mode',
    'not acceptable Identity Protection mode',
  ],
  NatTMismatch: ['ignore the packet, received unexpecting payload type 130'],
  LifetimeMismatch: ['long lifetime proposed'],
  SecurityProtocolMismatch: ['proto_id mismatched'],
  EncapsulationModeMismatch: ['encmode mismatched'],
  TrafficSelectorMismatch: [
    'traffic selector mismatch',
    'invalid-id-information',
    'traffic selector unacceptable',
    "can't find matching selector",
    'received INVALID_ID_INFORMATION error notify',
    'received Notify type TS_UNACCEPTABLE',
  ],
  PfsMismatch: ['pfs group mismatched', 'message lacks KE payload'],
  ProposalMismatch: ['no proposal chosen', 'received NO_PROPOSAL_CHOSEN', 'no suitable proposal found'],
  NegotiationFailed: ['phase2 negotiation failed due to time up waiting for phase1'],
  Phase1NegotiationTimeout: [
    'phase1 negotiation failed due to time up',
    'ignore information because ISAKMP-SA has not been established',
  ],
  NoResponse: [
    'sending retransmit 1 of request message ID 0, seq 1',
    'retransmission count exceeded the limit',
  ],
  ReceiveDeleteNotify: ['received DELETE IKE_SA'],
};

/** Real charon 5.9.8 text per code (test/fixtures/ike-logs), for the strongSwan style. */
const CHARON_KEYWORDS: Partial<Record<FailedReasonCode, string[]>> = {
  PeerMismatch: ['no IKE config found for'],
  AlgorithmMismatch: ['received proposals unacceptable'],
  EncryptionAlgorithmMismatch: ['no acceptable proposal found'],
  AuthenticationAlgorithmMismatch: ['received proposals unacceptable'],
  DhGroupMismatch: ['received proposals unacceptable'],
  PskMismatch: ['but MAC mismatched'],
  PeerIdMismatch: ['no matching peer config found'],
  DpdTimeout: ['giving up after 5 retransmits'],
  IkeVersionMismatch: ['no IKE config found for'],
  NegotiationModeMismatch: ['but none allows pre-shared key authentication'],
  TrafficSelectorMismatch: ['unacceptable'],
  PfsMismatch: ['no acceptable proposal found'],
  ProposalMismatch: ['received proposals unacceptable'],
  Phase1NegotiationTimeout: ['peer not responding'],
  NoResponse: ['giving up after 5 retransmits'],
  ReceiveDeleteNotify: ['received DELETE for IKE_SA'],
};

const LINE =
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} vco-\S+ \[(DEBUG|PROTO_ERR)\]: [a-z_0-9]+\.c:\d+:\w+\(\): .+$/;

function world(name: string, mutate?: (w: World) => void) {
  const w = loadScenario(name);
  mutate?.(w);
  const state = new SimWorldState(w, T0);
  const region = w.accounts[0]!.regions[0]!;
  return { w, state, region };
}

describe('failover drill on a manual clock', () => {
  const { state, region } = world('failover-drill');
  const conn = region.connections.find((c) => c.id === 'vco-bp1hztokyo00000001')!;
  const [t1, t2] = conn.tunnels;

  it('is healthy before the incident', () => {
    state.advance(s(59));
    expect(state.tunnelAt(conn, 1, s(59))).toMatchObject({
      status: 'ipsec_sa_established',
      up: true,
      failure: null,
    });
    expect(state.trafficAt(conn, s(59)).activeTunnelId).toBe(t1.id);
    expect(diagnoseTunnel(state, region, conn, 1, s(59))).toBeNull();
    expect(state.transitions(0, s(59))).toEqual([]);
  });

  it('fails the primary at t+60 s: status, traffic on the standby, a transition', () => {
    state.advance(s(60));
    const rt = state.tunnelAt(conn, 1, s(60));
    expect(rt.status).toBe('ike_sa_not_established');
    expect(rt.failure).toMatchObject({ code: 'NoResponse', since: s(60), phase: 1, origin: 'incident' });
    expect(state.tunnelAt(conn, 2, s(60)).status).toBe('ipsec_sa_established');
    const traffic = state.trafficAt(conn, s(60));
    expect(traffic.activeTunnelId).toBe(t2.id);
    expect(traffic.rxBps).toBeGreaterThan(conn.traffic.rxBps * 0.8);
    expect(state.transitions(0, s(60))).toEqual([
      expect.objectContaining({ at: s(60), tunnelId: t1.id, tunnel: 1, up: false, cause: 'NoResponse' }),
    ]);
    // History answers the past consistently: before t+60 the tunnel was still up.
    expect(state.tunnelAt(conn, 1, s(30)).up).toBe(true);
  });

  it('diagnoses the failure with its retransmit log line while it persists', () => {
    state.advance(s(170));
    const d = diagnoseTunnel(state, region, conn, 1, s(170));
    expect(d).toMatchObject({
      code: 'NoResponse',
      severity: 'Critical',
      tunnelId: t1.id,
      connectionId: conn.id,
    });
    expect(d!.failedTime).toBeGreaterThanOrEqual(s(170) - DIAGNOSIS_WINDOW_MS);
    expect(d!.failedTime).toBeLessThanOrEqual(s(170));
    expect(d!.sourceLog).toContain('giving up after 5 retransmits'); // IKEv2 tunnel: charon's words
    expect(d!.sourceLog).toMatch(LINE);
    expect(diagnoseTunnel(state, region, conn, 2, s(170))).toBeNull();
  });

  it('logs the retransmits strongSwan-style (IKEv2 tunnel), in UTC+8, only after the failure', () => {
    const lines = tunnelLogLines(state, region, conn, 1, s(0), s(170)).map((l) => l.line);
    for (const l of lines) expect(l).toMatch(LINE);
    const joined = lines.join('\n');
    expect(joined).toContain('retransmit 1 of request with message ID 0');
    expect(joined).toContain('giving up after 5 retransmits');
    expect(joined).toContain('task_manager_v2.c');
    expect(joined).not.toContain('isakmp_ph1resend');
    const firstError = lines.find((l) => l.includes('[PROTO_ERR]'))!;
    expect(firstError.startsWith(formatLogTime(s(110)))).toBe(true); // attempt at 60 s, gives up 50 s later
    expect(formatLogTime(s(0))).toBe('2026-01-01 08:00:00');
    // Healthy DPD keepalives before the failure are DEBUG noise.
    expect(lines.filter((l) => l.includes('[DEBUG]') && l < formatLogTime(s(60))).length).toBeGreaterThan(0);
  });

  it('recovers at t+240 s: failback, then the diagnosis fades after 3 minutes', () => {
    state.advance(s(240));
    expect(state.tunnelAt(conn, 1, s(240)).up).toBe(true);
    expect(state.trafficAt(conn, s(240)).activeTunnelId).toBe(t1.id);
    const soon = diagnoseTunnel(state, region, conn, 1, s(300));
    expect(soon).toMatchObject({ code: 'NoResponse', severity: 'Warn' });
    expect(diagnoseTunnel(state, region, conn, 1, s(240) + DIAGNOSIS_WINDOW_MS + 60_000)).toBeNull();
    const logs = tunnelLogLines(state, region, conn, 1, s(235), s(250))
      .map((l) => l.line)
      .join('\n');
    expect(logs).toMatch(/IKE_SA vco-bp1hztokyo00000001\[1\] established/);
    expect(logs).toMatch(/CHILD_SA .* established/);
    expect(state.transitions(0, s(300)).map((t) => [t.tunnel, t.up])).toEqual([
      [1, false],
      [1, true],
    ]);
  });
});

describe('configuration mismatches and the 3-minute window', () => {
  it('derives DhGroupMismatch with both values from the two configs, in both log styles', () => {
    const { state, region } = world('dh-group-mismatch');
    const conn = region.connections[0]!;
    const d = diagnoseTunnel(state, region, conn, 1, s(30));
    expect(d).toMatchObject({ code: 'DhGroupMismatch', mismatchLocal: 'group2', mismatchRemote: 'group14' });
    // charon's words: the failed selection's pair of dumps carries both groups.
    expect(d!.sourceLog).toContain('received proposals unacceptable');
    const ss = tunnelLogLines(state, region, conn, 1, s(0), s(60))
      .map((l) => l.line)
      .join('\n');
    expect(ss).toContain('received proposals: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048');
    expect(ss).toContain('configured proposals: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024');
    const racoon = world('dh-group-mismatch', (w) => {
      w.accounts[0]!.regions[0]!.vpnGateways[0]!.logStyle = 'racoon';
    });
    const lines = tunnelLogLines(racoon.state, racoon.region, racoon.region.connections[0]!, 1, s(0), s(60));
    expect(lines.map((l) => l.line).join('\n')).toContain(
      'rejected dh_group: DB(prop#1:trns#1):Peer(prop#1:trns#1) = group2:group14',
    );
  });

  it('keeps reporting a persisting failure (FailedTime refreshes) hours later', () => {
    const { state, region } = world('psk-mismatch');
    const conn = region.connections[0]!;
    const now = s(5 * 3600);
    const d = diagnoseTunnel(state, region, conn, 2, now);
    expect(d).toMatchObject({
      code: 'PskMismatch',
      severity: 'Critical',
      mismatchLocal: '',
      mismatchRemote: '',
    });
    expect(now - d!.failedTime).toBeLessThan(60_000);
    expect(state.tunnelAt(conn, 2, now).status).toBe('ike_sa_not_established');
    expect(state.trafficAt(conn, now)).toEqual({ rxBps: 0, txBps: 0, activeTunnelId: null });
  });

  it('a phase-2 failure leaves phase 1 up; a phase-2 timeout shows ike_sa_established', () => {
    const { state, region } = world('traffic-selector-mismatch');
    const conn = region.connections[0]!;
    expect(state.tunnelAt(conn, 1, s(10)).status).toBe('ipsec_sa_not_established');
    const logs = tunnelLogLines(state, region, conn, 1, s(0), s(60))
      .map((l) => l.line)
      .join('\n');
    expect(logs).toContain('ISAKMP-SA established'); // IKEv1 → racoon style
    expect(logs).toContain('received INVALID_ID_INFORMATION error notify');
    state.apply(
      { kind: 'fail', connectionId: conn.id, tunnel: 1, cause: 'Phase2NegotiationTimeout' },
      s(100),
    );
    expect(state.tunnelAt(conn, 1, s(100)).status).toBe('ike_sa_established');
  });

  it('BGP mistakes leave IPsec up and only BGP down', () => {
    const { state, region } = world('bgp-session-down');
    const conn = region.connections[0]!;
    expect(state.tunnelAt(conn, 1, s(0))).toMatchObject({ up: true, bgpUp: false });
    expect(state.tunnelAt(conn, 2, s(0))).toMatchObject({ up: true, bgpUp: true });
  });

  it('repeats a looping timeline (demo)', () => {
    const { w, state } = world('demo');
    const conn = w.accounts[0]!.regions[0]!.connections[0]!;
    state.advance(s(600 + 61));
    expect(state.tunnelAt(conn, 1, s(600 + 61)).failure?.code).toBe('NoResponse');
    expect(state.tunnelAt(conn, 1, s(600 + 30)).up).toBe(true);
    expect(
      state
        .transitions(0, s(661))
        .filter((t) => t.connectionId === conn.id)
        .map((t) => t.at),
    ).toEqual([s(60), s(180), s(660)]);
  });
});

describe('every cause logs its documented keywords in both styles', () => {
  for (const style of ['racoon', 'strongswan'] as const) {
    for (const code of FAILED_REASON_CODES) {
      it(`${code} (${style})`, () => {
        const { state, region } = world('healthy', (w) => {
          for (const g of w.accounts[0]!.regions[0]!.vpnGateways) g.logStyle = style;
        });
        const conn = region.connections[0]!;
        state.apply({ kind: 'fail', connectionId: conn.id, tunnel: 1, cause: code }, s(60));
        const lines = tunnelLogLines(state, region, conn, 1, s(0), s(240)).map((l) => l.line);
        for (const l of lines) expect(l).toMatch(LINE);
        const errors = lines
          .filter((l) => l.includes('[PROTO_ERR]'))
          .join('\n')
          .toLowerCase();
        expect(errors.length).toBeGreaterThan(0);
        const keywords = style === 'strongswan' ? (CHARON_KEYWORDS[code] ?? KEYWORDS[code]) : KEYWORDS[code];
        if (keywords) expect(keywords.some((k) => errors.includes(k.toLowerCase()))).toBe(true);
        const d = diagnoseTunnel(state, region, conn, 1, s(200));
        expect(d?.code).toBe(code);
        expect(lines).toContain(d!.sourceLog);
      });
    }
  }
});
