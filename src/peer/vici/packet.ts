// VICI transport and packet layers (strongSwan's vici README, "Transport protocol" and "Packet
// layer"): each packet is a byte sequence behind a 32-bit big-endian length; its first byte is the
// packet type, named types carry an 8-bit-length name, and the rest is a message.
import {
  type DecodeLimits,
  decodeMessage,
  type EncodableMessage,
  encodeMessage,
  type ViciMessage,
} from './codec.js';

export enum PacketType {
  CmdRequest = 0,
  CmdResponse = 1,
  CmdUnknown = 2,
  EventRegister = 3,
  EventUnregister = 4,
  EventConfirm = 5,
  EventUnknown = 6,
  Event = 7,
}

const NAMED = new Set<number>([
  PacketType.CmdRequest,
  PacketType.EventRegister,
  PacketType.EventUnregister,
  PacketType.Event,
]);

/** charon refuses segments above 512 KiB; the client applies the same bound to what it reads. */
export const MAX_SEGMENT = 512 * 1024;

export interface Packet {
  type: PacketType;
  /** Command or event name for named types, '' otherwise. */
  name: string;
  message: ViciMessage;
}

export class ViciProtocolError extends Error {
  override name = 'ViciProtocolError';
}

/** One packet as it goes on the wire, length header included. */
export function encodePacket(type: PacketType, name = '', message: EncodableMessage = {}): Buffer {
  const named = NAMED.has(type);
  const nameBytes = Buffer.from(name, 'latin1');
  if (named && (nameBytes.length === 0 || nameBytes.length > 255))
    throw new ViciProtocolError(`packet name "${name}" must be 1–255 ASCII bytes`);
  const body =
    type === PacketType.CmdRequest || type === PacketType.CmdResponse || type === PacketType.Event
      ? encodeMessage(message)
      : Buffer.alloc(0);
  const length = 1 + (named ? 1 + nameBytes.length : 0) + body.length;
  if (length > MAX_SEGMENT)
    throw new ViciProtocolError(`${name || 'packet'} is ${length} bytes, above the 512 KiB VICI limit`);
  const head = Buffer.alloc(4 + 1 + (named ? 1 : 0));
  head.writeUInt32BE(length, 0);
  head[4] = type;
  if (named) head[5] = nameBytes.length;
  return Buffer.concat([head, named ? nameBytes : Buffer.alloc(0), body]);
}

/** Parses one segment (without its length header) into a packet. */
export function decodePacket(segment: Uint8Array, limits?: DecodeLimits): Packet {
  if (segment.length === 0) throw new ViciProtocolError('empty packet');
  const type = segment[0]!;
  if (type > PacketType.Event) throw new ViciProtocolError(`unknown packet type ${type}`);
  let pos = 1;
  let name = '';
  if (NAMED.has(type)) {
    if (segment.length < 2) throw new ViciProtocolError('packet name length missing');
    const len = segment[1]!;
    if (2 + len > segment.length) throw new ViciProtocolError('packet name truncated');
    name = Buffer.from(segment.buffer, segment.byteOffset + 2, len).toString('latin1');
    pos = 2 + len;
  }
  const message = decodeMessage(segment.subarray(pos), limits);
  return { type: type as PacketType, name, message };
}

/**
 * Reassembles length-prefixed segments from stream chunks of any size: a segment split across reads,
 * or several segments in one read. A length above `maxSegment` is a protocol error (the stream is then
 * unusable: the caller must close it).
 */
export class SegmentReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxSegment = MAX_SEGMENT) {}

  /** Adds a chunk and returns every segment it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const head = this.peek(4);
      const length = head.readUInt32BE(0);
      if (length > this.maxSegment)
        throw new ViciProtocolError(
          `segment of ${length} bytes announced, above the ${this.maxSegment}-byte limit`,
        );
      if (this.buffered < 4 + length) break;
      const all = this.take(4 + length);
      out.push(all.subarray(4));
    }
    return out;
  }

  /** Bytes of an incomplete segment still waiting for the rest. */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!.subarray(0, n);
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined.subarray(0, n);
  }

  private take(n: number): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}
