// Both sides of a tunnel (Alibaba says / the device says) on the HTML connection page and in the
// text report, as the Markdown report and the API already carry them; a difference is marked, a
// value the device did not give is unknown, never "agrees".
import { describe, expect, it } from 'vitest';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderConnectionPage } from '../../src/report/html/connection.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/schema.js';
import { renderText } from '../../src/report/text.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView } from '../fixtures/view.js';
import { untranslated } from '../support/untranslated.js';

function withPeerSide(lang: 'en' | 'ja'): Report {
  const r = buildReport(reportInputFromView(new FixtureView()), { lang, now: NOW });
  const tun = r.connections[0]!.tunnels[0]!;
  tun.peer = {
    name: 'tokyo-dc <edge>',
    ikeConnection: 'alibaba-t1',
    ikeSaState: 'ESTABLISHED',
    childSaUp: true,
    rows: [
      { field: 'IKE DH group', alibaba: 'group14', device: 'group14', agree: true },
      { field: 'PSK (SHA-256)', alibaba: '3f2a9c0d1e4b', device: 'aa11bb22cc33', agree: false },
      { field: 'DPD', alibaba: 'on', device: null, agree: null },
    ],
  };
  return r;
}

const page = (r: Report, lang: 'en' | 'ja') =>
  renderConnectionPage({
    connection: r.connections[0]!,
    events: [],
    traffic: [],
    trafficHours: 6,
    markdown: '',
    lang,
    generatedAt: r.generatedAt,
    errors: r.errors,
    base: '',
  });

describe('both sides of a tunnel', () => {
  it('shows a side-by-side table on the HTML page, differences marked, the device name escaped', () => {
    const html = page(withPeerSide('en'), 'en');
    expect(html).toContain('data-testid="both-sides"');
    expect(html).toContain('Both sides (device tokyo-dc &lt;edge&gt;, <code>alibaba-t1</code>, ESTABLISHED)');
    expect(html).toMatch(
      /<tr class="differ" data-field="PSK \(SHA-256\)"><td>PSK \(SHA-256\)<\/td><td><code>3f2a9c0d1e4b<\/code><\/td><td><code>aa11bb22cc33<\/code><\/td><td><strong class="differ">✗ differ<\/strong><\/td><\/tr>/,
    );
    expect(html).toMatch(/data-field="DPD">.*<td>—<\/td><td><span class="agree-unknown">\? unknown<\/span>/);
    expect(page(withPeerSide('ja'), 'ja')).toContain('両側の設定 (デバイス tokyo-dc &lt;edge&gt;');
  });

  it('lists the rows in the text report', () => {
    const text = renderText(withPeerSide('en'), 'en');
    expect(text).toContain('    Both sides (device tokyo-dc <edge>, alibaba-t1, ESTABLISHED):');
    expect(text).toContain(
      '      DIFFERS PSK (SHA-256): Alibaba says 3f2a9c0d1e4b / The device says aa11bb22cc33',
    );
    expect(text).toContain('      OK      IKE DH group: Alibaba says group14 / The device says group14');
    expect(text).toContain('      ?       DPD: Alibaba says on / The device says -');
  });
});

describe('both sides in Japanese', () => {
  it('names the compared fields and the worded values in Japanese, in every format', () => {
    const r = buildReport(reportInputFromView(new FixtureView()), { lang: 'ja', now: NOW });
    r.connections[0]!.tunnels[0]!.peer = {
      name: 'tokyo-dc',
      ikeConnection: 'alibaba-t1',
      ikeSaState: 'ESTABLISHED',
      childSaUp: true,
      rows: [
        { field: 'ike-dh-group', alibaba: 'group14', device: 'group2', agree: false },
        { field: 'nat-traversal', alibaba: 'off', device: 'needed (device behind NAT)', agree: false },
        { field: 'dpd', alibaba: 'on', device: 'on', agree: true },
      ],
    };
    const html = page(r, 'ja');
    expect(html).toContain(
      '<td>IKE DH グループ</td><td><code>group14</code></td><td><code>group2</code></td>',
    );
    expect(html).toContain('<code>必要 (デバイスが NAT の内側)</code>');
    const text = renderText(r, 'ja');
    expect(text).toContain('不一致 IKE DH グループ: Alibaba 側 group14 / デバイス側 group2');
    const sides = (s: string) => s.split('\n').filter((l) => /NAT トラバーサル|DH グループ|DPD/.test(l));
    for (const line of [...sides(text), ...sides(renderMarkdown(r, 'ja'))])
      expect(untranslated(line, ['tokyo-dc', 'alibaba-t1', 'ESTABLISHED']), line).toEqual([]);
  });
});
