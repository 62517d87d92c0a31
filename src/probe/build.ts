// The probe's first messages: an IKEv2 IKE_SA_INIT request and an IKEv1 Main Mode message 1, each
// with a fresh initiator SPI and proposals every common IKE implementation shares, so a responder
// configured for any usual suite answers (with its SA, or with a notify naming what it refuses).
import { createHash, randomBytes } from 'node:crypto';
import { addressBytes } from '../model/addressing.js';
import { type DhGroup, dhPublicValue } from './dh.js';
import { IKE_HEADER_LENGTH, NON_ESP_MARKER_LENGTH, V1, V2 } from './wire.js';

/** Addresses of the probe's socket, for IKEv2 NAT detection (RFC 7296 2.23). */
export interface Endpoints {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
}

export interface V2Request {
  spi: Buffer;
  dhGroup: DhGroup;
  /** Add NAT_DETECTION_SOURCE_IP / _DESTINATION_IP notifies for these endpoints. */
  nat?: Endpoints;
}

export interface V1Request {
  spi: Buffer;
  /** Offered first among the transforms' Diffie-Hellman groups. */
  dhGroup: DhGroup;
}

/** A fresh 8-byte initiator SPI (never zero). */
export function freshSpi(): Buffer {
  for (;;) {
    const spi = randomBytes(8);
    if (!spi.equals(Buffer.alloc(8))) return spi;
  }
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

/** TV-format attribute (AF bit set): type and a 16-bit value. */
const tvAttribute = (type: number, value: number) => Buffer.concat([u16(0x8000 | type), u16(value)]);

/** A generic payload header (next payload, flags, length) in front of `body`. */
function payload(next: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt8(next, 0);
  head.writeUInt16BE(body.length + 4, 2);
  return Buffer.concat([head, body]);
}

/** Chain payloads: each header names the type of the one after it. Returns the first type and bytes. */
function chain(items: Array<{ type: number; body: Buffer }>): { first: number; bytes: Buffer } {
  const parts = items.map((p, i) => payload(items[i + 1]?.type ?? 0, p.body));
  return { first: items[0]?.type ?? 0, bytes: Buffer.concat(parts) };
}

function header(
  spi: Buffer,
  next: number,
  version: number,
  exchange: number,
  flags: number,
  total: number,
): Buffer {
  const h = Buffer.alloc(IKE_HEADER_LENGTH);
  spi.copy(h, 0, 0, 8);
  h.writeUInt8(next, 16);
  h.writeUInt8(version, 17);
  h.writeUInt8(exchange, 18);
  h.writeUInt8(flags, 19);
  h.writeUInt32BE(0, 20); // message id
  h.writeUInt32BE(total, 24);
  return h;
}

// ── IKEv2 ─────────────────────────────────────────────────────────────────────────────────────

/** IKEv2 groups offered besides the one the KE payload carries (it goes first). */
const V2_GROUPS: DhGroup[] = [14, 2, 5, 19, 20];

function v2Transform(type: number, id: number, attributes: Buffer = Buffer.alloc(0), last = false): Buffer {
  const t = Buffer.alloc(8);
  t.writeUInt8(last ? 0 : 3, 0);
  t.writeUInt16BE(8 + attributes.length, 2);
  t.writeUInt8(type, 4);
  t.writeUInt16BE(id, 6);
  return Buffer.concat([t, attributes]);
}

function v2Proposal(dhGroup: DhGroup): Buffer {
  const { ENCR, PRF, INTEG, DH } = V2.transform;
  const keyLength = (bits: number) => tvAttribute(14, bits);
  const specs: Array<[number, number, Buffer?]> = [
    [ENCR, 12, keyLength(128)],
    [ENCR, 12, keyLength(256)],
    [ENCR, 12, keyLength(192)],
    [ENCR, 3],
    [PRF, 5],
    [PRF, 2],
    [PRF, 6],
    [PRF, 7],
    [PRF, 1],
    [INTEG, 12],
    [INTEG, 2],
    [INTEG, 13],
    [INTEG, 14],
    [INTEG, 1],
    ...[dhGroup, ...V2_GROUPS.filter((g) => g !== dhGroup)].map((g): [number, number] => [DH, g]),
  ];
  const transforms = specs.map(([type, id, attrs], i) =>
    v2Transform(type, id, attrs, i === specs.length - 1),
  );
  const body = Buffer.concat(transforms);
  const p = Buffer.alloc(8);
  p.writeUInt8(0, 0); // last proposal
  p.writeUInt16BE(8 + body.length, 2);
  p.writeUInt8(1, 4); // proposal number
  p.writeUInt8(V2.protocol.IKE, 5);
  p.writeUInt8(0, 6); // SPI size: none in IKE_SA_INIT
  p.writeUInt8(specs.length, 7);
  return Buffer.concat([p, body]);
}

function v2Notify(type: number, data: Buffer): Buffer {
  const n = Buffer.alloc(4);
  n.writeUInt16BE(type, 2); // protocol 0, SPI size 0
  return Buffer.concat([n, data]);
}

function natHash(spi: Buffer, address: string, port: number): Buffer {
  return createHash('sha1')
    .update(Buffer.concat([spi, Buffer.alloc(8), addressBytes(address), u16(port)]))
    .digest();
}

/** An IKE_SA_INIT request: SA (one proposal, common transforms), KE, Nonce, optional NAT-D. */
export function ikeV2SaInit(req: V2Request): Buffer {
  const ke = Buffer.alloc(4);
  ke.writeUInt16BE(req.dhGroup, 0);
  const items: Array<{ type: number; body: Buffer }> = [
    { type: V2.payload.SA, body: v2Proposal(req.dhGroup) },
    { type: V2.payload.KE, body: Buffer.concat([ke, dhPublicValue(req.dhGroup)]) },
    { type: V2.payload.Nonce, body: randomBytes(32) },
  ];
  if (req.nat) {
    const n = req.nat;
    items.push(
      { type: V2.payload.Notify, body: v2Notify(16388, natHash(req.spi, n.localAddress, n.localPort)) },
      { type: V2.payload.Notify, body: v2Notify(16389, natHash(req.spi, n.remoteAddress, n.remotePort)) },
    );
  }
  const { first, bytes } = chain(items);
  const total = IKE_HEADER_LENGTH + bytes.length;
  return Buffer.concat([
    header(req.spi, first, V2.version, V2.exchange.IKE_SA_INIT, V2.flag.initiator, total),
    bytes,
  ]);
}

// ── IKEv1 ─────────────────────────────────────────────────────────────────────────────────────

const V1_GROUPS: DhGroup[] = [2, 14, 5];
const V1_SUITES: Array<{ enc: number; keyBits?: number; hash: number }> = [
  { enc: V1.encryption.AES_CBC, keyBits: 128, hash: V1.hash.SHA },
  { enc: V1.encryption.AES_CBC, keyBits: 128, hash: V1.hash.SHA2_256 },
  { enc: V1.encryption.AES_CBC, keyBits: 256, hash: V1.hash.SHA2_256 },
  { enc: V1.encryption.AES_CBC, keyBits: 256, hash: V1.hash.SHA },
  { enc: V1.encryption['3DES_CBC'], hash: V1.hash.SHA },
  { enc: V1.encryption.AES_CBC, keyBits: 128, hash: V1.hash.MD5 },
  { enc: V1.encryption['3DES_CBC'], hash: V1.hash.MD5 },
];

function v1Transforms(dhGroup: DhGroup): Buffer[] {
  const a = V1.attribute;
  const groups = [dhGroup, ...V1_GROUPS.filter((g) => g !== dhGroup)];
  const combos = groups.flatMap((group) => V1_SUITES.map((s) => ({ ...s, group })));
  return combos.map((c, i) => {
    const attrs = Buffer.concat([
      tvAttribute(a.ENCRYPTION, c.enc),
      ...(c.keyBits ? [tvAttribute(a.KEY_LENGTH, c.keyBits)] : []),
      tvAttribute(a.HASH, c.hash),
      tvAttribute(a.AUTH_METHOD, V1.authMethod.PRE_SHARED_KEY),
      tvAttribute(a.GROUP, c.group),
      tvAttribute(a.LIFE_TYPE, V1.lifeType.SECONDS),
      tvAttribute(a.LIFE_DURATION, 28_800),
    ]);
    const t = Buffer.alloc(8);
    t.writeUInt8(i === combos.length - 1 ? 0 : V1.payload.Transform, 0);
    t.writeUInt16BE(8 + attrs.length, 2);
    t.writeUInt8(i + 1, 4); // transform number
    t.writeUInt8(V1.transformId.KEY_IKE, 5);
    return Buffer.concat([t, attrs]);
  });
}

/** Main Mode message 1: one SA payload, one ISAKMP proposal with the common transforms. */
export function ikeV1MainMode(req: V1Request): Buffer {
  const transforms = v1Transforms(req.dhGroup);
  const tBytes = Buffer.concat(transforms);
  const proposal = Buffer.alloc(8);
  proposal.writeUInt8(0, 0); // last proposal
  proposal.writeUInt16BE(8 + tBytes.length, 2);
  proposal.writeUInt8(1, 4);
  proposal.writeUInt8(V1.protocol.ISAKMP, 5);
  proposal.writeUInt8(0, 6); // SPI size
  proposal.writeUInt8(transforms.length, 7);
  const sa = Buffer.alloc(8);
  sa.writeUInt32BE(V1.doi.IPSEC, 0);
  sa.writeUInt32BE(V1.situation.IDENTITY_ONLY, 4);
  const { first, bytes } = chain([{ type: V1.payload.SA, body: Buffer.concat([sa, proposal, tBytes]) }]);
  const total = IKE_HEADER_LENGTH + bytes.length;
  return Buffer.concat([
    header(req.spi, first, V1.version, V1.exchange.IDENTITY_PROTECTION, 0, total),
    bytes,
  ]);
}

/** Prefix the non-ESP marker for UDP 4500. */
export function withNonEspMarker(message: Buffer): Buffer {
  return Buffer.concat([Buffer.alloc(NON_ESP_MARKER_LENGTH), message]);
}
