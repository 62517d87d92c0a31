import { describe, expect, it } from 'vitest';
import {
  AddressError,
  cidrContains,
  cidrProblems,
  cidrsOverlap,
  formatRange,
  isMoreSpecific,
  longestPrefixMatch,
  mergeRanges,
  parseCidr,
  parseIpv4,
  piecesOf,
} from '../../src/model/addressing.js';

describe('parseCidr', () => {
  it('parses a block into uint32 bounds', () => {
    const c = parseCidr('192.168.0.0/16');
    expect(c).toEqual({ text: '192.168.0.0/16', prefix: 16, start: 0xc0a80000, end: 0xc0a8ffff });
  });

  it('handles /0 and /32', () => {
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ start: 0, end: 0xffffffff, prefix: 0 });
    expect(parseCidr('10.1.2.3/32')).toMatchObject({
      text: '10.1.2.3/32',
      start: 0x0a010203,
      end: 0x0a010203,
    });
  });

  it('clears host bits but cidrProblems reports them', () => {
    expect(parseCidr('10.0.0.5/24').text).toBe('10.0.0.0/24');
    expect(cidrProblems('10.0.0.5/24')).toEqual([
      '"10.0.0.5/24" has host bits set: the block is 10.0.0.0/24',
    ]);
    expect(cidrProblems('10.0.0.0/24')).toEqual([]);
  });

  it('rejects malformed input naming the value and the context', () => {
    expect(() => parseCidr('10.0.0.0/33', 'RemoteSubnet of vco-1')).toThrow(AddressError);
    expect(() => parseCidr('10.0.0.0/33', 'RemoteSubnet of vco-1')).toThrow(
      '"10.0.0.0/33" is not an IPv4 CIDR block like 192.168.0.0/16 (RemoteSubnet of vco-1)',
    );
    expect(() => parseCidr('10.1/16')).toThrow(/not an IPv4 CIDR block/);
    expect(() => parseCidr('fd00::/8')).toThrow(/IPv6 is not supported/);
    expect(() => parseIpv4('169.254.10')).toThrow('"169.254.10" is not an IPv4 address in dotted-quad form');
  });
});

describe('containment and overlap', () => {
  const a = parseCidr('10.0.0.0/16');
  const b = parseCidr('10.0.1.0/24');
  const c = parseCidr('10.1.0.0/16');
  it('contains, overlaps, more specific', () => {
    expect(cidrContains(a, b)).toBe(true);
    expect(cidrContains(b, a)).toBe(false);
    expect(cidrsOverlap(a, b)).toBe(true);
    expect(cidrsOverlap(a, c)).toBe(false);
    expect(isMoreSpecific(b, a)).toBe(true);
    expect(isMoreSpecific(a, a)).toBe(false);
  });
});

describe('longestPrefixMatch', () => {
  const routes = ['0.0.0.0/0', '192.168.0.0/16', '192.168.1.0/24', 'bogus'];
  const of = (s: string) => (s === 'bogus' ? null : parseCidr(s));
  it('picks the most specific block containing the target', () => {
    expect(longestPrefixMatch(parseCidr('192.168.1.0/25'), routes, of)).toBe('192.168.1.0/24');
    expect(longestPrefixMatch(parseCidr('192.168.2.0/24'), routes, of)).toBe('192.168.0.0/16');
    expect(longestPrefixMatch(parseCidr('10.0.0.0/8'), routes, of)).toBe('0.0.0.0/0');
  });
  it('returns null when nothing contains the target (a more specific route does not contain it)', () => {
    expect(longestPrefixMatch(parseCidr('172.16.0.0/12'), ['172.16.1.0/24'], parseCidr)).toBeNull();
  });
});

describe('pieces and ranges', () => {
  it('cuts a block at the boundaries of the blocks inside it', () => {
    const pieces = piecesOf(parseCidr('192.168.0.0/16'), [
      parseCidr('192.168.1.0/24'),
      parseCidr('10.0.0.0/8'),
    ]);
    expect(pieces.map(formatRange)).toEqual([
      '192.168.0.0/24',
      '192.168.1.0/24',
      '192.168.2.0-192.168.255.255',
    ]);
  });
  it('a covering block does not cut', () => {
    expect(piecesOf(parseCidr('192.168.0.0/16'), [parseCidr('0.0.0.0/0')]).map(formatRange)).toEqual([
      '192.168.0.0/16',
    ]);
  });
  it('merges adjacent ranges back into a block', () => {
    const merged = mergeRanges(piecesOf(parseCidr('192.168.0.0/16'), [parseCidr('192.168.1.0/24')]));
    expect(merged.map(formatRange)).toEqual(['192.168.0.0/16']);
  });
});
