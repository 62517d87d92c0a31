// The VICI codec against bytes recorded from a real charon 5.9.8 and strongSwan's own swanctl
// (scripts/record-vici-fixtures.ts): charon's packets decode to what swanctl printed for them (--raw),
// and re-encoding swanctl's requests gives libvici's bytes back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, ViciCodecError, type ViciMessage } from '../../src/peer/vici/codec.js';
import {
  decodePacket,
  encodePacket,
  type Packet,
  PacketType,
  SegmentReader,
  ViciProtocolError,
} from '../../src/peer/vici/packet.js';

const DIR = join(import.meta.dirname, '../fixtures/vici');
const bytes = (name: string) => readFileSync(join(DIR, name));

function packets(stream: Buffer, chunk = stream.length || 1): Packet[] {
  const reader = new SegmentReader();
  const out: Packet[] = [];
  for (let i = 0; i < stream.length; i += chunk) {
    for (const seg of reader.push(stream.subarray(i, i + chunk))) out.push(decodePacket(seg));
  }
  expect(reader.pending).toBe(0);
  return out;
}

/** libvici's vici_dump() in raw mode (vici_message.c), the format of `swanctl --raw`. */
function raw(msg: ViciMessage): string {
  let out = '{';
  let last: 'start' | 'section-start' | 'other' | 'list-start' = 'start';
  const sep = () => (last === 'start' || last === 'section-start' ? '' : ' ');
  const walk = (m: ViciMessage) => {
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') {
        out += `${sep()}${k}=${v}`;
        last = 'other';
      } else if (Array.isArray(v)) {
        out += `${sep()}${k}=[`;
        last = 'list-start';
        for (const item of v) {
          out += `${last === 'list-start' ? '' : ' '}${item}`;
          last = 'other';
        }
        out += ']';
        last = 'other';
      } else {
        out += `${sep()}${k} {`;
        last = 'section-start';
        walk(v);
        out += '}';
        last = 'other';
      }
    }
  };
  walk(msg);
  return `${out}}`;
}

/** swanctl's lines for messages it printed: the label, then the message. */
const swanctlBodies = (name: string) =>
  readFileSync(join(DIR, `${name}.swanctl.txt`), 'utf8')
    .split('\n')
    .filter((l) => l.includes('{'))
    .map((l) => l.slice(l.indexOf('{')));

describe('VICI codec on recorded charon bytes', () => {
  it.each(['version', 'stats', 'list-conns', 'list-sas', 'log'])(
    '%s: every packet charon sent decodes to what swanctl printed',
    (name) => {
      const server = packets(bytes(`${name}.server.bin`));
      const printed = server.filter((p) => p.type === PacketType.Event || p.type === PacketType.CmdResponse);
      expect(printed.map((p) => raw(p.message))).toEqual(swanctlBodies(name));
    },
  );

  it.each(['version', 'stats', 'list-conns', 'list-sas', 'log'])(
    '%s: decode → encode reproduces charon and libvici bytes exactly, whatever the read sizes',
    (name) => {
      for (const side of ['client', 'server']) {
        const stream = bytes(`${name}.${side}.bin`);
        for (const chunk of [1, 3, 7, stream.length]) {
          const again = Buffer.concat(
            packets(stream, chunk).map((p) => encodePacket(p.type, p.name, p.message)),
          );
          expect(again.equals(stream)).toBe(true);
        }
      }
    },
  );

  it('list-sas: a streamed command is register, request, events, response', () => {
    const client = packets(bytes('list-sas.client.bin'));
    expect(client.map((p) => [p.type, p.name])).toEqual([
      [PacketType.EventRegister, 'list-sa'],
      [PacketType.CmdRequest, 'list-sas'],
    ]);
    const server = packets(bytes('list-sas.server.bin'));
    expect(server.map((p) => p.type)).toEqual([
      PacketType.EventConfirm,
      PacketType.Event,
      PacketType.CmdResponse,
    ]);
    const ike = server[1]!.message['tun1'] as ViciMessage;
    expect(ike['state']).toBe('ESTABLISHED');
    expect(ike['dh-group']).toBe('MODP_1024');
    const children = ike['child-sas'] as Record<string, ViciMessage>;
    const child = Object.values(children)[0]!;
    expect(child['local-ts']).toEqual(['10.10.0.0/16']);
    expect(child['state']).toBe('INSTALLED');
  });

  it('log: events carry ikesa-uniqueid (the README spells it ikesa-uniqued)', () => {
    const events = packets(bytes('log.server.bin')).filter((p) => p.type === PacketType.Event);
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.name === 'log')).toBe(true);
    expect(events.some((e) => 'ikesa-uniqueid' in e.message)).toBe(true);
  });

  it('unknown command and unknown event get their one-byte answers', () => {
    expect(packets(bytes('unknown-command.server.bin')).map((p) => p.type)).toEqual([PacketType.CmdUnknown]);
    expect(packets(bytes('unknown-event.server.bin')).map((p) => p.type)).toEqual([PacketType.EventUnknown]);
  });
});

