// Issue 11, item 3: failed tokens are rate-limited per client (the limiter counts a request before
// the token is checked), unauthenticated traffic is limited per client, the probes are never
// limited, and the diagnose limit is one bucket per connection however the path is spelled.
import { afterEach, describe, expect, it } from 'vitest';
import { type AuthDrill, startAuthDrill, TOKEN } from './auth-harness.js';
import { fleetConnection } from './helpers.js';
import { rawRequest } from './http-raw.js';

const CONNECTION = fleetConnection(0, 0, 0);
const FAILURES = 20; // the default per client and minute
const bad = { authorization: 'Bearer not-the-token' };
const good = { authorization: `Bearer ${TOKEN}` };

let drill: AuthDrill | undefined;
afterEach(async () => {
  await drill?.close();
  drill = undefined;
});

async function statuses(n: number, req: () => Promise<{ statusCode: number }>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await req()).statusCode);
  return out;
}

describe('rate limits in front of the token (issue 11, item 3)', () => {
  it('answers 429 to a client after its failed tokens, then refuses even the right token for the window', async () => {
    drill = await startAuthDrill();
    const app = drill.app;
    const codes = await statuses(FAILURES + 3, () => app.inject({ url: '/api/v1/report', headers: bad }));
    expect(codes.slice(0, FAILURES)).toEqual(Array(FAILURES).fill(401));
    expect(codes.slice(FAILURES)).toEqual([429, 429, 429]);
    const limited = await app.inject({ url: '/api/v1/report', headers: bad });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().message).toMatch(/too many failed tokens/);
    // Guessing on cannot find the token: the right one is refused too, from this client.
    expect((await app.inject({ url: '/api/v1/report', headers: good })).statusCode).toBe(429);
    // Other clients are not locked out.
    const other = { remoteAddress: '10.9.8.7' };
    expect((await app.inject({ url: '/api/v1/report', headers: good, ...other })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/report', headers: bad, ...other })).statusCode).toBe(401);
  });

  it('counts failed sign-ins on the form against the same limit, and says so on the page', async () => {
    drill = await startAuthDrill();
    const app = drill.app;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    // Half the budget on the API, the rest on the form.
    await statuses(FAILURES / 2, () => app.inject({ url: '/api/v1/findings', headers: bad }));
    const codes = await statuses(FAILURES / 2, () =>
      app.inject({ method: 'POST', url: '/login', headers: form, payload: 'token=nope&next=%2F&lang=ja' }),
    );
    expect(codes).toEqual(Array(FAILURES / 2).fill(401));
    const refused = await app.inject({
      method: 'POST',
      url: '/login',
      headers: form,
      payload: 'token=nope&lang=ja',
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('サインイン失敗が多すぎます');
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('keeps /healthz and /readyz at 200 under a flood that exhausts the client limit', async () => {
    drill = await startAuthDrill({ max: 50 });
    const app = drill.app;
    const flood = await statuses(60, () => app.inject({ url: '/api/v1/report', headers: good }));
    expect(flood.filter((c) => c === 429).length).toBe(10);
    for (let i = 0; i < 100; i++) {
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      expect((await app.inject('/readyz')).statusCode).toBe(200);
    }
  });

  it('keeps /healthz at 200 after 700 requests at the default limit (600 per minute)', async () => {
    drill = await startAuthDrill();
    const app = drill.app;
    const flood = await statuses(700, () => app.inject({ url: '/metrics' }));
    expect(flood.filter((c) => c === 429).length).toBe(100);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('limits unauthenticated traffic per client, on known and unknown paths alike', async () => {
    drill = await startAuthDrill({ max: 30, authFailureMax: 1_000_000 });
    const app = drill.app;
    const pages = await statuses(20, () => app.inject('/'));
    const unknown = await statuses(15, () => app.inject('/nope'));
    expect(pages).toEqual(Array(20).fill(401));
    expect(unknown).toEqual([...Array(10).fill(404), ...Array(5).fill(429)]);
    expect((await app.inject('/')).statusCode).toBe(429);
    expect((await app.inject({ url: '/', remoteAddress: '10.1.1.1' })).statusCode).toBe(401);
  });

  it('gives one diagnose bucket per client and connection, whatever the spelling of its path', async () => {
    drill = await startAuthDrill({ diagnoseMax: 3 });
    const d = drill;
    const spellings = [
      `/api/v1/connections/${CONNECTION}/diagnose`,
      `/%61pi/v1/connections/${CONNECTION}/diagnose`,
      `/api/v1/%63onnections/${CONNECTION}/diagnose`,
      `/api/v1/connections/%76co-${CONNECTION.slice(4)}/diagnose`,
      `/api/%761/connections/${CONNECTION}/%64iagnose`,
    ];
    const codes: number[] = [];
    for (const p of spellings) codes.push((await rawRequest(d.port, 'POST', p, good)).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
  }, 60_000);
});
