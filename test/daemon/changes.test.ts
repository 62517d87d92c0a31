// "What changed before it broke", end to end over the real SDK and the simulator: a DH group change
// on tunnel 1, then the tunnel fails with DhGroupMismatch — the finding names the change with
// before/after (en and ja), the timeline and metrics carry it; a change that fixes a tunnel marks
// the recovery; a restart does not invent changes.
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.js';
import type { ConfigChangeDetail } from '../../src/model/events.js';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadScenario } from '../../src/sim/index.js';
import { type Harness, startHarness } from './helpers.js';

const TOKYO = 'vco-bp1chgtokyo0000001';
const OSAKA = 'vco-bp1chgosaka0000001';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function cycle(seconds: number) {
  h!.sim.advance(seconds);
  await h!.parts.doctor.runStatus();
  await h!.parts.doctor.runTopology();
}

describe('configuration changes before a failure', () => {
  it('names the change in the finding, the timeline and the metrics', async () => {
    h = await startHarness(loadScenario('change-then-failure'));
    const { doctor } = h.parts;
    await doctor.collectOnce();
    await cycle(60);
    expect(doctor.events({ kinds: ['config_change'] })).toEqual([]);

    await cycle(90); // t+150 s: the change at t+120 s has been seen, and the failure with it
    const changes = doctor.events({ connectionId: TOKYO, kinds: ['config_change'] });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.detail as unknown as ConfigChangeDetail).toEqual({
      kind: 'tunnel-ike',
      subject: changes[0]!.tunnelId,
      changes: [{ field: 'dhGroup', before: 'group14', after: 'group2' }],
    });
    const finding = doctor
      .diagnosis()
      .findings.find((f) => f.connectionId === TOKYO && f.rule === 'dh-group-mismatch');
    expect(finding, 'dh-group-mismatch on hz-to-tokyo').toBeDefined();
    expect(finding!.text.en.evidence[0]).toMatch(
      /^Changed (\d+ s|\d+ min) before the failure: tunnel 1 IKE: DH group group14 → group2$/,
    );
    expect(finding!.text.ja.evidence[0]).toMatch(
      /^障害の .+ 前に変更: トンネル 1 のIKE: DH グループ group14 → group2$/,
    );
    // The standby's finding (failover-active) is connection-wide: it names the change too.
    const failover = doctor
      .diagnosis()
      .findings.find((f) => f.connectionId === TOKYO && f.rule === 'failover-active');
    expect(failover?.text.en.evidence.join('\n')).toContain('DH group group14 → group2');

    const report = buildReport(reportInputFromView(doctor), { now: h.sim.now() });
    const md = renderMarkdown(report, 'en', { events: { [TOKYO]: doctor.events({ connectionId: TOKYO }) } });
    expect(md).toMatch(/Configuration changed: IKE tun-\S+: DH group group14 → group2/);
    expect(md).toContain('DH group group14 → group2');
    const metrics = await createMetrics(doctor, { version: 'test', defaultMetrics: false }).render();
    expect(metrics).toMatch(
      new RegExp(`alivpn_config_changes_total\\{[^}]*connection_id="${TOKYO}"[^}]*kind="tunnel-ike"\\} 1`),
    );
  });

  it('a change that fixes a tunnel marks the recovery; a change with no failure is an event, not a finding', async () => {
    h = await startHarness(loadScenario('change-then-failure'));
    const { doctor } = h.parts;
    await doctor.collectOnce();
    await cycle(150);
    expect(
      doctor.diagnosis().findings.some((f) => f.connectionId === OSAKA && f.rule === 'dh-group-mismatch'),
    ).toBe(true);
    await cycle(180); // t+330 s: osaka's cloud side now uses group2, like its device
    const up = doctor.events({ connectionId: OSAKA, kinds: ['tunnel_up'] });
    expect(up).toHaveLength(1);
    expect(up[0]!.detail.afterChange).toMatchObject({ kind: 'tunnel-ike', subject: up[0]!.tunnelId });
    const osakaFindings = doctor
      .diagnosis()
      .findings.filter((f) => f.connectionId === OSAKA && f.severity !== 'info');
    expect(osakaFindings.map((f) => f.rule)).toEqual([]);
  });

  it('a restart does not invent a change from the stored snapshot', async () => {
    h = await startHarness(loadScenario('change-then-failure'));
    await h.parts.doctor.collectOnce();
    await cycle(60);
    // The daemon is down while the change happens; it starts again after.
    h.parts.close();
    h.sim.advance(120);
    const restarted = h.restart();
    await restarted.doctor.runStatus();
    await restarted.doctor.runTopology();
    h.sim.advance(30);
    await restarted.doctor.runStatus();
    expect(restarted.doctor.events({ kinds: ['config_change'] })).toEqual([]);
    // The failure itself is still seen and diagnosed (from the stored baseline), without a change named.
    const f = restarted.doctor
      .diagnosis()
      .findings.find((x) => x.connectionId === TOKYO && x.rule === 'dh-group-mismatch');
    expect(f?.text.en.evidence.join('\n') ?? '').not.toContain('before the failure');
  });
});
