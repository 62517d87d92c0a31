// Input hostility on the HTTP API (issue 8): random connection ids, query strings and bodies get a
// 4xx with a JSON message (or the page), never a 500 and never a crash; huge queries are refused.
// test/server/api.test.ts holds the exact messages for specific bad inputs; this fuzzes around them.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView } from '../fixtures/view.js';

const app = buildServer(new FixtureView(), {
  version: 'fuzz',
  now: () => NOW,
  metrics: { defaultMetrics: false },
  rateLimit: { max: 1_000_000, diagnoseMax: 1_000_000 },
});
afterAll(() => app.close());

const segment = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.stringMatching(/^vco-[a-z0-9-]{0,80}$/),
  fc.constantFrom('..', '%00', '%2e%2e%2f', 'vco-<script>', "vco-' OR 1=1 --", 'vco-%F0%9F%92%A9', '%'),
);
const enc = (s: string) => (s.startsWith('%') || s === '..' ? s : encodeURIComponent(s));
const queryValue = fc.oneof(fc.string({ maxLength: 60 }), fc.integer().map(String), fc.constant(''));
const query = fc
  .dictionary(
    fc.constantFrom(
      'lang',
      'format',
      'severity',
      'status',
      'region',
      'account',
      'connection',
      'since',
      'limit',
      'x',
    ),
    queryValue,
    { maxKeys: 4 },
  )
  .map((q) => new URLSearchParams(q).toString());

function expectHandled(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  url: string,
) {
  expect(res.statusCode, url).toBeLessThan(500);
  if (res.statusCode >= 400 && String(res.headers['content-type']).startsWith('application/json')) {
    const body = JSON.parse(res.body) as { message?: unknown };
    expect(typeof body.message, url).toBe('string');
  }
}

describe('HTTP API under hostile input', () => {
  it('answers random ids and queries on every route with < 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/api/v1/connections/:id',
          '/api/v1/connections/:id/events',
          '/connections/:id',
          '/api/v1/report',
          '/api/v1/findings',
          '/',
        ),
        segment,
        query,
        async (route, id, q) => {
          const url = `${route.replace(':id', enc(id))}${q ? `?${q}` : ''}`;
          expectHandled(await app.inject(url), url);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses bad ids on every id route with 400 naming params.id', async () => {
    for (const route of ['/api/v1/connections/:id', '/api/v1/connections/:id/events']) {
      for (const bad of ['vco-', 'VCO-ABC', 'vco-a b', `vco-${'a'.repeat(100)}`, 'vpn-abc']) {
        const res = await app.inject(route.replace(':id', encodeURIComponent(bad)));
        expect([res.statusCode, res.json().message], bad).toEqual([
          400,
          expect.stringContaining('params.id'),
        ]);
      }
    }
    const post = await app.inject({ method: 'POST', url: '/api/v1/connections/not-an-id/diagnose' });
    expect(post.statusCode).toBe(400);
  });

  it('refuses huge queries and bodies without a 500', async () => {
    const longQuery = await app.inject(`/api/v1/report?connection=${'a'.repeat(100_000)}`);
    expect(longQuery.statusCode).toBe(414);
    const manyParams = await app.inject(
      `/api/v1/findings?${Array.from({ length: 400 }, (_, i) => `p${i}=1`).join('&')}`,
    );
    expect([400, 414]).toContain(manyParams.statusCode);
    const body = await app.inject({
      method: 'POST',
      url: '/api/v1/connections/vco-abc/diagnose',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ x: 'y'.repeat(1024 * 1024) }),
    });
    expect(body.statusCode).toBe(413);
  });
});
