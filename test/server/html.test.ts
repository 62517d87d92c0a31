import { describe, expect, it } from 'vitest';
import { IDS } from '../fixtures/snapshot.js';
import { FLEET } from '../fixtures/view.js';
import { server } from './helpers.js';

describe('HTML report routes', () => {
  it('serves the fleet with filters from the query', async () => {
    const { app } = server();
    const all = await app.inject('/');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(all.body.match(/<tr class="row /g)).toHaveLength(3);
    const ok = await app.inject('/?account=&region=cn-hangzhou&status=ok&lang=ja');
    expect(ok.body.match(/<tr class="row /g)).toHaveLength(1);
    expect(ok.body).toContain(`data-connection="${IDS.connection}"`);
    expect(ok.body).toContain('<option value="ok" selected>正常</option>');
    expect((await app.inject('/?status=broken')).statusCode).toBe(400);
  });

  it('serves a connection page, a 404 page and the two assets', async () => {
    const { app } = server();
    const page = await app.inject(`/connections/${FLEET.failedOver}?lang=ja`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="ja">');
    expect(page.body).toContain('data-testid="timeline"');
    // The Markdown for "copy" carries the timeline too.
    expect(page.body).toMatch(/<textarea id="markdown"[^>]*># IPsec-VPN 接続レポート/);
    const missing = await app.inject('/connections/vco-nothere');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Connection not found');
    const css = await app.inject('/assets/app.css');
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect(css.body).toContain('@media print');
    const js = await app.inject('/assets/app.js');
    expect([js.statusCode, js.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
  });
});

describe('OpenAPI', () => {
  it('documents every API route and serves its UI from bundled assets', async () => {
    const { app } = server();
    const doc = (await app.inject('/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/',
        '/api/v1/connections/{id}',
        '/api/v1/connections/{id}/diagnose',
        '/api/v1/connections/{id}/events',
        '/api/v1/findings',
        '/api/v1/report',
        '/connections/{id}',
        '/healthz',
        '/metrics',
        '/readyz',
      ].sort(),
    );
    expect(doc.paths['/api/v1/report'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ['account', 'connection', 'format', 'lang', 'region', 'severity', 'status'].sort(),
    );
    const ui = await app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    // Offline: the page loads its scripts and styles from this server only.
    expect(ui.body).toContain('./static/swagger-ui-bundle.js');
    expect(ui.body).not.toMatch(/(src|href)="https?:/);
    const bundle = await app.inject('/docs/static/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });
});
