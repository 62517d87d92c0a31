// The listener that outlives a SIGHUP reload. A reload used to close the Fastify server and listen
// again, refusing connections for a second or more (kubelet probes and Prometheus scrapes saw
// "connection refused"). Now one http.Server listens for the life of `serve` and hands each request
// to the current app; while a reload swaps the app, requests wait and are then answered by the new one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.js';
import { listenAnnounced } from './listen.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export class Front {
  private handler: Handler | null = null;
  private waiting: Array<[IncomingMessage, ServerResponse]> = [];
  readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      if (this.handler) this.handler(req, res);
      else this.waiting.push([req, res]);
    });
  }

  /** Listen on host:port (the errors and the announcement of any listener). */
  async listen(
    where: { host: string; port: number },
    logger: Logger,
    fields: { version: string; accounts: string[]; hasToken: boolean },
  ): Promise<string> {
    const server = this.server;
    this.url = await listenAnnounced(
      {
        listen: ({ host, port }: { host: string; port: number }) =>
          new Promise<string>((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, host, () => {
              server.off('error', reject);
              const a = server.address();
              const h = typeof a === 'object' && a ? a.address : host;
              const p = typeof a === 'object' && a ? a.port : port;
              resolve(`http://${h.includes(':') ? `[${h}]` : h}:${p}`);
            });
          }),
      },
      where,
      logger,
      fields,
    );
    return this.url;
  }

  /** A Fastify serverFactory: the app gets no listener of its own; its handler is kept for `use`. */
  factory(onHandler: (h: Handler) => void): (handler: Handler) => Server {
    return (handler) => {
      onHandler(handler);
      return createServer();
    };
  }

  /** Requests wait from now until the next `use` (an app is being swapped). */
  hold(): void {
    this.handler = null;
  }

  /** Answer with `handler` from now on, including the requests that waited. */
  use(handler: Handler): void {
    this.handler = handler;
    const waiting = this.waiting;
    this.waiting = [];
    for (const [req, res] of waiting) handler(req, res);
  }

  async close(): Promise<void> {
    for (const [, res] of this.waiting.splice(0)) {
      res.statusCode = 503;
      res.end('stopping');
    }
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const force = setTimeout(() => this.server.closeAllConnections(), 2_000);
    await closed;
    clearTimeout(force);
  }
}