describe('VICI codec: the README example and malformed input', () => {
  // The encoding example of strongSwan's vici README, byte for byte.
  const example = Buffer.from([
    3, 4, ...Buffer.from('key1'), 0, 6, ...Buffer.from('value1'),
    1, 8, ...Buffer.from('section1'),
    1, 11, ...Buffer.from('sub-section'),
    3, 4, ...Buffer.from('key2'), 0, 6, ...Buffer.from('value2'),
    2,
    4, 5, ...Buffer.from('list1'),
    5, 0, 5, ...Buffer.from('item1'),
    5, 0, 5, ...Buffer.from('item2'),
    6,
    2,
  ]); // biome-ignore format: laid out like the README

  it('decodes and encodes the README example', () => {
    const msg = decodeMessage(example);
    expect(msg).toEqual({
      key1: 'value1',
      section1: { 'sub-section': { key2: 'value2' }, list1: ['item1', 'item2'] },
    });
    expect(encodeMessage(msg).equals(example)).toBe(true);
  });

  it('encodes numbers and booleans as charon reads them, and leaves undefined out', () => {
    expect(decodeMessage(encodeMessage({ a: 5, b: true, c: false, d: undefined, e: [1, 'x'] }))).toEqual({
      a: '5',
      b: 'yes',
      c: 'no',
      e: ['1', 'x'],
    });
  });

  it.each([
    ['truncated value', example.subarray(0, 10), /truncated value/],
    ['unclosed section', example.subarray(0, example.length - 1), /section "section1" not closed/],
    ['unclosed list', Buffer.from([4, 1, 0x6c, 5, 0, 0]), /list "l" not closed/],
    ['item outside a list', Buffer.from([5, 0, 0]), /list item outside a list/],
    ['key inside a list', Buffer.from([4, 1, 0x6c, 3, 1, 0x6b, 0, 0]), /inside list "l"/],
    ['section end at the root', Buffer.from([2]), /section end without a section/],
    ['unknown element', Buffer.from([9]), /unknown element type 9/],
    ['duplicate key', Buffer.from([3, 1, 0x6b, 0, 0, 3, 1, 0x6b, 0, 0]), /duplicate key "k"/],
    ['empty name', Buffer.from([3, 0, 0, 0]), /empty name/],
  ])('refuses %s with the offset', (_what, input, message) => {
    expect(() => decodeMessage(input)).toThrow(ViciCodecError);
    expect(() => decodeMessage(input)).toThrow(message);
  });

  it('bounds nesting depth and element count', () => {
    const deep = Buffer.concat([...Array.from({ length: 20 }, () => Buffer.from([1, 1, 0x73]))]);
    expect(() => decodeMessage(deep)).toThrow(/nested deeper than 16/);
    const many = Buffer.concat(
      Array.from({ length: 11 }, (_, i) => Buffer.from([3, 2, 0x6b, 0x30 + i, 0, 0])),
    );
    expect(() => decodeMessage(many, { maxDepth: 4, maxElements: 10 })).toThrow(/more than 10 elements/);
  });

  it('keeps a key named __proto__ as a key', () => {
    const msg = decodeMessage(Buffer.from([3, 9, ...Buffer.from('__proto__'), 0, 1, 0x78]));
    expect(Object.keys(msg)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(msg)).toBe(Object.prototype);
  });

  it('refuses names and values above their length fields', () => {
    expect(() => encodeMessage({ ['k'.repeat(256)]: 'v' })).toThrow(/1–255 ASCII bytes/);
    expect(() => encodeMessage({ k: 'v'.repeat(65536) })).toThrow(/65536 bytes \(at most 65535\)/);
  });

  it('round-trips arbitrary messages', () => {
    const name = fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((s) => /^[\x21-\x7e]+$/.test(s) && s !== '__proto__');
    const value = fc.string({ maxLength: 40 });
    const section: fc.Arbitrary<ViciMessage> = fc.letrec((tie) => ({
      sec: fc.dictionary(name, fc.oneof(value, fc.array(value, { maxLength: 4 }), tie('sec')), {
        maxKeys: 4,
      }) as fc.Arbitrary<ViciMessage>,
    })).sec;
    fc.assert(
      fc.property(section, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
    );
  });
});

describe('VICI packets and segments', () => {
  it('refuses a segment length above the bound before reading it', () => {
    const reader = new SegmentReader(1024);
    expect(() => reader.push(Buffer.from([0, 0, 4, 1]))).toThrow(ViciProtocolError);
    expect(() => new SegmentReader().push(Buffer.from([0, 8, 0, 1]))).toThrow(/above the 524288-byte limit/);
  });

  it('splits several segments from one read and waits for a split one', () => {
    const a = encodePacket(PacketType.CmdRequest, 'version');
    const b = encodePacket(PacketType.EventRegister, 'log');
    const reader = new SegmentReader();
    const both = Buffer.concat([a, b]);
    expect(reader.push(both.subarray(0, a.length + 2)).map((s) => decodePacket(s).name)).toEqual(['version']);
    expect(reader.pending).toBe(2);
    expect(reader.push(both.subarray(a.length + 2)).map((s) => decodePacket(s).name)).toEqual(['log']);
  });

  it('refuses unknown packet types and a truncated name', () => {
    expect(() => decodePacket(Buffer.from([8]))).toThrow(/unknown packet type 8/);
    expect(() => decodePacket(Buffer.from([0, 5, 0x61]))).toThrow(/name truncated/);
    expect(() => decodePacket(Buffer.alloc(0))).toThrow(/empty packet/);
  });

  it('refuses to build a packet above 512 KiB', () => {
    const big = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'x'.repeat(60_000)]));
    expect(() => encodePacket(PacketType.CmdRequest, 'load-conn', big)).toThrow(
      /above the 512 KiB VICI limit/,
    );
  });
});
