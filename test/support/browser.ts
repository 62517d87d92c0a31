// Debian's chromium through playwright-core, as the e2e tests drive it: headless, a fresh profile,
// and the flags this closed network needs (no background networking, no component updates).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium } from 'playwright-core';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView } from '../fixtures/view.js';

/** Screenshots land here (gitignored). */
export const ARTIFACTS = 'test-artifacts';

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'alivpn-chromium-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface FixtureInBrowser {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  base: string;
  browser: TestBrowser;
  close(): Promise<void>;
}

/** The server on the fixture view at NOW, listening on loopback, and chromium to look at it. */
export async function fixtureInChromium(
  view: FixtureView = new FixtureView(),
  opts: Partial<ServerOptions> = {},
): Promise<FixtureInBrowser> {
  const app = buildServer(view, {
    version: 'test',
    now: () => NOW,
    metrics: { defaultMetrics: false },
    ...opts,
  });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await launchChromium();
    return {
      app,
      base,
      browser,
      async close() {
        await browser.close();
        await app.close();
      },
    };
  } catch (err) {
    await app.close();
    throw err;
  }
}
