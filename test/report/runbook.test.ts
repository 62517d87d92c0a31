// Each finding links its runbook section: `runbookUrl` in the JSON report (and through the API's
// response schema), a link in HTML, Markdown and text; the base is configurable.
import { readFileSync } from 'node:fs';
import fastJson from 'fast-json-stringify';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RUNBOOK_BASE_URL as CONFIG_DEFAULT, parseConfig } from '../../src/config/index.js';
import { createDoctor } from '../../src/daemon/runtime.js';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderConnectionPage } from '../../src/report/html/connection.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../src/report/runbook.js';
import { renderText } from '../../src/report/text.js';
import { finding } from '../../src/server/schemas.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView } from '../fixtures/view.js';
import { server } from '../server/helpers.js';

const DOCS = 'https://github.com/alivpn-doctor/alivpn-doctor/blob/main/docs/runbook.md';
const build = (opts = {}) =>
  buildReport(reportInputFromView(new FixtureView()), { lang: 'en', now: NOW, ...opts });
const psk = (r: ReturnType<typeof build>) =>
  r.connections.flatMap((c) => c.findings).find((f) => f.rule === 'psk-mismatch')!;

describe('runbook links', () => {
  it('defaults to the shipped docs/runbook.md, the page the alert annotations link, anchored by rule', () => {
    expect(DEFAULT_RUNBOOK_BASE_URL).toBe(DOCS);
    expect(psk(build()).runbookUrl).toBe(`${DOCS}#psk-mismatch`);
    for (const f of build().connections.flatMap((c) => c.findings))
      expect(f.runbookUrl).toMatch(/^https:\/\/.+#[a-z0-9-]+$/);
  });

  it('takes a configured base and survives the API response schema', () => {
    const r = build({ runbookBaseUrl: 'https://wiki.example.com/vpn/runbook' });
    const f = psk(r);
    expect(f.runbookUrl).toBe('https://wiki.example.com/vpn/runbook#psk-mismatch');
    expect(JSON.parse(fastJson(finding as unknown as Parameters<typeof fastJson>[0])(f)).runbookUrl).toBe(
      f.runbookUrl,
    );
  });

  it('links in text, Markdown and HTML', () => {
    const r = build();
    const url = `${DOCS}#psk-mismatch`;
    expect(renderText(r, 'en')).toContain(`      Runbook: ${url}`);
    expect(renderMarkdown(r, 'ja')).toContain(`[ランブック: psk-mismatch](${url})`);
    const connection = r.connections.find((c) => c.findings.some((f) => f.rule === 'psk-mismatch'))!;
    const page = renderConnectionPage({
      connection,
      events: [],
      traffic: [],
      trafficHours: 6,
      markdown: '',
      lang: 'en',
      generatedAt: r.generatedAt,
      errors: r.errors,
      base: '',
    });
    expect(page).toContain(`<a href="${url}" rel="noopener">Runbook: psk-mismatch</a>`);
  });
});

const WIKI = 'https://wiki.example.com/ops/alivpn-runbook';

/** The fixture fleet, served by a daemon whose config sets `report.runbookBaseUrl`. */
class ConfiguredView extends FixtureView {
  constructor(private readonly base: string) {
    super();
  }
  runbookBaseUrl(): string {
    return this.base;
  }
}

describe('report.runbookBaseUrl', () => {
  const parts: { close(): void }[] = [];
  afterAll(() => {
    for (const p of parts) p.close();
  });
  const minimal = 'accounts: [{ name: prod, regions: [cn-hangzhou], endpoint: "http://127.0.0.1:9" }]\n';

  it('round-trips through the config to the daemon the readers ask; the default is the shipped runbook', () => {
    expect(CONFIG_DEFAULT).toBe(DEFAULT_RUNBOOK_BASE_URL);
    const plain = parseConfig(minimal, 'c.yaml', {});
    expect(plain.report).toEqual({ runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL });
    const custom = parseConfig(`report: { runbookBaseUrl: "\${RUNBOOK}" }\n${minimal}`, 'c.yaml', {
      RUNBOOK: WIKI,
    });
    expect(custom.report.runbookBaseUrl).toBe(WIKI);
    const created = createDoctor({ ...custom, storage: { ...custom.storage, path: ':memory:' } });
    parts.push(created);
    expect(created.doctor.runbookBaseUrl()).toBe(WIKI);
    expect(reportInputFromView(created.doctor).runbookBaseUrl).toBe(WIKI);
  });

  it('rejects what is not an http(s) URL, naming the key', () => {
    for (const bad of ['docs/runbook.md', 'ftp://example.com/runbook', 'https://x.example/%s/%s']) {
      let message = '';
      try {
        parseConfig(`report: { runbookBaseUrl: "${bad}" }\n${minimal}`, 'c.yaml', {});
      } catch (err) {
        message = String(err);
      }
      expect(message).toContain('report.runbookBaseUrl');
      expect(message).toContain(bad);
    }
  });

  it('links every report format of the API and the HTML page at the configured base', async () => {
    const { app } = server({}, new ConfiguredView(WIKI));
    const url = `${WIKI}#psk-mismatch`;
    const json = (await app.inject('/api/v1/report')).json() as ReturnType<typeof build>;
    expect(psk(json).runbookUrl).toBe(url);
    const { findings } = (await app.inject('/api/v1/findings')).json() as {
      findings: { rule: string; runbookUrl: string }[];
    };
    expect(findings.find((f) => f.rule === 'psk-mismatch')?.runbookUrl).toBe(url);
    expect((await app.inject('/api/v1/report?format=text')).body).toContain(`      Runbook: ${url}`);
    expect((await app.inject('/api/v1/report?format=markdown')).body).toContain(
      `[Runbook: psk-mismatch](${url})`,
    );
    const id = json.connections.find((c) => c.findings.some((f) => f.rule === 'psk-mismatch'))!.id;
    const page = (await app.inject(`/connections/${id}?lang=ja`)).body;
    expect(page).toContain(`<a href="${url}" rel="noopener">ランブック: psk-mismatch</a>`);
    expect(page).not.toContain(DEFAULT_RUNBOOK_BASE_URL);
  });

  it('takes a pattern with %s, as mixins do with runbookURLPattern', () => {
    const r = build({ runbookBaseUrl: 'https://runbooks.example.com/alivpn/%s.html' });
    expect(psk(r).runbookUrl).toBe('https://runbooks.example.com/alivpn/psk-mismatch.html');
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

describe('the anchors the report links', () => {
  it('exist in docs/runbook.md for every finding of the fixture fleet', () => {
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
    const linked = build().connections.flatMap((c) => c.findings.map((f) => f.runbookUrl!.split('#')[1]!));
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((a) => !anchors.has(decodeURIComponent(a)))).toEqual([]);
  });
});
