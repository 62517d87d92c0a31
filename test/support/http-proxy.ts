// A real HTTP proxy on loopback, as a corporate egress proxy behaves: absolute-URI requests for http
// destinations are forwarded, CONNECT opens a TCP tunnel for https ones; optional Basic
// Proxy-Authorization (407 without it) and a deny list (403). Destination names are resolved by the
// test (`routes`: "host:port" → "127.0.0.1:port"), as the proxy's own DNS would, so a test can use
// names this host cannot resolve and prove that a request went through the proxy. Every request is
// recorded.
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

export interface ProxiedRequest {
  /** CONNECT, or the forwarded request's method. */
  method: string;
  /** "host:port" for CONNECT, the absolute URL for a forwarded request. */
  target: string;
  /** The Proxy-Authorization header as received. */
  proxyAuthorization?: string;
  /** The answer the proxy gave: 200 for a tunnel, the upstream's status, or the proxy's refusal. */
  status?: number;
}

export interface TestHttpProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export interface TestHttpProxyOptions {
  /** "host:port" (lower case) → "127.0.0.1:port"; other destinations are tried as they are. */
  routes?: Record<string, string>;
  /** "user:password" the proxy requires (407 otherwise). */
  auth?: string;
  /** Destinations ("host:port") the proxy refuses with 403. */
  deny?: string[];
}

function splitHostPort(hostPort: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(hostPort);
  return { host: m?.[1] ?? hostPort, port: m?.[2] ? Number(m[2]) : defaultPort };
}

export async function startHttpProxy(opts: TestHttpProxyOptions = {}): Promise<TestHttpProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const route = (hostPort: string, defaultPort: number) => {
    const { host, port } = splitHostPort(hostPort.toLowerCase(), defaultPort);
    const mapped = opts.routes?.[`${host}:${port}`];
    return mapped ? splitHostPort(mapped, port) : { host, port };
  };
  const refusal = (req: IncomingMessage, destination: string): number | undefined => {
    if (opts.auth) {
      const expected = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      if (req.headers['proxy-authorization'] !== expected) return 407;
    }
    if (opts.deny?.includes(destination.toLowerCase())) return 403;
    return undefined;
  };
  const record = (req: IncomingMessage, target: string): ProxiedRequest => {
    const r: ProxiedRequest = {
      method: req.method ?? '',
      target,
      ...(req.headers['proxy-authorization'] && { proxyAuthorization: req.headers['proxy-authorization'] }),
    };
    requests.push(r);
    return r;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '';
    const r = record(req, target);
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      r.status = 400;
      res.writeHead(400, { 'content-type': 'text/plain' }).end('a proxy wants an absolute URL');
      return;
    }
    const refused = refusal(req, `${url.hostname}:${url.port || 80}`);
    if (refused) {
      r.status = refused;
      res
        .writeHead(refused, {
          'content-type': 'text/html',
          ...(refused === 407 && { 'proxy-authenticate': 'Basic realm="test"' }),
        })
        .end(`<html><body>test proxy: ${refused}</body></html>`);
      return;
    }
    const { host, port } = route(url.host, 80);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = request(
      { host, port, method: req.method, path: url.pathname + url.search, headers },
      (up) => {
        r.status = up.statusCode;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      r.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('test proxy: upstream failed');
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const target = req.url ?? '';
    const r = record(req, target);
    const refused = refusal(req, target);
    if (refused) {
      r.status = refused;
      client.end(
        `HTTP/1.1 ${refused} ${refused === 407 ? 'Proxy Authentication Required' : 'Forbidden'}\r\n` +
          `${refused === 407 ? 'Proxy-Authenticate: Basic realm="test"\r\n' : ''}Content-Length: 0\r\n\r\n`,
      );
      return;
    }
    const { host, port } = route(target, 443);
    const upstream = connect(port, host, () => {
      r.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      if (r.status === 200) return client.destroy(); // the tunnel was up: just close it
      r.status = 502;
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
