// One time zone (issue 16): Alibaba's gateway log lines carry a UTC+8 wall-clock time with no zone
// marker, and evidence and the timeline showed them beside our UTC times. Every format now shows
// them in UTC, marked "UTC"; the raw quote stays available (rawEvidence, the event's detail, the
// HTML tooltip). The lines are in the recorded format of Alibaba's documented examples
// (DescribeVpnConnectionLogs; the SourceLog of DiagnoseVpnConnections).
import { describe, expect, it } from 'vitest';
import { alibabaLogTimeMs, logTimesInUtc } from '../../src/model/log-time.js';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { eventFacts } from '../../src/report/format.js';
import { renderConnectionPage } from '../../src/report/html/connection.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import { timelineEvent } from '../../src/report/timeline.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView, FLEET, fixtureEvents } from '../fixtures/view.js';

// Alibaba's documented example, as DescribeVpnConnectionLogs returns it.
const RECORDED =
  '2023-01-13 11:39:21 vco-bp1spxu8hlcvpd7ry**** [PROTO_ERR]: ikev1.c:1433:isakmp_ph1resend(): phase1 negotiation failed due to time up. [{remote id:4}{ph1: 172.16.0.88[500] <=> 192.168.0.206[500], 172.16.0.88 <=> 192.168.0.206}]';
const RECORDED_UTC = RECORDED.replace('2023-01-13 11:39:21', '2023-01-13 03:39:21 UTC');
// The same format logged at 02:10 on New Year's Day in Beijing: still the old year in UTC.
const NEW_YEAR = `2023-01-01 02:10:05 vco-bp1spxu8hlcvpd7ry**** [PROTO_ERR]: ikev1.c:1433:isakmp_ph1resend(): phase1 negotiation failed due to time up.`;
const NEW_YEAR_UTC = NEW_YEAR.replace('2023-01-01 02:10:05', '2022-12-31 18:10:05 UTC');
// A SourceLog of DiagnoseVpnConnections (the strongSwan-style lines of IKEv2 tunnels), early morning.
const SOURCE_LOG =
  '2026-03-01 07:59:59 vco-bp1spxu8hlcvpd7ry**** [PROTO_ERR]: charon: 09[IKE] received AUTHENTICATION_FAILED notify error';

describe("Alibaba's log times", () => {
  it('are UTC+8: converted to UTC and marked, across midnight, a month end and a year end', () => {
    expect(alibabaLogTimeMs('2023-01-13 11:39:21')).toBe(Date.UTC(2023, 0, 13, 3, 39, 21));
    expect(logTimesInUtc(RECORDED)).toBe(RECORDED_UTC);
    expect(logTimesInUtc(NEW_YEAR)).toBe(NEW_YEAR_UTC);
    expect(logTimesInUtc(`SourceLog: ${SOURCE_LOG}`)).toBe(
      `SourceLog: ${SOURCE_LOG.replace('2026-03-01 07:59:59', '2026-02-28 23:59:59 UTC')}`,
    );
  });

  it('leave everything else alone: our UTC times, converted lines, charon lines, impossible dates', () => {
    expect(logTimesInUtc(RECORDED_UTC)).toBe(RECORDED_UTC);
    expect(logTimesInUtc('2026-01-01 00:00:00 UTC')).toBe('2026-01-01 00:00:00 UTC');
    const charon = 'Dec  6 01:50:00 09[IKE] <alibaba|1> received AUTHENTICATION_FAILED notify error';
    expect(logTimesInUtc(charon)).toBe(charon);
    const impossible = '2023-02-30 11:39:21 vco-x [DEBUG]: a.c:1:f(): x';
    expect(logTimesInUtc(impossible)).toBe(impossible);
    expect(alibabaLogTimeMs('2023-02-30 11:39:21')).toBeNull();
  });
});

describe('evidence and the timeline', () => {
  const view = new FixtureView();
  const psk = view.diag.findings.find((f) => f.rule === 'psk-mismatch')!;
  for (const text of [psk.text.en, psk.text.ja])
    text.evidence = [...text.evidence, `SourceLog: ${NEW_YEAR}`, `Log: ${RECORDED}`];
  const events = fixtureEvents();
  const down = events.find((e) => e.kind === 'tunnel_down')!;
  down.detail = { ...down.detail, logs: [NEW_YEAR], diagnosis: [{ code: 'PskMismatch', log: RECORDED }] };
  view.stored = events;

  it('show the log times in UTC in the JSON report, keeping the raw lines', () => {
    const report = buildReport(reportInputFromView(view), { now: NOW });
    const f = report.connections
      .find((c) => c.id === FLEET.failedOver)!
      .findings.find((x) => x.rule === 'psk-mismatch')!;
    expect(f.evidence).toContain(`SourceLog: ${NEW_YEAR_UTC}`);
    expect(f.evidence).toContain(`Log: ${RECORDED_UTC}`);
    expect(f.rawEvidence).toContain(`SourceLog: ${NEW_YEAR}`);
    expect(f.rawEvidence).toHaveLength(f.evidence.length);
    // A finding without log lines has no raw copy.
    const other = report.connections.flatMap((c) => c.findings).find((x) => x.rule === 'failover-active')!;
    expect(other.rawEvidence).toBeUndefined();
  });

  it('show them in UTC on the API timeline, its detail keeping them as logged', () => {
    const json = timelineEvent(down, 'en');
    // The daemon's own time of a carried-over capture (Unix ms) reads in the same zone.
    const carried = {
      ...down,
      detail: { ...down.detail, diagnosisCapturedAt: Date.UTC(2022, 11, 31, 18, 10, 5) },
    };
    expect(eventFacts(carried)).toContainEqual(['diagnosisCapturedAt', '2022-12-31 18:10:05 UTC']);
    expect(json.evidence).toContain(NEW_YEAR_UTC);
    expect(json.evidence.some((l) => l.includes(RECORDED_UTC))).toBe(true);
    expect(json.detail.logs).toEqual([NEW_YEAR]);
  });

  it('show them in UTC in Markdown, text and HTML (the tooltip quotes the line as logged), in both languages', () => {
    for (const lang of ['en', 'ja'] as const) {
      const report = buildReport(reportInputFromView(view), { now: NOW, lang });
      const byId = { [FLEET.failedOver]: events };
      for (const out of [
        renderMarkdown(report, lang, { events: byId }),
        renderText(report, lang, { events: byId }),
      ]) {
        expect(out).toContain('2022-12-31 18:10:05 UTC vco-');
        expect(out).toContain('2023-01-13 03:39:21 UTC vco-');
        expect(out).not.toContain('2023-01-01 02:10:05');
        expect(out).not.toContain('11:39:21');
      }
      const connection = report.connections.find((c) => c.id === FLEET.failedOver)!;
      const page = renderConnectionPage({
        connection,
        events,
        traffic: [],
        trafficHours: 24,
        markdown: '',
        lang,
        generatedAt: report.generatedAt,
        errors: [],
        base: '',
      });
      const shown = page.replace(/ (title|data-raw)="[^"]*"/g, '');
      expect(shown).toContain('2022-12-31 18:10:05 UTC vco-');
      expect(shown).not.toContain('2023-01-01 02:10:05');
      expect(shown).not.toContain('11:39:21');
      // Each converted line keeps Alibaba's own in its tooltip and data-raw.
      expect(page).toMatch(
        /<code class="log-utc" title="[^"]*UTC\+8[^"]*: SourceLog: 2023-01-01 02:10:05 vco-/,
      );
      expect(page).toContain('data-raw="2023-01-01 02:10:05 vco-');
    }
  });
});
