// Reads what came back to the probe. Bounded by construction: every read is checked against the
// datagram and the message's own length, the payload chain may hold at most MAX_PAYLOADS entries
// and must move forward, and no input makes it throw. A datagram that is not an answer to our
// request (another SPI, a request rather than a response, our own bytes reflected) is `null`.
import {
  IKE_HEADER_LENGTH,
  NON_ESP_MARKER_LENGTH,
  nameOf,
  V1,
  V1_ENCRYPTION_NAMES,
  V1_EXCHANGE_NAMES,
  V1_HASH_NAMES,
  V1_NOTIFY_NAMES,
  V1_PAYLOAD_NAMES,
  V2,
  V2_ENCR_NAMES,
  V2_EXCHANGE_NAMES,
  V2_INTEG_NAMES,
  V2_NOTIFY_NAMES,
  V2_PAYLOAD_NAMES,
  V2_PRF_NAMES,
} from './wire.js';

/** At most this many payloads, notifies or transforms are read from one answer. */
export const MAX_PAYLOADS = 32;

export type AnswerKind =
  /** IKEv2 IKE_SA_INIT response with an SA: the responder accepted a proposal. */
  | 'sa-init'
  /** IKEv2 notify-only answer: an error (NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD, …) or COOKIE. */
  | 'notify'
  /** IKEv1 Main Mode message 2: the responder chose a transform. */
  | 'main-mode'
  /** IKEv1 informational exchange, usually carrying a notification such as NO_PROPOSAL_CHOSEN. */
  | 'informational'
  /** An IKE message for our SPI that is none of the above (or could not be read to its end). */
  | 'other';

export interface IkeAnswer {
  kind: AnswerKind;
  version: 1 | 2 | null;
  exchange: string;
  /** The notify that matters: the first error, else COOKIE/REDIRECT/the first status; null if none. */
  notify: string | null;
  notifyType: number | null;
  /** Every notify in the answer (at most MAX_PAYLOADS). */
  notifies: string[];
  /** Payload types in order (at most MAX_PAYLOADS). */
  payloads: string[];
  /** Responder SPI (hex); zeros for most notify answers. */
  responderSpi: string;
  /** What the responder chose, when it sent an SA: e.g. "AES_CBC-128/PRF_HMAC_SHA2_256/…/MODP_2048". */
  proposal: string | null;
  /** For INVALID_KE_PAYLOAD: the DH group the responder wants. */
  wantsDhGroup: number | null;
  /** Why reading stopped early (truncated, bad length, too many payloads), or null. */
  malformed: string | null;
}

export interface ParseContext {
  /** Our initiator SPI: an answer echoes it. */
  spi: Buffer;
  /** The datagram came on UDP 4500: strip (and require) the non-ESP marker. */
  nonEspMarker: boolean;
  /** The bytes we sent: the same bytes coming back are a reflection, not an answer. */
  sent?: Buffer;
}

const GROUP_NAMES: Record<number, string> = {
  1: 'MODP_768',
  2: 'MODP_1024',
  5: 'MODP_1536',
  14: 'MODP_2048',
  15: 'MODP_3072',
  16: 'MODP_4096',
  19: 'ECP_256',
  20: 'ECP_384',
  21: 'ECP_521',
  31: 'CURVE25519',
};

interface Span {
  buf: Buffer;
  start: number;
  end: number;
}

const u8 = (s: Span, at: number): number | null => (at >= s.start && at + 1 <= s.end ? s.buf[at]! : null);
const u16 = (s: Span, at: number): number | null =>
  at >= s.start && at + 2 <= s.end ? (s.buf[at]! << 8) | s.buf[at + 1]! : null;

