// Last-known state (issue 16): while a region could not be read, its fleet rows were grey
// "Unknown" but the tunnel cells still showed green dots, "up", ipsec_sa_established and "carries
// traffic" with no age; the connection page said "No open findings." and the collection error
// filled every ladder row. Now the last known values look last known (muted, "as of 17:02 UTC,
// 4 min ago") in the HTML pages, Markdown, text and JSON (`asOf`, `stale`), the findings say that
// they are unknown, and the error is said once per page. Driven through the real SDK against the
// simulator: the region is read once, then every status read fails for four minutes.
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { type Drill, fleetConnection, smallFleet, startDrill } from './helpers.js';

const VICTIM = fleetConnection(0, 1, 0); // fleet-1 / cn-shanghai
const WHERE = { account: 'fleet-1', region: 'cn-shanghai' };

/** The page without the Markdown copy in its hidden textarea (it repeats the report on purpose). */
const visible = (page: string) => page.replace(/<textarea[\s\S]*?<\/textarea>/, '');
const count = (text: string, needle: string) => text.split(needle).length - 1;
/** The `<tr>` of one connection on the fleet page. */
function fleetRow(page: string, id: string): string {
  const m = new RegExp(`<tr class="row[^"]*" data-connection="${id}">[\\s\\S]*?</tr>`).exec(page);
  if (!m) throw new Error(`no fleet row for ${id}`);
  return m[0];
}

describe('a region that cannot be read any more', () => {
  let drill: Drill | undefined;
  afterEach(async () => {
    await drill?.close();
    drill = undefined;
  });

  it('shows its last known state as last known, with its age, in every format, until it reads again', async () => {
    drill = await startDrill(smallFleet(), { api: { retries: { max: 1, baseDelayMs: 1, maxDelayMs: 2 } } });
    const { doctor } = drill.parts;
    const d = drill;
    const cycle = async (seconds: number) => {
      d.sim.advance(seconds);
      await doctor.runStatus();
    };
    const get = async (url: string) => {
      const res = await d.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      return res.body;
    };
    const victim = (r: Report) => r.connections.find((c) => c.id === VICTIM)!;

    await cycle(0);
    const readAt = drill.sim.now();
    const fresh = await drill.report();
    expect(victim(fresh)).toMatchObject({ status: 'ok', stale: false, asOf: new Date(readAt).toISOString() });
    expect(fleetRow(await get('/'), VICTIM)).not.toContain('lastknown');

    // Blind: every read of the region fails for four minutes of status cycles.
    drill.faults([{ kind: 'error5xx', status: 503, ...WHERE }]);
    for (let minute = 1; minute <= 4; minute++) await cycle(60);
    const clock = new Date(readAt).toISOString().slice(11, 16); // "17:02"

    // JSON: unknown, last known as of the last good read; the tunnels keep their last known values.
    const report = await drill.report();
    const c = victim(report);
    expect(c).toMatchObject({ status: 'unknown', stale: true, asOf: new Date(readAt).toISOString() });
    expect(c.tunnels.map((t) => t.up)).toEqual([true, true]);
    const error = report.errors.find((e) => e.region === WHERE.region)!.message;
    expect(error.length).toBeGreaterThan(0);
    const api = JSON.parse(await get(`/api/v1/connections/${VICTIM}`));
    expect(api).toMatchObject({ stale: true, asOf: c.asOf });
    // A connection of the readable regions is current.
    const other = report.connections.find((x) => x.region !== WHERE.region)!;
    expect(other).toMatchObject({ stale: false, asOf: new Date(drill.sim.now()).toISOString() });

    // HTML fleet: the victim's tunnel cells are muted, their dots hollow, each with its age.
    const row = fleetRow(await get('/'), VICTIM);
    expect(row).toContain('class="row s-unknown"');
    expect(count(row, 'class="tcell')).toBe(2);
    expect(count(row, 'lastknown"')).toBeGreaterThanOrEqual(2);
    expect(row).not.toMatch(/class="dot up"/);
    expect(row).not.toMatch(/class="badge traffic"/);
    expect(count(row, `<time datetime="${c.asOf}">last known, as of ${clock} UTC, 4 min ago</time>`)).toBe(2);
    expect(row).toContain('data-testid="findings-unknown"');
    const rowJa = fleetRow(await get('/?lang=ja'), VICTIM);
    expect(rowJa).toContain(`${clock} UTC 時点、4 分前`);

    // HTML connection page: said once, findings unknown, tunnel cards muted with their age.
    const page = visible(await get(`/connections/${VICTIM}`));
    expect(page).toContain('data-testid="last-known"');
    expect(page).toMatch(
      new RegExp(`Last known state, as of ${clock} UTC, 4 min ago: fleet-1 / cn-shanghai could not be read`),
    );
    expect(page).not.toContain('No open findings');
    expect(page).toContain('Unknown: fleet-1 / cn-shanghai could not be read');
    expect(page).not.toMatch(/class="dot up"/);
    expect(count(page, 'class="tunnel lastknown"') + count(page, 'class="tunnel carries lastknown"')).toBe(2);
    // The collection error: once (the banner at the top), not in every ladder row.
    expect(count(page, error)).toBe(1);
    // Each ladder says that its status was not read once; the rows below point up to it.
    expect(
      count(page, '<span class="note">(status not read this cycle; last known: ipsec_sa_established)'),
    ).toBe(2);
    expect(count(page, '<span class="note same"')).toBeGreaterThanOrEqual(6);
    const pageJa = visible(await get(`/connections/${VICTIM}?lang=ja`));
    expect(pageJa).toContain('最終確認値');
    expect(pageJa).toContain(`${clock} UTC 時点、4 分前`);
    expect(pageJa).toContain('不明: fleet-1 / cn-shanghai');

    // Markdown and text say the same.
    const md = await get(`/api/v1/report?format=markdown&connection=${VICTIM}`);
    expect(md).toContain(`Last known state, as of ${clock} UTC, 4 min ago`);
    expect(md).toContain('Unknown: fleet-1 / cn-shanghai could not be read');
    expect(md).not.toContain('No open findings');
    expect(md).not.toContain('✅');
    const text = await get(`/api/v1/report?format=text&connection=${VICTIM}`);
    expect(text).toContain(`(last known, as of ${clock} UTC, 4 min ago)`);
    expect(text).not.toContain('No open findings');

    // The region reads again: current state, nothing last known.
    drill.faults([]);
    await cycle(30);
    const back = victim(await drill.report());
    expect(back).toMatchObject({ status: 'ok', stale: false, asOf: new Date(drill.sim.now()).toISOString() });
    expect(fleetRow(await get('/'), VICTIM)).not.toContain('lastknown');
    expect(await get(`/connections/${VICTIM}`)).toContain('No open findings');
  }, 60_000);
});
