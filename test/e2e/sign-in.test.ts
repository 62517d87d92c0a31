// The sign-in page in a real browser (issue 16): opened in Japanese from a guarded page, it is in
// Japanese, keeps a half-typed token past the report's 30 s refresh interval (the page clock is
// moved on, as a person waiting would), says in Japanese why a wrong token was refused, and after
// the right token lands on the page asked for, still in Japanese.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureView } from '../fixtures/view.js';
import { ARTIFACTS, type FixtureInBrowser, fixtureInChromium, type TestBrowser } from '../support/browser.js';

const TOKEN = 'browser-token-4d2a8c';

describe('sign-in page in chromium', () => {
  let open: FixtureInBrowser;
  let base: string;
  let browser: TestBrowser;

  beforeAll(async () => {
    open = await fixtureInChromium(new FixtureView(), { authToken: TOKEN });
    ({ base, browser } = open);
  });

  afterAll(async () => {
    await open?.close();
  });

  it('is Japanese from ?lang=ja, keeps a typed token, explains a refusal, and signs in', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      // The 401 of the guarded page itself is expected; anything else is a problem.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    await page.clock.install();
    await page.goto(`${base}/?lang=ja`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ja');
    await expect(page.locator('h1').textContent()).resolves.toBe('アクセストークンでサインインしてください');
    await expect(page.locator('button[type=submit]').textContent()).resolves.toBe('サインイン');

    const input = page.locator('input[name=token]');
    await input.fill('half-typed-tok');
    // Past the report's 30 s auto-refresh: a reload would wipe the field.
    await page.clock.runFor(45_000);
    await expect(input.inputValue()).resolves.toBe('half-typed-tok');
    await expect(page.locator('#auto-refresh').count()).resolves.toBe(0);

    await input.fill('wrong-token');
    await Promise.all([page.waitForLoadState('load'), page.locator('button[type=submit]').click()]);
    await page.waitForSelector('[data-testid=sign-in-error]');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ja');
    const message = await page.getByTestId('sign-in-error').textContent();
    expect(message).toContain('サインインできませんでした');
    expect(message).toContain('server.authToken');
    expect(message).not.toBe('401');
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-ja-refused.png'), fullPage: true });

    await page.locator('input[name=token]').fill(TOKEN);
    await Promise.all([page.waitForURL(`${base}/?lang=ja`), page.locator('button[type=submit]').click()]);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ja');
    await expect(page.getByTestId('fleet').count()).resolves.toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-ja-fleet.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('says in English why a wrong token was refused', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/login`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.locator('input[name=token]').fill('wrong-token');
    await page.locator('button[type=submit]').click();
    await page.waitForSelector('[data-testid=sign-in-error]');
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain(
      'Sign-in failed: this access token was not accepted',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-en-refused.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
