// Japanese, complete (#16): every page and format rendered with lang=ja holds no English a person
// would read, outside identifiers, values, product names and verbatim quotes (test/support/untranslated.ts
// says what is stripped and why each remaining Latin word is allowed). Driven by the simulator's
// scenarios through the real SDK and the daemon's own collection, not by hand-made reports: every
// shipped scenario (healthy, each cause, BGP, routing, filtering, a failover, a configuration change),
// the demo's standby-only failure, a region that cannot be read and failing IKE probes (the two-sided
// peer view is checked in test/peer/peers-e2e.test.ts); then the fleet page, every connection page,
// the Markdown and text reports (API and with the timeline), the sign-in page and the error pages.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Doctor } from '../../src/daemon/doctor.js';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import { buildServer } from '../../src/server/app.js';
import { listScenarios, loadScenario } from '../../src/sim/index.js';
import type { World } from '../../src/sim/world/types.js';
import { type Harness, observeScenario, startHarness } from '../daemon/helpers.js';
import { quotesOf, type Untranslated, untranslated, visibleText } from '../support/untranslated.js';

const TOKEN = 'japanese-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };

let h: Harness | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await h?.close();
  app = undefined;
  h = undefined;
});

const cycle = async (seconds = 30) => {
  h!.sim.advance(seconds);
  await h!.parts.doctor.runStatus();
  await h!.parts.doctor.runTopology();
};

/** A shipped scenario observed as test/scenarios/diagnosis.test.ts does: 30 s after its first failure. */
async function scenario(name: string): Promise<void> {
  ({ h } = await observeScenario(name));
}

/** States beyond a scenario's first moment, each brought to the moment worth reading. */
const STATES: Record<string, () => Promise<void>> = {
  'standby-only failure, PSK rotation and failover in progress (demo)': async () => {
    h = await startHarness('demo');
    await h.parts.doctor.collectOnce();
    // t+90: hz-to-tokyo failed over; t+270: tokyo-primary PSK; t+480: hz-to-osaka standby DH group.
    await cycle(90);
    await cycle(180);
    await cycle(210);
  },
  'a region that cannot be read': async () => {
    h = await startHarness('healthy');
    await h.parts.doctor.collectOnce();
    await h.sim.control.post('faults', {
      kind: 'apiError',
      action: 'DescribeVpnConnections',
      region: 'ap-northeast-1',
      status: 400,
      code: 'Throttling.User',
      message: 'Request was denied due to user flow control.',
    });
    await cycle();
  },
  'probes failing': async () => {
    // The customer gateway is a loopback address where nothing listens: real probes, ICMP refused.
    const world = loadScenario('peer-unreachable') as World;
    for (const a of world.accounts)
      for (const r of a.regions) for (const g of r.customerGateways) g.ip = '127.0.0.2';
    h = await startHarness(world, { probe: { enabled: true, timeoutMs: 200, retries: 0 } });
    await h.parts.doctor.collectOnce();
    await h.parts.doctor.runProbes();
  },
};

interface Rendered {
  name: string;
  text: string;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await app!.inject({ method: 'GET', url, headers: AUTH });
  return { status: res.statusCode, body: res.body };
}

/** Every page and format of the current state, in Japanese. */
async function renderAll(doctor: Doctor): Promise<Rendered[]> {
  app = buildServer(doctor, {
    version: '9.9.9',
    authToken: TOKEN,
    now: () => h!.sim.now(),
    metrics: { defaultMetrics: false },
  });
  const out: Rendered[] = [];
  const fleet = await get('/?lang=ja');
  expect(fleet.status).toBe(200);
  out.push({ name: 'fleet page', text: visibleText(fleet.body) });
  const report = buildReport(reportInputFromView(doctor), { lang: 'ja', now: h!.sim.now() });
  for (const c of report.connections) {
    const page = await get(`/connections/${c.id}?lang=ja`);
    expect(page.status).toBe(200);
    out.push({ name: `connection page ${c.name}`, text: visibleText(page.body) });
  }
  for (const format of ['markdown', 'text']) {
    const r = await get(`/api/v1/report?format=${format}&lang=ja`);
    expect(r.status).toBe(200);
    out.push({ name: `${format} report (API)`, text: r.body });
  }
  const events = Object.fromEntries(
    report.connections.map((c) => [c.id, doctor.events({ connectionId: c.id, limit: 20 })]),
  );
  out.push({ name: 'markdown report with timeline', text: renderMarkdown(report, 'ja', { events }) });
  out.push({ name: 'text report with timeline', text: renderText(report, 'ja', { events }) });
  return out;
}