/** Parse one datagram received from the probed peer; null when it is not an answer to our request. */
export function parseAnswer(datagram: Buffer, ctx: ParseContext): IkeAnswer | null {
  if (ctx.sent && datagram.equals(ctx.sent)) return null;
  let buf = datagram;
  if (ctx.nonEspMarker) {
    if (buf.length < NON_ESP_MARKER_LENGTH || buf.readUInt32BE(0) !== 0) return null; // ESP, keepalive
    buf = buf.subarray(NON_ESP_MARKER_LENGTH);
  }
  if (buf.length < IKE_HEADER_LENGTH) return null;
  if (!buf.subarray(0, 8).equals(ctx.spi.subarray(0, 8))) return null;
  const major = buf[17]! >> 4;
  const exchangeType = buf[18]!;
  const flags = buf[19]!;
  const declared = buf.readUInt32BE(24);
  const answer: IkeAnswer = {
    kind: 'other',
    version: major === 2 ? 2 : major === 1 ? 1 : null,
    exchange: '',
    notify: null,
    notifyType: null,
    notifies: [],
    payloads: [],
    responderSpi: buf.subarray(8, 16).toString('hex'),
    proposal: null,
    wantsDhGroup: null,
    malformed: null,
  };
  if (answer.version === 2) {
    // Our own request has the initiator flag and no response flag: not an answer.
    if (!(flags & V2.flag.response)) return null;
    answer.exchange = nameOf(V2_EXCHANGE_NAMES, exchangeType, 'EXCHANGE');
  } else if (answer.version === 1) {
    answer.exchange = nameOf(V1_EXCHANGE_NAMES, exchangeType, 'EXCHANGE');
  } else {
    answer.exchange = `version ${major}`;
    answer.malformed = `unknown IKE major version ${major}`;
    return answer;
  }
  if (declared < IKE_HEADER_LENGTH) answer.malformed = `message length ${declared} is shorter than a header`;
  else if (declared > buf.length)
    answer.malformed = `truncated: message length ${declared}, datagram ${buf.length} bytes`;
  const span: Span = {
    buf,
    start: 0,
    end: Math.max(IKE_HEADER_LENGTH, Math.min(declared, buf.length)),
  };
  const found = walk(span, buf[16]!, answer);
  classify(answer, found, exchangeType);
  return answer;
}

interface Found {
  sa: boolean;
  errorNotify: { type: number; name: string } | null;
  wantNotify: { type: number; name: string } | null;
  statusNotify: { type: number; name: string } | null;
}

function walk(span: Span, firstType: number, answer: IkeAnswer): Found {
  const v2 = answer.version === 2;
  const found: Found = { sa: false, errorNotify: null, wantNotify: null, statusNotify: null };
  let next = firstType;
  let at = IKE_HEADER_LENGTH;
  while (next !== 0) {
    if (answer.payloads.length >= MAX_PAYLOADS) {
      answer.malformed ??= `more than ${MAX_PAYLOADS} payloads`;
      break;
    }
    const length = u16(span, at + 2);
    const following = u8(span, at);
    if (length === null || following === null) {
      answer.malformed ??= `payload ${next} cut off at byte ${at}`;
      break;
    }
    if (length < 4 || at + length > span.end) {
      answer.malformed ??= `payload ${next} at byte ${at} has length ${length}`;
      break;
    }
    const body: Span = { buf: span.buf, start: at + 4, end: at + length };
    answer.payloads.push(nameOf(v2 ? V2_PAYLOAD_NAMES : V1_PAYLOAD_NAMES, next, 'PAYLOAD'));
    if (v2) readV2(next, body, answer, found);
    else readV1(next, body, answer, found);
    // An encrypted payload is the last one in the chain and cannot be read without keys.
    if (v2 && (next === V2.payload.SK || next === V2.payload.SKF)) break;
    next = following;
    at += length;
  }
  return found;
}

function noteNotify(type: number, name: string, answer: IkeAnswer, found: Found): void {
  if (answer.notifies.length < MAX_PAYLOADS) answer.notifies.push(name);
  if (type < 16384) found.errorNotify ??= { type, name };
  // COOKIE and REDIRECT say what the responder wants before it goes on.
  else if (name === 'COOKIE' || name === 'REDIRECT') found.wantNotify ??= { type, name };
  else found.statusNotify ??= { type, name };
}

function readV2(type: number, body: Span, answer: IkeAnswer, found: Found): void {
  if (type === V2.payload.Notify) {
    const spiSize = u8(body, body.start + 1);
    const notifyType = u16(body, body.start + 2);
    if (spiSize === null || notifyType === null || body.start + 4 + spiSize > body.end) {
      answer.malformed ??= 'notify payload too short';
      return;
    }
    const name = nameOf(V2_NOTIFY_NAMES, notifyType, 'NOTIFY');
    noteNotify(notifyType, name, answer, found);
    if (name === 'INVALID_KE_PAYLOAD') answer.wantsDhGroup = u16(body, body.start + 4 + spiSize);
  } else if (type === V2.payload.SA) {
    found.sa = true;
    answer.proposal = v2Proposal(body);
  }
}

