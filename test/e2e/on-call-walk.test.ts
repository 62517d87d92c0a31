// The on-call walk of issue 16's "Done when", in a real browser (Debian's chromium through
// playwright-core), in English and in Japanese, against the daemon reading the simulator through
// the real SDK (manual clock, so the ages are exact):
//   - the sign-in page keeps a half-typed token past the report's 30 s refresh (no meta refresh,
//     no timer reloads it: the page clock is moved on 45 s, as a person waiting would),
//   - a standby-only failure is a warning, its cause too, not critical,
//   - a region that cannot be read shows its last known state muted, with its age,
//   - a finding's runbook link lands on its section of docs/runbook.md.
// Screenshots land in test-artifacts/ (gitignored; launchChromium creates it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDoctor, type DoctorParts } from '../../src/daemon/runtime.js';
import type { Report } from '../../src/report/schema.js';
import { buildServer } from '../../src/server/app.js';
import { generateFleet } from '../../src/sim/fleet.js';
import { configFor } from '../daemon/helpers.js';
import { ARTIFACTS, launchChromium, type TestBrowser } from '../support/browser.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

const TOKEN = 'on-call-walk-token-7c1e';
// generateFleet: account fleet-1, cn-hangzhou (standby fails) and cn-shanghai (cannot be read).
const STANDBY_FAILED = 'vco-fleet00c00000';
const BLIND = 'vco-fleet01c00000';
const BLIND_REGION = { account: 'fleet-1', region: 'cn-shanghai' };
const RUNBOOK_RULE = 'dh-group-mismatch';

