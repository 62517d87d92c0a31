// A hostile proxy in front of the simulator: the daemon's real SDK clients talk to it (the account's
// `endpoint`), it forwards every request unchanged (headers included, so signatures still verify) and
// can rewrite the answer of a chosen product/action: another JSON value (`{}`, `null`, a non-list),
// an edit of the simulator's real body (rows without ids, tunnels without Status, wrong types), an
// error status with a message of our choosing (secrets quoted back), or a body of any size streamed
// in chunks without ever being held in memory. Every request is recorded with its product and action,
// so a drill can measure the rate the daemon calls at.
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PRODUCT_BY_VERSION, type SimProduct } from '../../src/sim/protocol.js';

// biome-ignore lint/suspicious/noExplicitAny: bodies are free-form JSON the rewrites edit directly.
type Json = any;

export type Rewrite =
  /** Answer with this JSON value instead (HTTP `status`, default 200). */
  | { kind: 'json'; value: unknown; status?: number }
  /** Parse the simulator's answer and send what `edit` returns (it may change the parsed body in place). */
  | { kind: 'edit'; edit: (body: Json) => unknown }
  /** Answer with these bytes as they are (HTTP `status`, default 200). */
  | { kind: 'raw'; text: string; status?: number; contentType?: string }
  /**
   * A JSON body of about `bytes` bytes (`{"RequestId":"…","Pad":"xxxx…"}`), written in 64 KiB chunks
   * as the client reads them, without Content-Length (the client cannot know the size up front).
   */
  | { kind: 'stream'; bytes: number };

export interface ProxyRule {
  product?: SimProduct;
  /** Action name; omitted matches every action of the product. */
  action?: string;
  /** The request's RegionId (query or form body); omitted matches every region. */
  region?: string;
  /** Any other test on the request's parameters (query and form body), e.g. CloudMonitor's Dimensions. */
  when?: (params: URLSearchParams) => boolean;
  rewrite: Rewrite;
  /** Applies to the first `count` matching calls only, then disarms. */
  count?: number;
}

export interface ProxiedCall {
  at: number;
  product: SimProduct | undefined;
  action: string | undefined;
  /** True when a rule answered instead of the simulator. */
  rewritten: boolean;
}

export interface HostileProxy {
  /** `http://127.0.0.1:PORT`, for the account's `endpoint`. */
  url: string;
  /** Replace the rewrite rules (first matching rule wins). */
  set(rules: ProxyRule[]): void;
  /** Every API call seen so far (control calls to /_sim are passed through unrecorded). */
  calls(): ProxiedCall[];
  resetCalls(): void;
  /** Bytes written by `stream` rewrites so far (what the client was sent before it hung up). */
  streamedBytes(): number;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (b: Buffer) => parts.push(b));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Product and action as the SDK sends them (ACS3 headers, or the legacy RPC query parameters). */
function targetOf(req: IncomingMessage): { product: SimProduct | undefined; action: string | undefined } {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const version = header(req, 'x-acs-version') ?? url.searchParams.get('Version') ?? undefined;
  const action = header(req, 'x-acs-action') ?? url.searchParams.get('Action') ?? undefined;
  return { product: version === undefined ? undefined : PRODUCT_BY_VERSION[version], action };
}

/** The request's parameters as the SDK sends them: the query string, then a form body. */
function paramsOf(req: IncomingMessage, body: Buffer): URLSearchParams {
  const params = new URL(req.url ?? '/', 'http://proxy').searchParams;
  if ((header(req, 'content-type') ?? '').includes('form-urlencoded'))
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
  return params;
}

function streamBody(res: ServerResponse, bytes: number, onWritten: (n: number) => void): void {
  res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
  const head = Buffer.from('{"RequestId":"hostile-proxy","Pad":"');
  const tail = Buffer.from('"}');
  const pad = Buffer.alloc(CHUNK, 'x');
  let left = Math.max(0, bytes - head.length - tail.length);
  res.write(head);
  const pump = () => {
    while (left > 0) {
      const n = Math.min(CHUNK, left);
      left -= n;
      onWritten(n);
      if (!res.write(n === CHUNK ? pad : pad.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  res.on('close', () => {
    left = 0; // the client hung up: stop producing
  });
  pump();
}

export async function startHostileProxy(target: string): Promise<HostileProxy> {
  const upstream = new URL(target);
  let rules: Array<ProxyRule & { used: number }> = [];
  const log: ProxiedCall[] = [];
  let streamed = 0;

  const match = (product: SimProduct | undefined, action: string | undefined, params: URLSearchParams) =>
    rules.find(
      (r) =>
        (r.product === undefined || r.product === product) &&
        (r.action === undefined || r.action === action) &&
        (r.region === undefined || r.region === params.get('RegionId')) &&
        (r.when === undefined || r.when(params)) &&
        (r.count === undefined || r.used < r.count),
    );

  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers, // Host included: the signature covers it
        },
        async (res) => {
          try {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (typeof v === 'string' && k !== 'content-length' && k !== 'transfer-encoding')
                headers[k] = v;
            resolve({ status: res.statusCode ?? 502, headers, body: await readBody(res) });
          } catch (err) {
            reject(err);
          }
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const { product, action } = targetOf(req);
      const control = (req.url ?? '').startsWith('/_sim/');
      const rule = control ? undefined : match(product, action, paramsOf(req, body));
      if (!control) log.push({ at: Date.now(), product, action, rewritten: rule !== undefined });
      if (rule) rule.used += 1;
      const rewrite = rule?.rewrite;
      if (rewrite?.kind === 'stream') return streamBody(res, rewrite.bytes, (n) => (streamed += n));
      if (rewrite?.kind === 'json' || rewrite?.kind === 'raw') {
        const text = rewrite.kind === 'json' ? JSON.stringify(rewrite.value) : rewrite.text;
        const type =
          rewrite.kind === 'raw' ? (rewrite.contentType ?? 'text/plain') : 'application/json;charset=utf-8';
        res.writeHead(rewrite.status ?? 200, { 'content-type': type, 'x-acs-request-id': 'hostile-proxy' });
        return res.end(text);
      }
      const answer = await forward(req, body);
      let out = answer.body;
      if (rewrite?.kind === 'edit') {
        const parsed = JSON.parse(answer.body.toString('utf8'));
        const edited = rewrite.edit(parsed);
        out = Buffer.from(JSON.stringify(edited === undefined ? parsed : edited));
      }
      res.writeHead(answer.status, answer.headers);
      res.end(out);
    } catch (err) {
      res.writeHead(599, { 'content-type': 'text/plain' });
      res.end(`hostile proxy failed: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set(next) {
      rules = next.map((r) => ({ ...r, used: 0 }));
    },
    calls: () => [...log],
    resetCalls: () => {
      log.length = 0;
    },
    streamedBytes: () => streamed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
