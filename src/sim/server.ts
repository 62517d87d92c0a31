// The simulator's HTTP server: Alibaba Cloud OpenAPI as the real SDK clients speak it, plus the
// unsigned /_sim/ control API. The world behind it is a SimBackend (see protocol.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaultRule, SimApiError, type SimBackend, type SimCallRecord } from './protocol.js';
import { Authenticator } from './transport/auth.js';
import { CallLog } from './transport/call-log.js';
import { handleControl } from './transport/control.js';
import { errorBody, newRequestId } from './transport/errors.js';
import { FaultEngine } from './transport/faults.js';
import { parseBody, parseQuery, type RawCall } from './transport/params.js';
import { ApiPipeline, type ApiReply } from './transport/pipeline.js';

export interface SimServerOptions {
  backend: SimBackend;
  /** 0 or omitted: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Server clock (ms): request-time checks, QPS windows and call-log times; default Date.now. */
  now?: () => number;
  /** Random source for `ratio` faults; default Math.random. */
  random?: () => number;
}

export interface SimServer {
  /** http://HOST:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
  calls(): SimCallRecord[];
  resetCalls(): void;
  /** Replaces the faults set at run time (the scenario's own faults stay). */
  setFaults(rules: FaultRule[]): void;
  /** Faults set at run time and still armed. */
  faults(): FaultRule[];
}

const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge(`request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: ApiReply): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify(body),
  });
}

export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  const now = opts.now ?? Date.now;
  const host = opts.host ?? '127.0.0.1';
  const calls = new CallLog();
  const faults = new FaultEngine(() => opts.backend.faults(), now, opts.random);
  const pipeline = new ApiPipeline({
    backend: opts.backend,
    auth: new Authenticator((id) => opts.backend.credential(id), now),
    faults,
    calls,
    now,
  });

  // Held responses (latency, timeouts) end early when the server closes.
  const pending = new Set<() => void>();
  let closing = false;
  const wait = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (closing) return resolve(false);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        pending.delete(cancel);
        resolve(ok);
      };
      const cancel = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      pending.add(cancel);
    });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLarge) sendJson(res, 413, { error: e.message });
      return;
    }
    if (path === '/_sim' || path.startsWith('/_sim/')) {
      const subpath = path.replace(/^\/_sim\/?/, '');
      const reply = await handleControl(method, subpath, body, { faults, calls, backend: opts.backend });
      sendJson(res, reply.status, reply.body);
      return;
    }
    let call: RawCall;
    try {
      call = { method, path, query: parseQuery(rawQuery), headers: req.headers, body, bodyParams: {} };
      call.bodyParams = parseBody(req.headers['content-type'], body);
    } catch (e) {
      const err =
        e instanceof SimApiError
          ? e
          : new SimApiError(400, 'InvalidParameter', 'The request body could not be parsed.');
      const requestId = newRequestId();
      sendJson(res, err.httpStatus, errorBody(err, { requestId, product: undefined, region: undefined }));
      return;
    }
    const reply = await pipeline.handle(call, wait);
    if (reply) send(res, reply);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      // Last resort: the pipeline renders every expected failure itself.
      sendJson(res, 500, { Code: 'InternalError', Message: `simulator failure: ${(e as Error).message}` });
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      closing = true;
      for (const cancel of [...pending]) cancel();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    calls: () => calls.list(),
    resetCalls: () => calls.reset(),
    setFaults: (rules) => faults.set(rules),
    faults: () => faults.list(),
  };
}
