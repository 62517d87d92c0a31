// A cap on the size of every API answer, counted while the body streams and before anything is
// parsed. Every SDK call (openapi-core's doRequest/execute) gets its response from Darabonba's
// `doAction` and then reads the whole body (`Stream.readAsJSON`: bytes, then a string, then
// JSON.parse), so a 100 MB answer costs several hundred MB of memory before any code of ours sees
// it. The hook is therefore `doAction` itself: the response body it returns is swapped for a stream
// that counts bytes and fails (destroying the socket) once the limit of the call in progress is
// passed. The limit and the product/action it names come from the call (callWithPolicy runs the SDK
// call inside `withResponseLimit`); calls outside that context are not capped.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import type { Product } from './types.js';

export interface ResponseLimit {
  product: Product;
  action: string;
  maxBytes: number;
  /** Filled in by the hook when an answer arrives: its HTTP status and content type (for messages). */
  answer?: { status: number; contentType?: string };
}

/** The answer was larger than `api.maxResponseBytes`; counted and reported as `ResponseTooLarge`. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limit: ResponseLimit) {
    super(
      `${limit.product} ${limit.action} answered more than ${limit.maxBytes} bytes (api.maxResponseBytes); the answer was dropped unread`,
    );
    this.name = 'ResponseTooLargeError';
  }
}

const current = new AsyncLocalStorage<ResponseLimit>();

/** Run one SDK call with its answer capped at `limit.maxBytes`. */
export function withResponseLimit<T>(limit: ResponseLimit, call: () => Promise<T>): Promise<T> {
  installOnce();
  return current.run(limit, call);
}

interface Readable {
  pipe: unknown;
  destroy(err?: Error): void;
}

class ByteCap extends Transform {
  private seen = 0;
  constructor(private readonly limit: ResponseLimit) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit.maxBytes) done(new ResponseTooLargeError(this.limit));
    else done(null, chunk);
  }
}

/** The counting stream in place of `body`; an oversized answer destroys the source (the socket is not reused). */
export function capBody(body: Readable, limit: ResponseLimit): Transform {
  const capped = new ByteCap(limit);
  // pipeline forwards the source's errors and destroys the source when the cap fails.
  pipeline(body as unknown as NodeJS.ReadableStream, capped, () => undefined);
  return capped;
}

const INSTALLED = Symbol.for('alivpn-doctor.responseCap');

type DoAction = (request: unknown, runtime: unknown) => Promise<{ body?: unknown }>;

/**
 * Wrap Darabonba's `doAction` (the module the SDK clients resolve it from at every call: the package
 * index re-exports it through a getter on this module's exports).
 */
function installOnce(): void {
  const core = createRequire(import.meta.url)('@darabonba/typescript/dist/core.js') as {
    doAction: DoAction;
    [INSTALLED]?: true;
  };
  if (core[INSTALLED]) return;
  const original = core.doAction;
  core.doAction = async function cappedDoAction(this: unknown, request, runtime) {
    const response = await original.call(this, request, runtime);
    const limit = current.getStore();
    if (limit && typeof (response as { statusCode?: unknown })?.statusCode === 'number') {
      const r = response as { statusCode: number; headers?: Record<string, unknown> };
      const type = r.headers?.['content-type'];
      limit.answer = { status: r.statusCode, ...(typeof type === 'string' && { contentType: type }) };
    }
    const body = response?.body as Readable | undefined;
    if (limit && body && typeof body.pipe === 'function') response.body = capBody(body, limit);
    return response;
  };
  core[INSTALLED] = true;
}
