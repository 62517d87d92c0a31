import { describe, expect, it } from 'vitest';
import { classifyLogs, MAX_LINES } from '../../src/diagnose/facts/log-classifier.js';

const alibaba = (msg: string) =>
  `2026-01-01 10:00:00 vco-bp1spxu8hlcvpd7ry**** [PROTO_ERR]: ikev1.c:1433:isakmp_ph1resend(): ${msg}`;
const causes = (lines: string[]) => classifyLogs(lines).signals.map((s) => s.cause);

describe('classifyLogs', () => {
  it.each([
    ['MAC mismatched', 'psk-mismatch'],
    ['Decryption failed! mismatch of preshared secrets', 'psk-mismatch'],
    ['invalid HASH_V1 payload length, decryption failed?', 'psk-mismatch'],
    // The initiator cannot tell the PSK from the IDs (or, IKEv1, the mode): a failure, no cause.
    ['received AUTHENTICATION_FAILED notify error', 'generic'],
    // Real charon 5.9.8 lines (test/fixtures/ike-logs).
    ['no IKE config found for 198.18.0.1...198.18.0.2, sending NO_PROPOSAL_CHOSEN', 'generic'],
    ['unable to install inbound and outbound IPsec SA (SAD) in kernel', 'generic'],
    ['calculated HASH does not match HASH payload', 'psk-mismatch'],
    ['received IDr 198.18.0.1, but require 198.18.0.9', 'peer-id-mismatch'],
    [
      'found 1 matching config, but none allows pre-shared key authentication using Aggressive Mode',
      'ike-mode-mismatch',
    ],
    ['DPD check timed out, enforcing DPD action', 'dpd-timeout'],
    ['no acceptable ENCRYPTION_ALGORITHM found', 'proposal'],
    ['no acceptable KEY_EXCHANGE_METHOD found', 'dh'],
    // Real charon prints it for an algorithm, a DH group and an IKE version mismatch alike.
    ['received NO_PROPOSAL_CHOSEN notify error', 'generic'],
    ['received Notify type TS_UNACCEPTABLE', 'traffic-selector-mismatch'],
    ['traffic selectors 10.0.0.0/16 === 192.168.0.0/16 unacceptable', 'traffic-selector-mismatch'],
    ['no matching peer config found', 'peer-id-mismatch'],
    ['sending retransmit 3 of request message ID 0, seq 3', 'peer-unreachable'],
    ['giving up after 5 retransmits', 'peer-unreachable'],
    ['retransmission count exceeded the limit', 'peer-unreachable'],
    ['DPD: remote (ISAKMP-SA spi=0123abcd) seems to be dead.', 'dpd-timeout'],
    ['received DELETE for IKE_SA vco-x[1]', 'peer-deleted-sa'],
    ['received UNSUPPORTED_CRITICAL_PAYLOAD error notify', 'wrong-customer-gateway-ip'],
    ['pfs group mismatched: my:group2 peer:group14', 'pfs-mismatch'],
    ['long lifetime proposed', 'lifetime-mismatch'],
    ['ignore the packet, received unexpecting payload type 130.', 'nat-traversal-mismatch'],
    ['not acceptable Identity Protection mode', 'ike-mode-mismatch'],
    ['unknown ikev2 peer 203.0.113.10[500]', 'ike-version-mismatch'],
    ['proto_id mismatched: my:ESP peer:AH', 'ipsec-proposal-mismatch'],
    ['rejected dh_group: DB(prop#1:trns#1):Peer(prop#1:trns#1) = group2:group14', 'dh'],
  ])('reads "%s" as %s', (msg, cause) => {
    expect(causes([alibaba(msg)])).toEqual([cause]);
  });

  it('is case-insensitive and tolerant of any prefix', () => {
    expect(causes(['mac MISMATCHED'])).toEqual(['psk-mismatch']);
    expect(causes(['Jan  1 10:00:00 charon: 09[IKE] no_proposal_chosen'])).toEqual(['proposal']);
  });

  it('names no cause for unrelated lines and the generic phase-2 wait', () => {
    expect(
      causes([alibaba('initiate new phase 1 negotiation: 47.96.10.1[500]<=>203.0.113.10[500]')]),
    ).toEqual([]);
    expect(causes([alibaba('phase2 negotiation failed due to time up waiting for phase1.')])).toEqual([
      'generic',
    ]);
  });

  it('extracts the values at hand', () => {
    const [ke] = classifyLogs(['received KE type 14,expected 2']).signals;
    expect(ke).toMatchObject({ local: 'group2', remote: 'group14' });
    const [hash] = classifyLogs(['HASH mismatched: my:sha1 peer:sha256']).signals;
    expect(hash).toMatchObject({ cause: 'proposal', local: 'sha1', remote: 'sha256' });
    const [enc] = classifyLogs(['invalid encryption algorithm 3DES proposed, expected AES256']).signals;
    expect(enc).toMatchObject({ local: 'aes256', remote: '3des' });
  });

  it('does not read a received retransmit (the peer IS answering) as silence', () => {
    expect(causes(['received retransmit of request with ID 1, retransmitting response'])).toEqual([]);
    expect(causes(['retransmit 2 of request with message ID 0'])).toEqual(['peer-unreachable']);
  });

  it('reads retransmits after a DPD request as a dead peer', () => {
    const s = classifyLogs([
      'sending DPD request',
      'generating INFORMATIONAL request 2 [ ]',
      'retransmit 1 of request with message ID 2',
      'giving up after 5 retransmits',
    ]).signals;
    expect(s.filter((x) => x.cause === 'dpd-timeout')).toHaveLength(2);
  });

  it('pairs proposal dumps only within one failed selection of one protocol', () => {
    // An IKE selection that succeeded, then an ESP config dump: no PFS claim (issue 12).
    const s = classifyLogs([
      'received proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'configured proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'selected proposal: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'configured proposals: ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ',
    ]).signals;
    expect(s).toEqual([]);
    // A failed ESP selection that differs in encryption: no DH/PFS claim either.
    const alg = classifyLogs([
      'received proposals: ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ',
      'configured proposals: ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ',
    ]).signals;
    expect(alg.some((x) => x.cause === 'pfs-mismatch' || x.cause === 'dh')).toBe(false);
  });

  it('compares strongSwan proposal dumps for the DH group', () => {
    const s = classifyLogs([
      'received proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'configured proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024',
      'received proposals unacceptable',
    ]).signals.find((x) => x.cause === 'dh');
    expect(s).toMatchObject({ local: 'group2', remote: 'group14', weight: 88 });
  });

  it('reads PFS enabled on one side only from ESP proposal dumps', () => {
    const s = classifyLogs([
      'received proposals: ESP:AES_CBC_256/HMAC_SHA1_96/MODP_1024/NO_EXT_SEQ',
      'configured proposals: ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ',
      'no matching proposal found, sending NO_PROPOSAL_CHOSEN',
    ]).signals.find((x) => x.cause === 'pfs-mismatch');
    expect(s).toMatchObject({ local: 'disabled', remote: 'group2' });
    const ike = classifyLogs([
      'received proposals: IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1',
      'configured proposals: IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
    ]).signals;
    expect(ike).toEqual([]);
  });

  it('keeps only the last MAX_LINES lines and caps line length', () => {
    const old = Array.from({ length: 50 }, () => 'MAC mismatched');
    const filler = Array.from({ length: MAX_LINES }, () => 'nothing to see');
    const r = classifyLogs([...old, ...filler]);
    expect(r.linesSeen).toBe(MAX_LINES);
    expect(r.signals).toEqual([]);
    const [long] = classifyLogs([`${'x'.repeat(5000)} MAC mismatched`]).signals.concat();
    expect(long).toBeUndefined();
  });

  it('stays fast on hostile input', () => {
    // Keyword lines (so value extraction runs too) padded with near-matches of every value form.
    const hostile = Array.from({ length: MAX_LINES }, (_, i) =>
      i % 2
        ? `dpd ${'dpd seems to be '.repeat(60)}`
        : `HASH mismatched ${'my:a peer:'.repeat(40)}${'a, expected'.repeat(30)}${'b'.repeat(200)}`,
    );
    const t = performance.now();
    for (let i = 0; i < 10; i++) classifyLogs(hostile);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(classifyLogs(hostile).signals).toHaveLength(MAX_LINES / 2);
  });
});
