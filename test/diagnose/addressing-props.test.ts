// Property tests: the piece decomposition and the CIDR-level filter verdict agree with checking
// every address one by one; the exception-free parsers accept exactly what ipaddr.js accepts.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { verdictOverCidr } from '../../src/diagnose/facts/filtering-probe.js';
import {
  cidrContainsIp,
  formatIp,
  parseCidr,
  piecesOf,
  readIpv4Text,
  tryParseCidr,
} from '../../src/model/addressing.js';

/** A random block inside 10.0.0.0/22 with a prefix from /22 to /30. */
const smallCidr = fc
  .tuple(fc.integer({ min: 22, max: 30 }), fc.integer({ min: 0, max: 1023 }))
  .map(([prefix, offset]) => parseCidr(`${formatIp(0x0a000000 + offset)}/${prefix}`));

describe('piecesOf', () => {
  it('partitions the block, and every rule block contains or misses each piece entirely', () => {
    fc.assert(
      fc.property(smallCidr, fc.array(smallCidr, { maxLength: 8 }), (whole, blocks) => {
        const pieces = piecesOf(whole, blocks);
        expect(pieces[0]?.start).toBe(whole.start);
        expect(pieces[pieces.length - 1]?.end).toBe(whole.end);
        for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.start).toBe(pieces[i - 1]!.end + 1);
        for (const p of pieces) {
          for (const b of blocks) {
            const inside = cidrContainsIp(b, p.start) && cidrContainsIp(b, p.end);
            const outside = b.end < p.start || b.start > p.end;
            expect(inside || outside).toBe(true);
          }
        }
      }),
    );
  });
});

describe('verdictOverCidr', () => {
  it('blocks exactly the addresses a per-address first-match filter blocks', () => {
    const rule = fc.record({ cidr: smallCidr, accept: fc.boolean() });
    fc.assert(
      fc.property(smallCidr, fc.array(rule, { maxLength: 6 }), (whole, rules) => {
        // First matching rule decides; no match denies (the shape of an ACL).
        const decide = (ip: number) => {
          const r = rules.find((x) => cidrContainsIp(x.cidr, ip));
          return { allowed: r?.accept ?? false, by: r ? r.cidr.text : 'none' };
        };
        const v = verdictOverCidr(
          whole,
          rules.map((r) => r.cidr.text),
          decide,
        );
        let blocked = 0;
        for (let ip = whole.start; ip <= whole.end; ip++) if (!decide(ip).allowed) blocked++;
        const size = whole.end - whole.start + 1;
        expect(v.whole).toBe(blocked === size);
        expect(v.blocked.length === 0).toBe(blocked === 0);
      }),
    );
  });
});

describe('tryParseCidr', () => {
  // The parser skips ipaddr.js's try/catch on the hot path; it must accept exactly what
  // ipaddr.IPv4.isValidCIDRFourPartDecimal accepts, and give the same block.
  const reference = (text: string): string | null => {
    const s = text.trim();
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(s)) return null;
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(s);
    return parseCidr(`${addr.octets.join('.')}/${prefix}`).text;
  };
  const part = fc.oneof(
    fc.constantFrom('0', '00', '01', '255', '256', '0x1', '99999999999999999999', '-1', '', ' ', '1e2'),
    fc.nat(300).map(String),
  );
  const prefix = fc.oneof(fc.constantFrom('032', '33', '', ' 8', '-1', 'x'), fc.nat(40).map(String));
  const spelling = fc
    .tuple(
      part,
      part,
      part,
      part,
      prefix,
      fc.constantFrom('.', ':', '/'),
      fc.constantFrom('', ' ', '\n', '/1'),
    )
    .map(([a, b, c, d, p, sep, tail]) => ` ${a}.${b}.${c}${sep}${d}/${p}${tail}`);

  it('accepts exactly the spellings ipaddr.js accepts, with the same block', () => {
    fc.assert(
      fc.property(fc.oneof(spelling, fc.string()), (text) => {
        expect(tryParseCidr(text)?.text ?? null).toBe(reference(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads addresses exactly as ipaddr.js four-part-decimal parsing does', () => {
    const address = fc
      .tuple(part, part, part, part, fc.constantFrom('', ' ', '/24', '.1'))
      .map(([a, b, c, d, tail]) => `${a}.${b}.${c}.${d}${tail}`);
    fc.assert(
      fc.property(fc.oneof(address, fc.string()), (text) => {
        const s = text.trim();
        const expected = ipaddr.IPv4.isValidFourPartDecimal(s)
          ? ipaddr.IPv4.parse(s).toByteArray().join('.')
          : null;
        const read = readIpv4Text(text);
        expect(read.ip === null ? null : formatIp(read.ip)).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('rejects without throwing and names the value when parsed strictly', () => {
    expect(tryParseCidr('')).toBeNull();
    expect(tryParseCidr('10.0.0.0/33')).toBeNull();
    expect(tryParseCidr('10.0.0.1/024')?.text).toBe('10.0.0.0/24');
    expect(() => parseCidr('fe80::/64', 'x')).toThrow(
      '"fe80::/64" is not an IPv4 CIDR block like 192.168.0.0/16: IPv6 is not supported here (x)',
    );
  });
});