/** GitHub's heading anchors (as test/dashboards/runbook.test.ts checks the alerts' links). */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** docs/runbook.md as a page with GitHub's heading anchors, served where the runbook base points. */
async function serveRunbook(): Promise<{ server: Server; url: string }> {
  const md = readFileSync('docs/runbook.md', 'utf8');
  const body = md
    .split('\n')
    .map((line) => {
      const h = /^(#{1,6}) (.+)$/.exec(line);
      return h
        ? `<h${h[1]!.length} id="${slug(h[2]!)}">${escapeHtml(h[2]!)}</h${h[1]!.length}>`
        : `<p>${escapeHtml(line)}</p>`;
    })
    .join('\n');
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>runbook</title></head><body>${body}</body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    if (req.url !== '/docs/runbook.md') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/docs/runbook.md` };
}

/** Any kana or kanji: the text is Japanese (whatever the exact wording the translators choose). */
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('the on-call walk in chromium, in English and Japanese', () => {
  let sim: TestSimulator;
  let parts: DoctorParts;
  let app: FastifyInstance;
  let base: string;
  let browser: TestBrowser;
  let runbook: { server: Server; url: string };
  let dir: string;
  let asOf: string;

  beforeAll(async () => {
    runbook = await serveRunbook();
    sim = await startTestSimulator({
      scenario: generateFleet({ connections: 8, regions: 2, accounts: 2, perGateway: 2 }),
      startAt: Date.now(),
    });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-walk-'));
    const config = configFor(sim, dir, {
      api: { retries: { max: 1, baseDelayMs: 1, maxDelayMs: 2 } },
      report: { runbookBaseUrl: runbook.url },
    });
    parts = createDoctor(config, { logger: pino({ level: 'silent' }), now: () => sim.now() });
    app = buildServer(parts.doctor, {
      version: 'walk',
      authToken: TOKEN,
      logger: false,
      now: () => sim.now(),
      metrics: { defaultMetrics: false },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });

    // Read once, all healthy; then the standby tunnel of one connection fails on a DH group
    // mismatch (traffic stays on the primary) and one region stops answering for four minutes.
    const { doctor } = parts;
    await doctor.runStatus();
    asOf = new Date(sim.now()).toISOString();
    expect((await sim.control.fail(STANDBY_FAILED, 2, 'DhGroupMismatch')).status).toBe(200);
    sim.sim.server.setFaults([{ kind: 'error5xx', status: 503, ...BLIND_REGION }]);
    for (let minute = 1; minute <= 4; minute++) {
      sim.advance(60);
      await doctor.runStatus();
    }
    const report = (
      await app.inject({ url: '/api/v1/report', headers: { authorization: `Bearer ${TOKEN}` } })
    ).json() as Report;
    // The state the browser must show (checked here so a failure below is about the pages).
    const standby = report.connections.find((c) => c.id === STANDBY_FAILED)!;
    expect(standby.status).toBe('warning');
    expect(standby.findings.find((f) => f.rule === RUNBOOK_RULE)?.severity).toBe('warning');
    expect(report.connections.find((c) => c.id === BLIND)).toMatchObject({ stale: true, asOf });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    parts?.close();
    await sim?.close();
    await new Promise((resolve) => runbook?.server.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`walks sign-in, a standby-only failure, a region that cannot be read and a runbook link (${lang})`, async () => {
      await browser.context.clearCookies();
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        // The 401 of the guarded page itself is expected; anything else is a problem.
        if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
      });
      const shot = (name: string, fullPage = true) =>
        page.screenshot({ path: join(ARTIFACTS, `walk-${lang}-${name}.png`), fullPage });
      const q = `?lang=${lang}`;

      // Sign-in: in the language asked for, and a half-typed token survives 45 s of waiting.
      await page.clock.install();
      await page.goto(`${base}/${q}`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
      const input = page.locator('input[name=token]');
      await expect(input.count()).resolves.toBe(1);
      if (lang === 'ja') expect(await page.locator('h1').textContent()).toMatch(JAPANESE);
      await expect(page.locator('meta[http-equiv="refresh" i]').count()).resolves.toBe(0);
      await expect(page.locator('#auto-refresh').count()).resolves.toBe(0);
      let navigations = 0;
      page.on('framenavigated', (f) => {
        if (f === page.mainFrame()) navigations++;
      });
      await input.fill(TOKEN.slice(0, 9));
      await page.clock.runFor(45_000);
      expect(navigations).toBe(0);
      await expect(input.inputValue()).resolves.toBe(TOKEN.slice(0, 9));
      await shot('sign-in');
      await input.fill(TOKEN);
      await Promise.all([page.waitForURL(`${base}/${q}`), page.locator('button[type=submit]').click()]);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);

      // The fleet: the standby-only failure is a warning; the unread region's rows are last known.
      const standbyRow = page.locator(`tr[data-connection="${STANDBY_FAILED}"]`);
      await expect(standbyRow.getAttribute('class')).resolves.toContain('s-warning');
      await expect(standbyRow.locator('.pill').getAttribute('class')).resolves.toContain('s-warning');
      await expect(standbyRow.locator('.sev-critical').count()).resolves.toBe(0);
      await expect(standbyRow.locator('.tcell').nth(0).getAttribute('class')).resolves.toContain('carries');
      await expect(standbyRow.locator('.tcell').nth(1).locator('.dot.down').count()).resolves.toBe(1);

      const blindRow = page.locator(`tr[data-connection="${BLIND}"]`);
      await expect(blindRow.getAttribute('class')).resolves.toContain('s-unknown');
      await expect(blindRow.locator('.tcell.lastknown').count()).resolves.toBe(2);
      await expect(blindRow.locator('.dot:not(.lastknown)').count()).resolves.toBe(0);
      await expect(blindRow.locator('.badge.traffic:not(.lastknown)').count()).resolves.toBe(0);
      const ages = blindRow.getByTestId('as-of').locator('time');
      await expect(ages.count()).resolves.toBe(2);
      await expect(ages.first().getAttribute('datetime')).resolves.toBe(asOf);
      const clock = `${asOf.slice(11, 16)} UTC`;
      await expect(ages.first().textContent()).resolves.toContain(
        lang === 'ja' ? `${clock} 時点、4 分前` : `as of ${clock}, 4 min ago`,
      );
      // Muted: the last known cells are not drawn in the colour of a healthy tunnel.
      const dotColour = await blindRow
        .locator('.dot')
        .first()
        .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor);
      expect(dotColour).toBe('rgba(0, 0, 0, 0)');
      await shot('fleet');

      // The unread connection: said once, its findings unknown, its tunnels last known with their age.
      await Promise.all([
        page.waitForURL(new RegExp(`/connections/${BLIND}`)),
        blindRow.locator('a').click(),
      ]);
      await expect(page.getByTestId('connection-status').getAttribute('class')).resolves.toContain(
        's-unknown',
      );
      const lastKnown = page.getByTestId('last-known');
      await expect(lastKnown.isVisible()).resolves.toBe(true);
      await expect(lastKnown.textContent()).resolves.toContain(
        lang === 'ja' ? '最終確認値' : 'Last known state',
      );
      await expect(page.locator('[data-testid="no-findings"].unknown').count()).resolves.toBe(1);
      await expect(page.locator('.tunnel.lastknown').count()).resolves.toBe(2);
      await expect(
        page.locator('.tunnel [data-testid="as-of"] time').first().getAttribute('datetime'),
      ).resolves.toBe(asOf);
      await shot('region-unread');

      // The standby-only failure: its cause is a warning, and its runbook link finds its section.
      await page.goto(`${base}/connections/${STANDBY_FAILED}${q}`);
      await expect(page.getByTestId('connection-status').getAttribute('class')).resolves.toContain(
        's-warning',
      );
      const cause = page.locator(`article.finding[data-rule="${RUNBOOK_RULE}"]`);
      await expect(cause.getAttribute('class')).resolves.toContain('sev-border-warning');
      await expect(cause.locator('.sev').getAttribute('class')).resolves.toContain('sev-warning');
      await expect(page.locator('[data-testid="findings"] .sev-critical').count()).resolves.toBe(0);
      await expect(page.locator('[data-testid="failover-banner"]').count()).resolves.toBe(0);
      await shot('standby-down');
      const link = cause.locator('.runbook a');
      await expect(link.getAttribute('href')).resolves.toBe(`${runbook.url}#${RUNBOOK_RULE}`);
      await Promise.all([page.waitForURL(`${runbook.url}#${RUNBOOK_RULE}`), link.click()]);
      const target = page.locator(':target');
      await expect(target.evaluate((el) => el.tagName)).resolves.toBe('H3');
      await expect(target.textContent()).resolves.toBe(RUNBOOK_RULE);
      await shot('runbook', false); // the section in view (the whole runbook is long)
      expect(problems, problems.join('\n')).toEqual([]);
      await page.close();
    }, 60_000);
  }
});
