import { describe, expect, it } from 'vitest';
import { SHIPPED } from '../../src/diagnose/causes/registry.js';
import { phaseAgrees, resolvePhased } from '../../src/diagnose/facts/causes.js';
import { dhGroupName, mismatchKind, remoteIsStronger } from '../../src/diagnose/facts/params.js';
import { mapReasonCode, REASON_CODES } from '../../src/diagnose/facts/reason-codes.js';

describe('FailedReasonCode mapping', () => {
  it('covers every code the cause registry declares', () => {
    expect(Object.keys(REASON_CODES).sort()).toEqual(SHIPPED.codes().sort());
  });

  it.each([
    ['PeerMismatch', 'wrong-customer-gateway-ip'],
    ['DhGroupMismatch', 'dh-group-mismatch'],
    ['PskMismatch', 'psk-mismatch'],
    ['PeerIdMismatch', 'peer-id-mismatch'],
    ['DpdTimeout', 'dpd-timeout'],
    ['IkeVersionMismatch', 'ike-version-mismatch'],
    ['NegotiationModeMismatch', 'ike-mode-mismatch'],
    ['NatTMismatch', 'nat-traversal-mismatch'],
    ['LifetimeMismatch', 'lifetime-mismatch'],
    ['TrafficSelectorMismatch', 'traffic-selector-mismatch'],
    ['PfsMismatch', 'pfs-mismatch'],
    ['Phase1NegotiationTimeout', 'peer-unreachable'],
    ['NoResponse', 'peer-unreachable'],
    ['ReceiveDeleteNotify', 'peer-deleted-sa'],
    ['SecurityProtocolMismatch', 'ipsec-proposal-mismatch'],
    ['EncapsulationModeMismatch', 'ipsec-proposal-mismatch'],
    ['CommitMismatch', 'ipsec-proposal-mismatch'],
    ['Phase2NegotiationTimeout', 'ipsec-proposal-mismatch'],
    ['DpdHashNotifyCompatibility', 'dpd-timeout'],
  ])('%s → %s', (code, id) => {
    expect(mapReasonCode(code).cause).toBe(id);
  });

  it('resolves generic algorithm codes by the phase reached', () => {
    for (const code of [
      'AlgorithmMismatch',
      'EncryptionAlgorithmMismatch',
      'AuthenticationAlgorithmMismatch',
      'AlgorithmCompatibility',
      'ProposalMismatch',
    ]) {
      const cause = mapReasonCode(code).cause;
      expect(cause).toBe('proposal');
      expect(resolvePhased(cause!, false)).toBe('ike-algorithm-mismatch');
      expect(resolvePhased(cause!, true)).toBe('ipsec-proposal-mismatch');
    }
    expect(resolvePhased('dh', false)).toBe('dh-group-mismatch');
    expect(resolvePhased('dh', true)).toBe('pfs-mismatch');
  });

  it('names no cause for generic and unknown codes', () => {
    expect(mapReasonCode('NegotiationFailed').cause).toBeNull();
    expect(mapReasonCode('NoExceptionFound').cause).toBeNull();
    expect(mapReasonCode('SomethingNew').cause).toBeNull();
  });

  it('checks phase agreement', () => {
    expect(phaseAgrees('traffic-selector-mismatch', false)).toBe(false);
    expect(phaseAgrees('traffic-selector-mismatch', true)).toBe(true);
    expect(phaseAgrees('psk-mismatch', true)).toBe(false);
    expect(phaseAgrees('dpd-timeout', true)).toBe(true);
  });
});

describe('mismatch parameters', () => {
  it('normalises DH names', () => {
    expect(dhGroupName('MODP_1024')).toBe('group2');
    expect(dhGroupName('group 14')).toBe('group14');
    expect(dhGroupName('aes')).toBeNull();
  });
  it('classifies values', () => {
    expect(mismatchKind('group2', 'group14')).toBe('dh-group');
    expect(mismatchKind('sha256', 'SHA')).toBe('authentication');
    expect(mismatchKind('aes256', '3des')).toBe('encryption');
    expect(mismatchKind('ikev1', 'ikev2')).toBe('ike-version');
    expect(mismatchKind('86400', '28800')).toBe('lifetime');
    expect(mismatchKind('', '')).toBe('');
  });
  it('says which side is stronger', () => {
    expect(remoteIsStronger('group2', 'group14')).toBe(true);
    expect(remoteIsStronger('sha256', 'md5')).toBe(false);
    expect(remoteIsStronger('aes', 'whatever')).toBe(false);
  });
});
