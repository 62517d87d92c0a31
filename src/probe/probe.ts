// One IKE probe: a first message to UDP 500 (or 4500 behind the non-ESP marker), retransmitted
// after each timeout, until an answer to our SPI arrives or the attempts run out. Never throws:
// every failure (name resolution, socket, send, ICMP unreachable, abort) is a result.
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type Endpoints, freshSpi, ikeV1MainMode, ikeV2SaInit, withNonEspMarker } from './build.js';
import type { DhGroup } from './dh.js';
import { type IkeAnswer, parseAnswer } from './parse.js';

export type IkeVersion = 'v1' | 'v2';

export interface ProbeOptions {
  /** IP address or host name of the IKE peer. */
  host: string;
  /** UDP port; default 500. */
  port?: number;
  ike?: IkeVersion;
  /** Put the non-ESP marker in front (default: when the port is 4500). */
  nonEspMarker?: boolean;
  /** Wait this long for an answer after each send; default 2000. */
  timeoutMs?: number;
  /** Retransmissions after the first send; default 2 (3 requests in all). */
  retries?: number;
  /** The KE payload's group (IKEv2) and the first group offered; default 14 (MODP 2048). */
  dhGroup?: DhGroup;
  /** IKEv2 NAT detection notifies (default true). */
  natDetection?: boolean;
  signal?: AbortSignal;
}

export type ProbeOutcome =
  /** Something answered our request: the path to an IKE responder is open. */
  | 'answered'
  /** Silence after every attempt: blocked on the way, wrong address, or the device is down. */
  | 'no-answer'
  /** ICMP port unreachable: the host is reachable but nothing listens on the port. */
  | 'refused'
  /** The probe could not be sent (no route, bad name, socket error). */
  | 'error'
  | 'aborted';

export interface ProbeResult {
  host: string;
  /** The address probed ('' when the name did not resolve). */
  address: string;
  port: number;
  ike: IkeVersion;
  outcome: ProbeOutcome;
  answered: boolean;
  answer: IkeAnswer | null;
  /** Round trip of the request that was answered, in ms. */
  rttMs: number | null;
  /** Requests sent (the first plus retransmissions). */
  attempts: number;
  timeoutMs: number;
  /** From the first send to the answer or to giving up. */
  elapsedMs: number;
  /** Datagrams from the peer that were not an answer to our request. */
  ignored: number;
  /** What went wrong, for `refused` and `error`. */
  error: string | null;
  /** Unix ms when the probe started. */
  startedAt: number;
}

const DEFAULTS = { port: 500, ike: 'v2' as IkeVersion, timeoutMs: 2000, retries: 2, dhGroup: 14 as DhGroup };

export async function probeIke(options: ProbeOptions): Promise<ProbeResult> {
  const port = options.port ?? DEFAULTS.port;
  const ike = options.ike ?? DEFAULTS.ike;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const retries = options.retries ?? DEFAULTS.retries;
  const base: ProbeResult = {
    host: options.host,
    address: '',
    port,
    ike,
    outcome: 'error',
    answered: false,
    answer: null,
    rttMs: null,
    attempts: 0,
    timeoutMs,
    elapsedMs: 0,
    ignored: 0,
    error: null,
    startedAt: Date.now(),
  };
  let target: { address: string; family: number };
  try {
    target = isIP(options.host)
      ? { address: options.host, family: isIP(options.host) }
      : await lookup(options.host);
  } catch (err) {
    return { ...base, error: `cannot resolve ${options.host}: ${codeOf(err)}` };
  }
  base.address = target.address;
  if (options.signal?.aborted) return { ...base, outcome: 'aborted' };
  const socket = createSocket({ type: target.family === 6 ? 'udp6' : 'udp4' });
  try {
    await connect(socket, port, target.address);
    const local = socket.address();
    const spi = freshSpi();
    const endpoints: Endpoints = {
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: target.address,
      remotePort: port,
    };
    const dhGroup = options.dhGroup ?? DEFAULTS.dhGroup;
    const message =
      ike === 'v2'
        ? ikeV2SaInit({
            spi,
            dhGroup,
            ...(options.natDetection !== false && { nat: endpoints }),
          })
        : ikeV1MainMode({ spi, dhGroup });
    const marker = options.nonEspMarker ?? port === 4500;
    const packet = marker ? withNonEspMarker(message) : message;
    return await exchange(socket, packet, { spi, marker, timeoutMs, retries, signal: options.signal }, base);
  } catch (err) {
    return { ...base, error: codeOf(err) };
  } finally {
    try {
      socket.close();
    } catch {
      // already closed
    }
  }
}

function connect(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

interface ExchangeOptions {
  spi: Buffer;
  marker: boolean;
  timeoutMs: number;
  retries: number;
  signal: AbortSignal | undefined;
}

function exchange(
  socket: Socket,
  packet: Buffer,
  o: ExchangeOptions,
  base: ProbeResult,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const firstSend = performance.now();
    let lastSend = firstSend;
    let attempts = 0;
    let ignored = 0;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (patch: Partial<ProbeResult>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('message');
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // late ICMP errors after we are done
      o.signal?.removeEventListener('abort', onAbort);
      resolve({
        ...base,
        attempts,
        ignored,
        elapsedMs: Math.round(performance.now() - firstSend),
        outcome: 'no-answer',
        ...patch,
      });
    };
    const onAbort = () => finish({ outcome: 'aborted' });
    const send = () => {
      attempts++;
      lastSend = performance.now();
      socket.send(packet, (err) => {
        if (err) finish({ outcome: 'error', error: `send failed: ${codeOf(err)}` });
      });
      timer = setTimeout(() => (attempts > o.retries ? finish({}) : send()), o.timeoutMs);
    };
    socket.on('message', (datagram) => {
      const answer = parseAnswer(datagram, { spi: o.spi, nonEspMarker: o.marker, sent: packet });
      if (!answer) {
        ignored++;
        return;
      }
      const rttMs = Math.max(0, Math.round((performance.now() - lastSend) * 10) / 10);
      finish({ outcome: 'answered', answered: true, answer, rttMs });
    });
    socket.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED')
        finish({ outcome: 'refused', error: 'ICMP port unreachable: nothing listens on the port' });
      else finish({ outcome: 'error', error: codeOf(err) });
    });
    o.signal?.addEventListener('abort', onAbort, { once: true });
    send();
  });
}

function codeOf(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') {
    const message = 'message' in err && typeof err.message === 'string' ? err.message : '';
    return message.includes(err.code) ? message : `${err.code}: ${message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
