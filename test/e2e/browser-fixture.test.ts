// The HTML report in a real browser (Debian's chromium through playwright-core), against the
// server built on the fixture view: fleet → failed-over connection → cause and timeline.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureView, FLEET } from '../fixtures/view.js';
import { ARTIFACTS, type FixtureInBrowser, fixtureInChromium, type TestBrowser } from '../support/browser.js';

describe('on-call report in chromium (fixture view)', () => {
  let open: FixtureInBrowser;
  let view: FixtureView;
  let base: string;
  let browser: TestBrowser;

  beforeAll(async () => {
    view = new FixtureView();
    open = await fixtureInChromium(view);
    ({ base, browser } = open);
  });

  afterAll(async () => {
    await open?.close();
  });

  it('shows the fleet, the failover, its cause and the timeline without CSP errors', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${base}/`);
    const fleet = page.getByTestId('fleet');
    await expect(fleet.locator('tbody tr').count()).resolves.toBe(3);
    // The XSS-looking name is shown as text, not executed.
    const row = fleet.locator(`tr[data-connection="${FLEET.failedOver}"]`);
    await expect(row.locator('a').textContent()).resolves.toBe(FLEET.xssName);
    await expect(row.locator('.badge.failover').count()).resolves.toBe(1);
    await expect(row.locator('.tcell.carries').textContent()).resolves.toContain('standby');
    await expect(page.getByTestId('collect-errors').textContent()).resolves.toContain('ap-northeast-1');
    await page.screenshot({ path: join(ARTIFACTS, 'fixture-fleet.png'), fullPage: true });

    await row.locator('a').click();
    await page.waitForURL(/\/connections\/vco-bp1failover/);
    await expect(page.getByTestId('failover-banner').isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-rule="psk-mismatch"] h3').textContent()).resolves.toContain(
      'Pre-shared key mismatch',
    );
    const timeline = page.getByTestId('timeline');
    await expect(timeline.locator('[data-kind="failover"] .ekind').textContent()).resolves.toContain(
      'FAILOVER',
    );
    await expect(timeline.locator('[data-kind="failback"]').count()).resolves.toBe(1);
    await expect(timeline.textContent()).resolves.not.toContain('Psk-S3cr3t');
    await page.screenshot({ path: join(ARTIFACTS, 'fixture-connection.png'), fullPage: true });

    // Copy as Markdown (clipboard or its fallback) and Diagnose now (POST, then reload).
    await page.getByRole('button', { name: 'Copy as Markdown' }).click();
    await page.locator('.action-result', { hasText: 'Copied' }).waitFor({ timeout: 5000 });
    const markdown = await page.locator('#markdown').inputValue();
    expect(markdown).toContain('#### Critical: Pre-shared key mismatch');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Diagnose now' }).click(),
    ]);
    expect(view.refreshed).toEqual([FLEET.failedOver]);

    // Printable: controls disappear on paper.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.actions').isVisible()).resolves.toBe(false);
    await expect(page.locator('#auto-refresh').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // Japanese
    await page.getByTestId('lang-switch').click();
    await page.waitForURL(/lang=ja/);
    await expect(page.locator('[data-rule="psk-mismatch"] h3').textContent()).resolves.toContain(
      '事前共有鍵の不一致',
    );
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('フェールオーバー');
    await page.screenshot({ path: join(ARTIFACTS, 'fixture-connection-ja.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('serves a working API UI offline under the CSP', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await page.goto(`${base}/docs`);
    await page.waitForSelector('.opblock');
    await expect(page.locator('.opblock').count()).resolves.toBe(10);
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });
});
