// The probe against hostile answers: a local UDP server replies to each request with truncated,
// oversized, self-looping, flooding or random datagrams. The probe must never throw, never hang
// past its attempts × timeout, and never read outside the datagram it was given.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAYLOADS, parseAnswer } from '../../src/probe/parse.js';
import { type ProbeOptions, type ProbeResult, probeIke } from '../../src/probe/probe.js';

type Reply = (request: Buffer, spi: Buffer) => Buffer[];

/** A UDP server on 127.0.0.1 answering each request with whatever the current `reply` returns. */
class HostileServer {
  reply: Reply = () => [];
  requests: Buffer[] = [];
  private socket: Socket = createSocket('udp4');
  port = 0;

  async start(): Promise<void> {
    this.socket.on('message', (msg: Buffer, from: RemoteInfo) => {
      this.requests.push(msg);
      const marker = msg.length >= 4 && msg.readUInt32BE(0) === 0;
      const spi = msg.subarray(marker ? 4 : 0, (marker ? 4 : 0) + 8);
      for (const out of this.reply(msg, Buffer.from(spi))) this.socket.send(out, from.port, from.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.port = this.socket.address().port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** An IKE header for an answer to `spi`. */
function header(
  spi: Buffer,
  o: { next: number; version?: number; exchange?: number; flags?: number; length: number },
) {
  const h = Buffer.alloc(28);
  spi.copy(h, 0);
  Buffer.from('0123456789abcdef', 'hex').copy(h, 8);
  h[16] = o.next;
  h[17] = o.version ?? 0x20;
  h[18] = o.exchange ?? 34;
  h[19] = o.flags ?? 0x20;
  h.writeUInt32BE(o.length, 24);
  return h;
}

function payload(next: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = next;
  h.writeUInt16BE(body.length + 4, 2);
  return Buffer.concat([h, body]);
}

function notifyBody(type: number, data = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(type, 2);
  return Buffer.concat([b, data]);
}

/** A well-formed IKEv2 notify-only answer (NO_PROPOSAL_CHOSEN). */
function noProposal(spi: Buffer): Buffer {
  const body = payload(0, notifyBody(14));
  return Buffer.concat([header(spi, { next: 41, length: 28 + body.length }), body]);
}

/** A well-formed IKE_SA_INIT response: SA (AES-CBC-128/SHA256/MODP2048), KE, Nonce. */
function saInit(spi: Buffer): Buffer {
  const transform = (last: boolean, type: number, id: number, attr?: Buffer) => {
    const t = Buffer.alloc(8);
    t[0] = last ? 0 : 3;
    t.writeUInt16BE(8 + (attr?.length ?? 0), 2);
    t[4] = type;
    t.writeUInt16BE(id, 6);
    return Buffer.concat([t, attr ?? Buffer.alloc(0)]);
  };
  const ts = Buffer.concat([
    transform(false, 1, 12, Buffer.from([0x80, 0x0e, 0x00, 0x80])),
    transform(false, 2, 5),
    transform(false, 3, 12),
    transform(true, 4, 14),
  ]);
  const prop = Buffer.alloc(8);
  prop.writeUInt16BE(8 + ts.length, 2);
  prop[4] = 1;
  prop[5] = 1;
  prop[7] = 4;
  const ke = Buffer.concat([Buffer.from([0, 14, 0, 0]), Buffer.alloc(256, 7)]);
  const body = Buffer.concat([
    payload(34, Buffer.concat([prop, ts])),
    payload(40, ke),
    payload(0, Buffer.alloc(32, 9)),
  ]);
  return Buffer.concat([header(spi, { next: 33, length: 28 + body.length }), body]);
}

const TIMEOUT_MS = 150;
const RETRIES = 1;
/** Attempts × timeout plus scheduling slack on a busy 2-core machine. */
const DEADLINE_MS = (RETRIES + 1) * TIMEOUT_MS + 1500;

describe('the probe against a hostile UDP responder', () => {
  const server = new HostileServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());

  async function probe(reply: Reply, extra: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
    server.reply = reply;
    const started = performance.now();
    const result = await probeIke({
      host: '127.0.0.1',
      port: server.port,
      timeoutMs: TIMEOUT_MS,
      retries: RETRIES,
      ...extra,
    });
    expect(performance.now() - started).toBeLessThan(DEADLINE_MS);
    return result;
  }

  it('reads a well-formed IKE_SA_INIT response and a NO_PROPOSAL_CHOSEN notify', async () => {
    const accepted = await probe((_, spi) => [saInit(spi)]);
    expect(accepted).toMatchObject({ outcome: 'answered', answered: true, attempts: 1 });
    expect(accepted.answer).toMatchObject({
      kind: 'sa-init',
      proposal: 'AES_CBC-128/PRF_HMAC_SHA2_256/AUTH_HMAC_SHA2_256_128/MODP_2048',
      malformed: null,
    });
    const refused = await probe((_, spi) => [noProposal(spi)]);
    expect(refused.answer).toMatchObject({ kind: 'notify', notify: 'NO_PROPOSAL_CHOSEN', notifyType: 14 });
  });

  it('survives every truncation of an answer, and of its declared length', async () => {
    const full = saInit(Buffer.alloc(8, 1));
    for (let cut = 0; cut <= full.length; cut += 7) {
      const result = await probe((_, spi) => {
        const answer = saInit(spi).subarray(0, cut);
        return [answer];
      });
      if (cut < 28) expect(result.outcome).toBe('no-answer');
      else {
        expect(result.outcome).toBe('answered');
        if (cut < full.length) expect(result.answer?.malformed).toMatch(/truncated|cut off|length/);
      }
    }
    const lying = await probe((_, spi) => {
      const a = saInit(spi);
      a.writeUInt32BE(0xffffffff, 24);
      return [a];
    });
    expect(lying.answer?.malformed).toMatch(/truncated/);
    const short = await probe((_, spi) => {
      const a = noProposal(spi);
      a.writeUInt32BE(3, 24);
      return [a];
    });
    expect(short.answer?.malformed).toMatch(/shorter than a header/);
  });

  it('stops on a zero-length payload and on a chain of thousands of payloads', async () => {
    const loop = await probe((_, spi) => {
      const body = Buffer.from([41, 0, 0, 0]); // payload length 0 naming itself as next
      return [Buffer.concat([header(spi, { next: 41, length: 32 }), body])];
    });
    expect(loop.answer?.malformed).toMatch(/length 0/);
    const many = await probe((_, spi) => {
      // 16,000 empty Vendor ID payloads, each naming another: a 64 KB chain.
      const body = Buffer.alloc(64_000);
      for (let at = 0; at < body.length; at += 4) {
        body[at] = 43;
        body.writeUInt16BE(4, at + 2);
      }
      return [Buffer.concat([header(spi, { next: 43, length: 28 + body.length }), body])];
    });
    expect(many.answer?.payloads.length).toBe(MAX_PAYLOADS);
    expect(many.answer?.malformed).toMatch(/more than/);
  });

  it('ignores datagrams that are not an answer: other SPIs, our own request reflected, floods', async () => {
    const otherSpi = await probe(() => [noProposal(Buffer.alloc(8, 0xee))]);
    expect(otherSpi).toMatchObject({ outcome: 'no-answer', attempts: 2, ignored: 2 });
    const echo = await probe((request) => [request]);
    expect(echo).toMatchObject({ outcome: 'no-answer', ignored: 2 });
    const request = await probe((_, spi) => [header(spi, { next: 0, flags: 0x08, length: 28 })]);
    expect(request.outcome).toBe('no-answer');
    const flood = await probe(() => Array.from({ length: 300 }, (_, i) => Buffer.alloc(1 + (i % 200), i)));
    expect(flood.outcome).toBe('no-answer');
    expect(flood.ignored).toBeGreaterThan(0);
    // The answer after a flood still counts.
    const late = await probe((_, spi) => [
      ...Array.from({ length: 100 }, () => Buffer.alloc(50, 0xff)),
      noProposal(spi),
    ]);
    expect(late.answer?.notify).toBe('NO_PROPOSAL_CHOSEN');
  });

  it('takes an oversized datagram (64 KB) without reading past it', async () => {
    const result = await probe((_, spi) => {
      const big = Buffer.alloc(65_000, 0xab);
      header(spi, { next: 41, length: 65_000 }).copy(big, 0);
      return [big];
    });
    expect(result.outcome).toBe('answered');
    expect(result.answer?.malformed).not.toBeNull();
  });

  it('on 4500 needs the non-ESP marker in front of the answer', async () => {
    const withMarker = await probe((_, spi) => [Buffer.concat([Buffer.alloc(4), noProposal(spi)])], {
      nonEspMarker: true,
    });
    expect(withMarker.answer?.notify).toBe('NO_PROPOSAL_CHOSEN');
    expect(server.requests.at(-1)!.readUInt32BE(0)).toBe(0);
    const esp = await probe((_, spi) => [noProposal(spi)], { nonEspMarker: true });
    expect(esp.outcome).toBe('no-answer');
    const keepalive = await probe(() => [Buffer.from([0xff])], { nonEspMarker: true });
    expect(keepalive.outcome).toBe('no-answer');
  });

  it('answers random datagrams behind our SPI with a result, never an exception (IKEv1 and v2)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 600 }),
        fc.constantFrom<'v1' | 'v2'>('v1', 'v2'),
        fc.boolean(),
        async (tail, ike, marker) => {
          const result = await probe(
            (_, spi) => [Buffer.concat([marker ? Buffer.alloc(4) : Buffer.alloc(0), spi, Buffer.from(tail)])],
            { ike, nonEspMarker: marker, timeoutMs: 40, retries: 0 },
          );
          expect(['answered', 'no-answer']).toContain(result.outcome);
        },
      ),
      { numRuns: 60, seed: 1515 },
    );
  });
});

describe('parseAnswer on arbitrary bytes', () => {
  const spi = Buffer.from('a1b2c3d4e5f60718', 'hex');

  it('never throws, stays bounded, and reads nothing outside the datagram', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 2000 }),
        fc.constantFrom(0x10, 0x20, 0x30, 0x00),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        (tail, version, next, flags, marker, around) => {
          const head = Buffer.alloc(28);
          spi.copy(head);
          head[16] = next;
          head[17] = version;
          head[18] = 34;
          head[19] = flags;
          head.writeUInt32BE(28 + tail.length, 24);
          const datagram = Buffer.concat([
            marker ? Buffer.alloc(4) : Buffer.alloc(0),
            head,
            Buffer.from(tail),
          ]);
          const ctx = { spi, nonEspMarker: marker };
          const alone = parseAnswer(datagram, ctx);
          // The same bytes as a view inside a larger buffer of other bytes: identical reading.
          const pad = Buffer.from(around);
          const view = Buffer.concat([pad, datagram, pad]).subarray(pad.length, pad.length + datagram.length);
          expect(parseAnswer(view, ctx)).toEqual(alone);
          if (alone) {
            expect(alone.payloads.length).toBeLessThanOrEqual(MAX_PAYLOADS);
            expect(alone.notifies.length).toBeLessThanOrEqual(MAX_PAYLOADS);
          }
        },
      ),
      { numRuns: 3000, seed: 715 },
    );
  });

  it('is null for anything shorter than a header or for another SPI', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 27 }), (bytes) => {
        expect(parseAnswer(Buffer.from(bytes), { spi, nonEspMarker: false })).toBeNull();
      }),
      { seed: 3 },
    );
    expect(parseAnswer(noProposal(Buffer.alloc(8, 2)), { spi, nonEspMarker: false })).toBeNull();
  });
});
