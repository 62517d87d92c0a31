// Issue 11, item 1: with a token configured, no spelling of a protected path may reach its handler
// without the token. The routes come from the running app (an onRoute hook), so a route added later
// is covered without touching this file: everything but the public routes listed here is protected.
// Requests go byte for byte over a socket (fetch and inject normalise paths).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthDrill, startAuthDrill, TOKEN } from './auth-harness.js';
import { fleetConnection } from './helpers.js';
import { rawRequest } from './http-raw.js';

const CONNECTION = fleetConnection(0, 0, 0);
/** Open by design: probes, metrics, the two assets, the favicon, API docs and the sign-in form. */
const PUBLIC = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /assets/app.css',
  'GET /assets/app.js',
  'GET /favicon.ico',
  'GET /login',
  'POST /login',
]);
const isPublic = (method: string, url: string) =>
  PUBLIC.has(`${method === 'HEAD' ? 'GET' : method} ${url}`) || url === '/docs' || url.startsWith('/docs/');

let drill: AuthDrill;
let port: number;

beforeAll(async () => {
  // Limits would answer 429 before a bypass shows; auth-limits.test.ts drills them.
  drill = await startAuthDrill({ max: 1_000_000, diagnoseMax: 1_000_000, authFailureMax: 1_000_000 });
  port = drill.port;
}, 60_000);

afterAll(() => drill?.close());

function concrete(url: string): string {
  return url.replace(/:id\b/g, CONNECTION).replace(/\*$/, 'x');
}

/** Spellings of `path` that a router might map to the same route while a string check would not. */
function variants(path: string): string[] {
  const segs = path.split('/').slice(1);
  const out = new Set<string>();
  const join = (s: string[]) => `/${s.join('/')}`;
  const encodeFirst = (s: string, upper = false) => {
    const hex = s.charCodeAt(0).toString(16);
    return s ? `%${upper ? hex.toUpperCase() : hex}${s.slice(1)}` : s;
  };
  segs.forEach((s, i) => {
    if (!s) return;
    out.add(join(segs.map((x, j) => (j === i ? encodeFirst(x) : x))));
    out.add(
      join(
        segs.map((x, j) =>
          j === i
            ? encodeURIComponent(x).replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
            : x,
        ),
      ),
    );
    out.add(join(segs.map((x, j) => (j === i ? x.toUpperCase() : x))));
    out.add(join(segs.map((x, j) => (j === i ? `${x[0]!.toUpperCase()}${x.slice(1)}` : x))));
    out.add(join(segs.map((x, j) => (j === i ? `%25${encodeFirst(x).slice(1)}` : x)))); // double-encoded
  });
  out.add(join(segs.map((x) => encodeFirst(x))));
  out.add(path.toUpperCase());
  // Doubled slashes at every position, dot segments, encoded slashes and dots.
  for (let i = 0; i <= segs.length; i++) {
    out.add(join([...segs.slice(0, i), '', ...segs.slice(i)]));
    out.add(join([...segs.slice(0, i), '.', ...segs.slice(i)]));
    out.add(join([...segs.slice(0, i), 'x', '..', ...segs.slice(i)]));
    out.add(join([...segs.slice(0, i), 'x', '%2e%2e', ...segs.slice(i)]));
    out.add(join([...segs.slice(0, i), '%2e', ...segs.slice(i)]));
  }
  out.add(`/${segs.join('%2F')}`);
  out.add(`/${segs.join('%2f')}`);
  out.add(`/${segs.join('\\')}`);
  out.add(`//${segs.join('/')}`);
  out.add(`${path}/`);
  out.add(`${path}/.`);
  out.add(`${path}//`);
  out.add(`${path};x`);
  out.add(`${path}%00`);
  out.add(`${path}%20`);
  out.add(`${path}?`);
  out.add(`${path}#x`);
  out.delete(path);
  return [...out];
}

describe('authentication bypass (issue 11, item 1)', () => {
  it('finds the protected routes, each refusing a request without the token and serving one with it', async () => {
    const guarded = drill.routes.filter((r) => !isPublic(r.method, r.url));
    const urls = guarded.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /',
      'GET /connections/:id',
      'GET /api/v1/report',
      'GET /api/v1/findings',
      'GET /api/v1/connections/:id',
      'GET /api/v1/connections/:id/events',
      'POST /api/v1/connections/:id/diagnose',
    ])
      expect(urls).toContain(expected);
    for (const r of guarded) {
      const path = concrete(r.url);
      const without = await rawRequest(port, r.method, path);
      expect([r.method, path, without.status]).toEqual([r.method, path, 401]);
      if (r.method === 'POST') continue; // diagnose calls the cloud: drilled below
      const withToken = await rawRequest(port, r.method, path, { authorization: `Bearer ${TOKEN}` });
      expect([r.method, path, withToken.status]).toEqual([r.method, path, 200]);
    }
  });

  it('answers no encoded, doubled-slash, dot-segment, case or trailing variant of a protected route with 2xx', async () => {
    const guarded = drill.routes.filter((r) => !isPublic(r.method, r.url));
    const leaks: string[] = [];
    let tried = 0;
    for (const r of guarded) {
      for (const path of variants(concrete(r.url))) {
        tried++;
        const res = await rawRequest(port, r.method, path);
        if (res.status < 300) leaks.push(`${r.method} ${path} -> ${res.status}`);
      }
      // The absolute form of the request target, which a proxy would send.
      const absolute = await rawRequest(port, r.method, `http://127.0.0.1:${port}${concrete(r.url)}`);
      if (absolute.status < 300) leaks.push(`${r.method} absolute-form -> ${absolute.status}`);
    }
    expect(tried).toBeGreaterThan(200);
    expect(leaks).toEqual([]);
  }, 60_000);

  it('never lets an unauthenticated diagnose reach the cloud, however the path is spelled', async () => {
    const before = drill.cloudCalls();
    const path = `/api/v1/connections/${CONNECTION}/diagnose`;
    const spellings = [path, `/%61pi/v1/connections/${CONNECTION}/diagnose`, ...variants(path)];
    const answers = await Promise.all(spellings.map((p) => rawRequest(port, 'POST', p)));
    expect(
      answers.map((a, i) => `${spellings[i]} ${a.status}`).filter((_, i) => answers[i]!.status < 300),
    ).toEqual([]);
    expect(drill.cloudCalls()).toBe(before);
    // The same request with the token does call the cloud (the counter is live).
    const ok = await rawRequest(port, 'POST', path, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(drill.cloudCalls()).toBeGreaterThan(before);
  }, 60_000);
});
