// Both sides of a tunnel (Alibaba says / the device says) on the HTML connection page and in the
// text report, as the Markdown report and the API already carry them; a difference is marked, a
// value the device did not give is unknown, never "agrees".
import { describe, expect, it } from 'vitest';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderConnectionPage } from '../../src/report/html/connection.js';
import type { Report } from '../../src/report/schema.js';
import { renderText } from '../../src/report/text.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView } from '../fixtures/view.js';

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