/** The transforms of the first proposal in an IKEv2 SA payload, named. */
function v2Proposal(sa: Span): string | null {
  const length = u16(sa, sa.start + 2);
  const spiSize = u8(sa, sa.start + 6);
  if (length === null || spiSize === null || length < 8) return null;
  const end = Math.min(sa.end, sa.start + length);
  let at = sa.start + 8 + spiSize;
  const names: string[] = [];
  for (let i = 0; i < MAX_PAYLOADS && at + 8 <= end; i++) {
    const tLength = u16(sa, at + 2);
    const tType = u8(sa, at + 4);
    const tId = u16(sa, at + 6);
    if (tLength === null || tType === null || tId === null || tLength < 8 || at + tLength > end) break;
    const t = V2.transform;
    if (tType === t.ENCR) {
      const keyAttr = u16(sa, at + 8) === (0x8000 | 14) ? u16(sa, at + 10) : null;
      names.push(`${nameOf(V2_ENCR_NAMES, tId, 'ENCR')}${keyAttr ? `-${keyAttr}` : ''}`);
    } else if (tType === t.PRF) names.push(nameOf(V2_PRF_NAMES, tId, 'PRF'));
    else if (tType === t.INTEG) names.push(nameOf(V2_INTEG_NAMES, tId, 'INTEG'));
    else if (tType === t.DH) names.push(nameOf(GROUP_NAMES, tId, 'DH'));
    if (u8(sa, at) === 0) break;
    at += tLength;
  }
  return names.length > 0 ? names.join('/') : null;
}

function readV1(type: number, body: Span, answer: IkeAnswer, found: Found): void {
  if (type === V1.payload.Notification) {
    // DOI (4), protocol (1), SPI size (1), notify type (2), SPI, data.
    const spiSize = u8(body, body.start + 5);
    const notifyType = u16(body, body.start + 6);
    if (spiSize === null || notifyType === null || body.start + 8 + spiSize > body.end) {
      answer.malformed ??= 'notification payload too short';
      return;
    }
    noteNotify(notifyType, nameOf(V1_NOTIFY_NAMES, notifyType, 'NOTIFY'), answer, found);
  } else if (type === V1.payload.SA) {
    found.sa = true;
    answer.proposal = v1Transform(body);
  }
}

/** The (first) transform a Main Mode responder chose, named from its attributes. */
function v1Transform(sa: Span): string | null {
  // SA: DOI (4), situation (4), then a proposal payload (8 + SPI) holding transform payloads.
  const proposal = sa.start + 8;
  const spiSize = u8(sa, proposal + 6);
  if (spiSize === null) return null;
  const transform = proposal + 8 + spiSize;
  const tLength = u16(sa, transform + 2);
  if (tLength === null || tLength < 8) return null;
  const end = Math.min(sa.end, transform + tLength);
  const values = new Map<number, number>();
  let at = transform + 8;
  for (let i = 0; i < MAX_PAYLOADS && at + 4 <= end; i++) {
    const typeField = u16(sa, at);
    const value = u16(sa, at + 2);
    if (typeField === null || value === null) break;
    if (typeField & 0x8000) {
      values.set(typeField & 0x7fff, value);
      at += 4;
    } else at += 4 + value; // TLV: skip its value
  }
  const a = V1.attribute;
  const enc = values.get(a.ENCRYPTION);
  const parts = [
    enc !== undefined
      ? `${nameOf(V1_ENCRYPTION_NAMES, enc, 'ENC')}${values.has(a.KEY_LENGTH) ? `-${values.get(a.KEY_LENGTH)}` : ''}`
      : null,
    values.has(a.HASH) ? nameOf(V1_HASH_NAMES, values.get(a.HASH)!, 'HASH') : null,
    values.has(a.GROUP) ? nameOf(GROUP_NAMES, values.get(a.GROUP)!, 'DH') : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join('/') : null;
}

function classify(answer: IkeAnswer, found: Found, exchangeType: number): void {
  const decisive = found.errorNotify ?? found.wantNotify;
  const v2 = answer.version === 2;
  if (v2 && exchangeType === V2.exchange.IKE_SA_INIT && found.sa && !decisive) answer.kind = 'sa-init';
  else if (!v2 && exchangeType === V1.exchange.IDENTITY_PROTECTION && found.sa && !decisive)
    answer.kind = 'main-mode';
  else if (!v2 && (exchangeType === V1.exchange.INFORMATIONAL || decisive || found.statusNotify))
    answer.kind = 'informational';
  else if (v2 && (decisive || found.statusNotify)) answer.kind = 'notify';
  // A notify-only answer is named by its notify; an accepted SA only by an error or a request.
  const named =
    answer.kind === 'notify' || answer.kind === 'informational' ? (decisive ?? found.statusNotify) : decisive;
  if (named) {
    answer.notify = named.name;
    answer.notifyType = named.type;
  }
}