function problems(rendered: Rendered[], quotes: string[]): string[] {
  const seen = new Set<string>();
  return rendered.flatMap((r) =>
    dedupe(untranslated(r.text, quotes))
      .filter((u) => !seen.has(u.word) && seen.add(u.word))
      .map((u) => `${r.name}: "${u.word}" in …${u.context}…`),
  );
}

function dedupe(list: Untranslated[]): Untranslated[] {
  const seen = new Set<string>();
  return list.filter((u) => !seen.has(u.word) && seen.add(u.word));
}

async function check(): Promise<void> {
  const { doctor } = h!.parts;
  const rendered = await renderAll(doctor);
  const events = doctor.events({ limit: 1000 });
  // Collection errors are quoted as Alibaba and the SDK put them (report/error-text.ts).
  const errors = doctor.errors().map((e) => e.message);
  expect(problems(rendered, [...quotesOf(doctor.snapshot(), events), ...errors])).toEqual([]);
}

describe('every page and format in Japanese', { timeout: 120_000 }, () => {
  it.each(listScenarios())('scenario %s', async (name) => {
    await scenario(name);
    await check();
  });

  it.each(Object.keys(STATES))('%s', async (name) => {
    await STATES[name]!();
    await check();
  });

  it('the sign-in page, a refused sign-in and the error pages', async () => {
    h = await startHarness('healthy');
    await h.parts.doctor.collectOnce();
    app = buildServer(h.parts.doctor, {
      version: '9.9.9',
      authToken: TOKEN,
      now: () => h!.sim.now(),
      metrics: { defaultMetrics: false },
    });
    const pages: Rendered[] = [];
    const login = await app.inject({ method: 'GET', url: '/login?lang=ja&next=/' });
    expect(login.statusCode).toBe(200);
    pages.push({ name: 'sign-in page', text: visibleText(login.body) });
    const refused = await app.inject({
      method: 'POST',
      url: '/login',
      payload: { token: 'wrong-token', next: '/', lang: 'ja' },
    });
    expect(refused.statusCode).toBe(401);
    pages.push({ name: 'refused sign-in', text: visibleText(refused.body) });
    const unknownConnection = await get('/connections/vco-nope?lang=ja');
    expect(unknownConnection.status).toBe(404);
    pages.push({ name: 'connection not found', text: visibleText(unknownConnection.body) });
    const unknownPath = await get('/nowhere?lang=ja');
    expect(unknownPath.status).toBe(404);
    pages.push({ name: 'page not found', text: visibleText(unknownPath.body) });
    for (const p of pages) expect(p.text, p.name).toMatch(/[\u3040-\u30ff]/);
    expect(problems(pages, [])).toEqual([]);
  });

  it('Japanese table headers break between words only, never inside one', async () => {
    h = await startHarness('healthy');
    app = buildServer(h.parts.doctor, { version: '9.9.9', metrics: { defaultMetrics: false } });
    const css = (await app.inject({ method: 'GET', url: '/assets/app.css' })).body;
    expect(css).toMatch(/html\[lang="ja"\] th \{ word-break:keep-all; overflow-wrap:normal; \}/);
  });

  it('the checker finds English a person reads, and lets values and quotes through', () => {
    expect(
      untranslated('トンネル 1 (tun-abc, master) status: ipsec_sa_established').map((u) => u.word),
    ).toEqual(['status']);
    expect(untranslated('ログ (応答なし): peer not responding', ['peer not responding'])).toEqual([]);
    expect(
      untranslated(
        'Alibaba 側: aes256/sha256/group14、10.0.0.0/8 → vco-bp1x (FailedReasonCode PskMismatch) 30 s',
      ),
    ).toEqual([]);
    expect(untranslated('Evidence age: 12 s').map((u) => u.word)).toEqual(['Evidence', 'age']);
  });
});
