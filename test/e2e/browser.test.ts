// The on-call report in a real browser against a running demo (simulator + daemon): the fleet,
// then a connection during a failover caused by a PSK mismatch, its cause and the timeline.
// Debian's chromium through playwright-core; screenshots land in test-artifacts/.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../src/cli/commands/demo.js';
import { ARTIFACTS, launchChromium, type TestBrowser } from '../support/browser.js';

/**
 * Retry until `check` passes: by default reload (the daemon polls every 2 s and the page shows
 * the last state); `retry` replaces the reload, e.g. pressing "Diagnose now" again.
 */
async function eventually(
  page: Page,
  check: () => Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; retry?: () => Promise<unknown> } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 45_000;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms on ${page.url()}`);
    await page.waitForTimeout(opts.intervalMs ?? 1000);
    await (opts.retry ? opts.retry() : page.reload());
  }
}

describe('on-call report in chromium (running demo)', () => {
  let demo: Demo;
  let browser: TestBrowser;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, scenario: 'healthy', statusSchedule: '*/2 * * * * *', log: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('shows the fleet, then the failover, its cause and the timeline of a connection', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    const connections = demo.world.accounts.flatMap((a) => a.regions.flatMap((r) => r.connections));
    const target = connections[0]!.id;

    // The fleet, once the first status cycle is in: every connection, healthy, on its primary tunnel.
    await page.goto(`${demo.url}/`);
    const rows = page.locator('[data-testid="fleet"] tbody tr');
    await eventually(page, async () => (await rows.count()) === connections.length);
    for (const c of connections) {
      await expect(page.locator(`tr[data-connection="${c.id}"] a`).textContent()).resolves.toBe(c.name);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'demo-fleet.png'), fullPage: true });

    // Break tunnel 1 with a PSK mismatch: traffic fails over to tunnel 2.
    const incident = await fetch(`${demo.simUrl}/_sim/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId: target, tunnel: 1, cause: 'PskMismatch' }),
    });
    expect(incident.status).toBe(200);

    const row = page.locator(`tr[data-connection="${target}"]`);
    // Failed over and evaluated (the status stays unknown until the rules have seen the change).
    await eventually(
      page,
      async () =>
        (await row.locator('.badge.failover').count()) === 1 &&
        (await row.locator('.pill').first().textContent()) === 'Warning', // severity follows impact: traffic still flows on the standby
    );
    await expect(row.locator('.tcell.carries').textContent()).resolves.toContain('standby');
    await page.screenshot({ path: join(ARTIFACTS, 'demo-fleet-failover.png'), fullPage: true });

    // The connection: failover banner, the cause on tunnel 1, failover in the timeline.
    await row.locator('a').click();
    await page.waitForURL(new RegExp(`/connections/${target}`));
    await expect(page.getByTestId('failover-banner').isVisible()).resolves.toBe(true);
    // The daemon keeps looking at a fresh failure every status cycle until the cause is named: the
    // page shows it after a reload or two, without anyone pressing "Diagnose now".
    await eventually(page, async () => (await page.locator('[data-rule="psk-mismatch"]').count()) === 1);
    await expect(page.locator('[data-rule="psk-mismatch"] .sev').textContent()).resolves.toBe('Warning');
    await expect(page.locator('.tunnel').first().locator('.layer.first').textContent()).resolves.toContain(
      'IKE',
    );
    const failover = page.locator('[data-testid="timeline"] [data-kind="failover"]');
    await expect(failover.count()).resolves.toBe(1);
    await expect(failover.locator('.ekind').textContent()).resolves.toBe('FAILOVER to standby tunnel');
    await expect(page.locator('[data-testid="timeline"] [data-kind="tunnel_down"]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-connection-failover.png'), fullPage: true });

    // The metric followed the failover.
    const metrics = await (await fetch(`${demo.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`^alivpn_connection_failovers_total\\{[^}]*connection_id="${target}"[^}]*\\} 1$`, 'm'),
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 150_000);
});
