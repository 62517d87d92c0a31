// A minimal loopback server that answers the real Alibaba SDK clients with scripted responses (no
// signature check). For cloud-access tests that need exact control over each reply; the full
// simulator (src/sim) is the test bed for everything else.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  action: string;
  version: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
}

export interface FakeReply {
  status?: number;
  /** An object is sent as JSON; a string is sent as-is (e.g. an HTML 502 page). */
  body: unknown;
  headers?: Record<string, string>;
  /** Hold the reply this long (to provoke read timeouts). */
  delayMs?: number;
  /** Destroy the socket instead of answering (a connection reset). */
  reset?: boolean;
}

export type FakeScript = (call: FakeCall, index: number) => FakeReply;

export interface FakeAlibaba {
  readonly url: string;
  readonly calls: FakeCall[];
  script: FakeScript;
  close(): Promise<void>;
}

export const errorBody = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  RequestId: `req-${code}`,
  HostId: 'vpc.aliyuncs.com',
  Code: code,
  Message: message,
  ...extra,
});

export async function startFakeAlibaba(script: FakeScript): Promise<FakeAlibaba> {
  const calls: FakeCall[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const state: { script: FakeScript } = { script };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const call: FakeCall = {
        action: String(req.headers['x-acs-action'] ?? url.searchParams.get('Action') ?? ''),
        version: String(req.headers['x-acs-version'] ?? url.searchParams.get('Version') ?? ''),
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
      };
      const reply = state.script(call, calls.length);
      calls.push(call);
      const send = () => {
        if (reply.reset) {
          req.socket.destroy();
          return;
        }
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status ?? 200, {
          'content-type': typeof reply.body === 'string' ? 'text/html' : 'application/json;charset=utf-8',
          'x-acs-request-id': 'req-fake',
          ...reply.headers,
        });
        res.end(text);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    get script() {
      return state.script;
    },
    set script(s: FakeScript) {
      state.script = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
