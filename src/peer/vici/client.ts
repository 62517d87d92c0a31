// A VICI client: one stream connection to charon's vici plugin (unix socket or TCP), one command
// at a time (the protocol has no request ids), events dispatched by name. Every wait is bounded:
// a socket that accepts and never answers fails the call with a timeout and closes the connection
// (its late answer could otherwise be taken for the next command's).
import net from 'node:net';
import type { EncodableMessage, ViciMessage } from './codec.js';
import { decodePacket, encodePacket, MAX_SEGMENT, type Packet, PacketType, SegmentReader } from './packet.js';

export type ViciErrorCode =
  | 'bad-uri'
  | 'connect'
  | 'timeout'
  | 'closed'
  | 'protocol'
  | 'unknown-command'
  | 'unknown-event';

export class ViciError extends Error {
  override name = 'ViciError';
  constructor(
    readonly code: ViciErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type ViciEndpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** `unix:///var/run/charon.vici` or `tcp://host:port` (charon's own URI forms; `[::1]` for IPv6). */
export function parseViciUri(uri: string): ViciEndpoint {
  const unix = /^unix:\/\/(\/.+)$/.exec(uri);
  if (unix) return { kind: 'unix', path: unix[1]! };
  const tcp = /^tcp:\/\/(?:\[([0-9a-fA-F:.]+)\]|([^:/[\]]+)):(\d{1,5})$/.exec(uri);
  if (tcp) {
    const port = Number(tcp[3]);
    if (port >= 1 && port <= 65535) return { kind: 'tcp', host: (tcp[1] ?? tcp[2])!, port };
  }
  throw new ViciError(
    'bad-uri',
    `VICI address "${uri}" is not unix:///absolute/path or tcp://host:port (port 1–65535)`,
  );
}

export interface ViciClientOptions {
  /** Bound on establishing the connection. Default 3 s. */
  connectTimeoutMs?: number;
  /** Bound on silence while a command (or registration) waits for its answer. Default 10 s. */
  timeoutMs?: number;
  /** Bound on one whole command, streamed events included. Default 60 s. */
  deadlineMs?: number;
  /** Largest packet accepted from the daemon. Default 512 KiB (charon's own limit). */
  maxSegment?: number;
}

type EventHandler = (message: ViciMessage) => void;

interface Pending {
  what: string;
  accept: readonly PacketType[];
  resolve: (p: Packet) => void;
  reject: (e: Error) => void;
  idle: NodeJS.Timeout;
  deadline: NodeJS.Timeout;
}

export class ViciClient {
  private readonly reader: SegmentReader;
  private pending: Pending | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private closedWith: ViciError | null = null;
  private readonly closeListeners = new Set<(err: ViciError) => void>();
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;

  private constructor(
    readonly uri: string,
    private readonly socket: net.Socket,
    options: ViciClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deadlineMs = options.deadlineMs ?? 60_000;
    this.reader = new SegmentReader(options.maxSegment ?? MAX_SEGMENT);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.shut(new ViciError('closed', `VICI ${uri}: ${err.message}`)));
    socket.on('close', () =>
      this.shut(new ViciError('closed', `VICI ${uri}: the daemon closed the connection`)),
    );
  }

  /** Connects to charon's VICI socket; rejects with a ViciError that names the address and the cause. */
  static connect(uri: string, options: ViciClientOptions = {}): Promise<ViciClient> {
    const endpoint = parseViciUri(uri);
    const connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
    return new Promise((resolve, reject) => {
      const socket =
        endpoint.kind === 'unix'
          ? net.createConnection({ path: endpoint.path })
          : net.createConnection({ host: endpoint.host, port: endpoint.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ViciError('connect', `VICI ${uri}: no connection within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new ViciError('connect', `VICI ${uri}: ${connectFailure(endpoint, err)}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay?.(true);
        resolve(new ViciClient(uri, socket, options));
      });
    });
  }

  /** true once the connection is gone (closed by either side, or after a timeout or protocol error). */
  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Called once when the connection ends, with the reason. */
  onClose(listener: (err: ViciError) => void): () => void {
    if (this.closedWith) {
      listener(this.closedWith);
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** A command with a single response (version, stats, load-conn, …). */
  request(command: string, message: EncodableMessage = {}): Promise<ViciMessage> {
    return this.serial(() => this.command(command, message));
  }

  /**
   * A command that streams its result as events before the response (list-sas → list-sa,
   * list-conns → list-conn): registers for the event, runs the command, unregisters. `onEvent` sees
   * each event as it arrives; without it the events are collected and returned.
   */
  streamed(
    command: string,
    event: string,
    message: EncodableMessage = {},
    onEvent?: EventHandler,
  ): Promise<{ events: ViciMessage[]; response: ViciMessage }> {
    return this.serial(async () => {
      const events: ViciMessage[] = [];
      const handler: EventHandler = onEvent ?? ((m) => events.push(m));
      await this.register(event);
      this.addHandler(event, handler);
      try {
        const response = await this.command(command, message);
        return { events, response };
      } finally {
        this.removeHandler(event, handler);
        if (!this.closed) await this.unregister(event);
      }
    });
  }

  /** Subscribes to an event (e.g. `log`); resolves once charon confirmed. Returns the unsubscribe. */
  async subscribe(event: string, handler: EventHandler): Promise<() => Promise<void>> {
    await this.serial(async () => {
      if (!this.handlers.get(event)?.size) await this.register(event);
      this.addHandler(event, handler);
    });
    return () =>
      this.serial(async () => {
        this.removeHandler(event, handler);
        if (!this.handlers.get(event)?.size && !this.closed) await this.unregister(event);
      });
  }

  /** Closes the connection; calls waiting on it fail with code `closed`. */
  close(): void {
    this.shut(new ViciError('closed', `VICI ${this.uri}: connection closed by the client`));
    this.socket.destroy();
  }

  private async command(command: string, message: EncodableMessage): Promise<ViciMessage> {
    const reply = await this.exchange(
      encodePacket(PacketType.CmdRequest, command, message),
      `command ${command}`,
      [PacketType.CmdResponse, PacketType.CmdUnknown],
    );
    if (reply.type === PacketType.CmdUnknown)
      throw new ViciError(
        'unknown-command',
        `VICI ${this.uri}: charon does not know the command "${command}"`,
      );
    return reply.message;
  }

  private async register(event: string): Promise<void> {
    const reply = await this.exchange(
      encodePacket(PacketType.EventRegister, event),
      `registration for ${event}`,
      [PacketType.EventConfirm, PacketType.EventUnknown],
    );
    if (reply.type === PacketType.EventUnknown)
      throw new ViciError('unknown-event', `VICI ${this.uri}: charon has no event "${event}"`);
  }

  private async unregister(event: string): Promise<void> {
    await this.exchange(encodePacket(PacketType.EventUnregister, event), `unregistration of ${event}`, [
      PacketType.EventConfirm,
      PacketType.EventUnknown,
    ]);
  }

  /** Runs `fn` after every earlier call has finished: one exchange at a time on the wire. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(() => {
      if (this.closedWith) throw this.closedWith;
      return fn();
    });
    this.lock = run.catch(() => {});
    return run;
  }

  private exchange(packet: Buffer, what: string, accept: readonly PacketType[]): Promise<Packet> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise<Packet>((resolve, reject) => {
      const fail = (text: string) => () => {
        const err = new ViciError('timeout', `VICI ${this.uri}: ${what} ${text}; connection closed`);
        this.shut(err);
        this.socket.destroy();
      };
      const pending: Pending = {
        what,
        accept,
        resolve,
        reject,
        idle: setTimeout(fail(`got no answer for ${this.timeoutMs} ms`), this.timeoutMs),
        deadline: setTimeout(fail(`did not complete within ${this.deadlineMs} ms`), this.deadlineMs),
      };
      this.pending = pending;
      this.socket.write(packet);
    });
  }

  private onData(chunk: Buffer): void {
    let segments: Buffer[];
    try {
      segments = this.reader.push(chunk);
    } catch (err) {
      this.protocolFailure(err);
      return;
    }
    // Bytes arrived: a large answer in progress is not a silent socket.
    if (this.pending) this.pending.idle.refresh();
    for (const segment of segments) {
      let packet: Packet;
      try {
        packet = decodePacket(segment);
      } catch (err) {
        this.protocolFailure(err);
        return;
      }
      if (packet.type === PacketType.Event) {
        for (const handler of [...(this.handlers.get(packet.name) ?? [])]) handler(packet.message);
        continue;
      }
      const pending = this.pending;
      if (!pending?.accept.includes(packet.type)) {
        this.protocolFailure(
          new Error(
            `unexpected packet type ${packet.type}${pending ? ` while waiting for ${pending.what}` : ''}`,
          ),
        );
        return;
      }
      this.settle();
      pending.resolve(packet);
    }
  }

  private protocolFailure(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.shut(new ViciError('protocol', `VICI ${this.uri}: ${message}; connection closed`));
    this.socket.destroy();
  }

  private settle(): Pending | null {
    const pending = this.pending;
    if (pending) {
      clearTimeout(pending.idle);
      clearTimeout(pending.deadline);
      this.pending = null;
    }
    return pending;
  }

  private shut(err: ViciError): void {
    if (this.closedWith) return;
    this.closedWith = err;
    this.settle()?.reject(err);
    for (const listener of this.closeListeners) listener(err);
    this.closeListeners.clear();
  }

  private addHandler(event: string, handler: EventHandler) {
    const set = this.handlers.get(event) ?? new Set<EventHandler>();
    this.handlers.set(event, set);
    set.add(handler);
  }

  private removeHandler(event: string, handler: EventHandler) {
    this.handlers.get(event)?.delete(handler);
  }
}

function connectFailure(endpoint: ViciEndpoint, err: NodeJS.ErrnoException): string {
  const where = endpoint.kind === 'unix' ? `socket ${endpoint.path}` : `${endpoint.host}:${endpoint.port}`;
  switch (err.code) {
    case 'ENOENT':
      return `no socket at ${endpoint.kind === 'unix' ? endpoint.path : where} (is charon running with the vici plugin?)`;
    case 'ECONNREFUSED':
      return `${where} refused the connection (charon not running, or vici listening elsewhere)`;
    case 'EAGAIN':
      return `${where} accepts no more connections (its queue is full: the daemon does not answer)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${where} (the daemon's user needs access to the VICI socket)`;
    default:
      return `${where}: ${err.code ?? ''} ${err.message}`.trim();
  }
}
