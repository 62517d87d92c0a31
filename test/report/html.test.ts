import { describe, expect, it } from 'vitest';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderConnectionPage } from '../../src/report/html/connection.js';
import { escapeHtml, html } from '../../src/report/html/escape.js';
import { renderFleetPage } from '../../src/report/html/fleet.js';
import type { ReportConnection } from '../../src/report/schema.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView, FLEET, fixtureEvents, PLANTED_SECRET } from '../fixtures/view.js';

const view = new FixtureView();
const report = buildReport(reportInputFromView(view), { now: NOW });
const counts = { critical: 1, unknown: 1, warning: 0, ok: 1 };

describe('HTML escaping', () => {
  it('escapes interpolations and passes nested markup through', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['<', html`<br>`]}${null}${false}${0}</p>`.value).toBe(
      '<p><b>&lt;i&gt;</b>&lt;<br>0</p>',
    );
  });
});

describe('fleet page', () => {
  it('lists every connection with both tunnels and never emits the hostile name as markup', () => {
    const page = renderFleetPage({
      report,
      lang: 'en',
      filters: {},
      accounts: ['prod'],
      regions: [],
      counts,
      base: '',
    });
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.match(/<tr class="row /g)).toHaveLength(3);
    expect(page).toContain(`href="/connections/${FLEET.failedOver}?lang=en"`);
    expect(page).toContain('<span class="pill s-critical">Critical 1</span>');
    expect(page).toContain('Failed over: traffic runs on the standby tunnel');
    // One external script and one stylesheet, both same-origin: the CSP stays 'self'.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/ style=|<style|\son[a-z]+=/);
  });

  it('renders Japanese', () => {
    const page = renderFleetPage({
      report,
      lang: 'ja',
      filters: {},
      accounts: [],
      regions: [],
      counts,
      base: '',
    });
    expect(page).toContain('<html lang="ja">');
    expect(page).toContain('IPsec-VPN 接続レポート');
    expect(page).toContain('通信中');
    expect(page).toContain('href="/?lang=en"');
  });
});

describe('connection page', () => {
  const connection = report.connections[0] as ReportConnection;
  const page = (lang: 'en' | 'ja') =>
    renderConnectionPage({
      connection,
      events: fixtureEvents(),
      traffic: view.trafficHistory(FLEET.failedOver, NOW - 6 * 3600_000),
      trafficHours: 6,
      markdown: '# <b>md</b>',
      lang,
      generatedAt: report.generatedAt,
      errors: report.errors,
      base: '',
    });

  it('shows ladder, findings, failover timeline with evidence, traffic and the Markdown copy source', () => {
    const p = page('en');
    expect(p).toContain('data-testid="failover-banner"');
    expect(p).toContain('<li class="layer l-fail first">');
    expect(p).toContain('<li class="event k-failover" data-kind="failover">');
    expect(p).toContain('<li class="event k-failback" data-kind="failback">');
    expect(p).toContain('<code>failedReasonCode: PskMismatch, failedReason: pre-shared key mismatch</code>');
    expect(p).toMatch(/<polyline points="[\d., ]+" fill="none" stroke="#1565c0"/);
    expect(p).toContain(
      '<textarea id="markdown" class="markdown" readonly aria-label="Markdown"># &lt;b&gt;md&lt;/b&gt;</textarea>',
    );
    expect(p).toContain(`data-url="/api/v1/connections/${FLEET.failedOver}/diagnose?lang=en"`);
    expect(p).not.toContain(PLANTED_SECRET);
    expect(p).not.toContain('<script>alert');
    expect(p).not.toMatch(/ style=|<style|\son[a-z]+=/);
  });

  it('renders Japanese', () => {
    const p = page('ja');
    expect(p).toContain('レイヤー診断');
    expect(p).toContain('イベント履歴');
    expect(p).toContain('スタンバイトンネルへフェールオーバー');
    expect(p).toContain('Markdown でコピー');
  });
});
