// No response of any endpoint, in any language or format, contains a secret.
import { describe, expect, it } from 'vitest';
import { FLEET, PLANTED_ACCESS_KEY_SECRET, PLANTED_SECRET } from '../fixtures/view.js';
import { server } from './helpers.js';

const TOKEN = 'the-bearer-token-must-not-echo';

describe('no secret in any response', () => {
  it('crawls every endpoint with auth on', async () => {
    const { app } = server({ authToken: TOKEN });
    const headers = { authorization: `Bearer ${TOKEN}` };
    const urls = ['/healthz', '/readyz', '/metrics', '/docs/json', '/api/v1/findings', '/'];
    for (const lang of ['en', 'ja']) {
      for (const format of ['json', 'markdown', 'text'])
        urls.push(`/api/v1/report?lang=${lang}&format=${format}`);
      for (const id of [FLEET.failedOver, FLEET.lostRegionConn]) {
        urls.push(`/api/v1/connections/${id}?lang=${lang}`, `/api/v1/connections/${id}/events?lang=${lang}`);
        urls.push(`/connections/${id}?lang=${lang}`);
      }
    }
    const bodies: string[] = [];
    for (const url of urls) {
      const res = await app.inject({ url, headers });
      expect([url, res.statusCode]).toEqual([url, 200]);
      bodies.push(JSON.stringify(res.headers) + res.body);
    }
    bodies.push(
      (await app.inject({ method: 'POST', url: `/api/v1/connections/${FLEET.failedOver}/diagnose`, headers }))
        .body,
    );
    bodies.push((await app.inject('/api/v1/report')).body); // the 401 does not echo the token either
    for (const body of bodies) {
      expect(body).not.toContain(PLANTED_SECRET);
      expect(body).not.toContain(PLANTED_ACCESS_KEY_SECRET);
      expect(body).not.toContain(TOKEN);
    }
  });
});
