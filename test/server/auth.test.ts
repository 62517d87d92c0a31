import { describe, expect, it } from 'vitest';
import { secretsEqual } from '../../src/server/auth.js';
import { FLEET } from '../fixtures/view.js';
import { server } from './helpers.js';

const TOKEN = 'on-call-token-0123456789';

describe('bearer token', () => {
  it('is off by default: the API and the report are open', async () => {
    const { app } = server();
    expect((await app.inject('/api/v1/report')).statusCode).toBe(200);
    expect((await app.inject('/')).statusCode).toBe(200);
    expect((await app.inject('/login')).statusCode).toBe(404);
  });

  it('guards /api with 401 and a WWW-Authenticate challenge', async () => {
    const { app } = server({ authToken: TOKEN });
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }]) {
      const res = await app.inject({ url: '/api/v1/report', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="alivpn-doctor"');
      expect(res.json()).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'missing or invalid bearer token',
      });
    }
    const post = await app.inject({
      method: 'POST',
      url: `/api/v1/connections/${FLEET.failedOver}/diagnose`,
    });
    expect(post.statusCode).toBe(401);
    const ok = await app.inject({ url: '/api/v1/report', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
  });

  it('guards the HTML report with a sign-in page, and leaves probes, metrics and docs open', async () => {
    const { app } = server({ authToken: TOKEN });
    const page = await app.inject(`/connections/${FLEET.failedOver}`);
    expect(page.statusCode).toBe(401);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(`<input type="hidden" name="next" value="/connections/${FLEET.failedOver}">`);
    expect(page.body).not.toContain(FLEET.failedOver + '</h1>');
    expect((await app.inject('/')).statusCode).toBe(401);
    for (const url of ['/healthz', '/readyz', '/metrics', '/assets/app.css', '/docs/json']) {
      expect([url, (await app.inject(url)).statusCode]).toEqual([url, 200]);
    }
  });

  it('signs a browser in with a cookie that is not the token', async () => {
    const { app } = server({ authToken: TOKEN });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const wrong = await app.inject({
      method: 'POST',
      url: '/login',
      headers: form,
      payload: 'token=nope&next=%2F',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: form,
      payload: `token=${TOKEN}&next=${encodeURIComponent(`/connections/${FLEET.failedOver}`)}`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/connections/${FLEET.failedOver}`);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^alivpn_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0]!;
    expect((await app.inject({ url: '/', headers: { cookie: session } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/findings', headers: { cookie: session } })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ url: '/', headers: { cookie: 'alivpn_session=forged' } })).statusCode).toBe(
      401,
    );
  });

  it('renders the sign-in page in the language asked for, without auto-refresh, and keeps it through sign-in', async () => {
    const { app } = server({ authToken: TOKEN });
    const guarded = await app.inject('/?lang=ja');
    expect(guarded.statusCode).toBe(401);
    expect(guarded.body).toContain('<html lang="ja">');
    expect(guarded.body).toContain('アクセストークン');
    expect(guarded.body).toContain('<input type="hidden" name="lang" value="ja">');
    expect(guarded.body).not.toContain('id="auto-refresh"');
    const login = await app.inject('/login?lang=ja&next=%2F');
    expect(login.body).toContain('<html lang="ja">');
    expect(login.body).not.toContain('id="auto-refresh"');

    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const wrong = await app.inject({
      method: 'POST',
      url: '/login',
      headers: form,
      payload: 'token=x&next=%2F&lang=ja',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('<html lang="ja">');
    expect(wrong.body).toContain('サインインできませんでした');
    expect(wrong.body).toContain('server.authToken');
    expect(wrong.body).not.toMatch(/>401</);
    const wrongEn = await app.inject({ method: 'POST', url: '/login', headers: form, payload: 'token=x' });
    expect(wrongEn.body).toContain('Sign-in failed: this access token was not accepted');

    const ok = await app.inject({
      method: 'POST',
      url: '/login',
      headers: form,
      payload: `token=${TOKEN}&next=%2F&lang=ja`,
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/?lang=ja');
    const kept = await app.inject({
      method: 'POST',
      url: '/login',
      headers: form,
      payload: `token=${TOKEN}&next=${encodeURIComponent('/connections/vco-a?lang=en')}&lang=ja`,
    });
    expect(kept.headers.location).toBe('/connections/vco-a?lang=en');
  });

  it('marks only the protected routes as needing the bearer token in the OpenAPI document', async () => {
    const { app } = server({ authToken: TOKEN });
    const doc = (await app.inject('/docs/json')).json() as {
      security?: unknown;
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(doc.security).toBeUndefined();
    expect(doc.paths['/api/v1/report']?.get?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/healthz']?.get?.security).toBeUndefined();
    expect(doc.paths['/metrics']?.get?.security).toBeUndefined();
  });

  it('refuses an open redirect after sign-in', async () => {
    const { app } = server({ authToken: TOKEN });
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${TOKEN}&next=${encodeURIComponent('//evil.example/')}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('body.next must match');
  });

  it('compares secrets in constant time over equal-length digests', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', 'x')).toBe(false);
  });
});
