// Each finding links its runbook section: `runbookUrl` in the JSON report (and through the API's
// response schema), a link in HTML, Markdown and text; the base is configurable.
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderConnectionPage } from '../../src/report/html/connection.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../src/report/runbook.js';
import { renderText } from '../../src/report/text.js';
import { finding } from '../../src/server/schemas.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView } from '../fixtures/view.js';

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
