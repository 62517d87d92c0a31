// Rekey-boundary failures, end to end over the real SDK and the simulator: a tunnel that drops after
// the same up-time again and again gets the finding, with the intervals and the lifetime they match;
// failures at random intervals do not.
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sim/index.js';
import type { World } from '../../src/sim/world/types.js';
import { type Harness, startHarness } from './helpers.js';

const CONN = 'vco-bp1rekeytokyo000001';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Poll the way the daemon does around each scripted transition: a status cycle 30 s after it. */
async function playTimeline(world: World) {
  h = await startHarness(world);
  const { doctor } = h.parts;
  await doctor.collectOnce();
  let clock = 0;
  for (const e of world.timeline) {
    h.sim.advance(e.at + 30 - clock);
    clock = e.at + 30;
    await doctor.runStatus();
  }
  return doctor;
}

const rekeyFinding = (doctor: Harness['parts']['doctor']) =>
  doctor.diagnosis().findings.find((f) => f.connectionId === CONN && f.rule === 'rekey-boundary-failures');

describe('failures at the rekey boundary', () => {
  it('names the interval and the lifetime it matches after three failures at the same up-time', async () => {
    const doctor = await playTimeline(loadScenario('rekey-boundary'));
    const f = rekeyFinding(doctor);
    expect(f, 'rekey-boundary-failures on tunnel 1').toBeDefined();
    expect(f!.severity).toBe('warning');
    expect(f!.tunnelId).toBe(
      doctor.snapshot()!.regions[0]!.connections.data[0]!.tunnels.find((t) => t.index === 1)!.id,
    );
    expect(f!.text.en.evidence).toContain('Failures after staying up: 3570 s, 3570 s, 3570 s');
    expect(f!.text.en.evidence.join('\n')).toContain('matches the IPsec SA lifetime');
    expect(f!.text.ja.summary).toContain('3 回切断');
  });

  it('does not see a pattern in failures at random intervals', async () => {
    const world = loadScenario('rekey-boundary');
    const at = [600, 660, 4000, 4060, 5200, 5260, 12000, 12060];
    world.timeline = world.timeline.map((e, i) => ({ ...e, at: at[i]! }));
    const doctor = await playTimeline(world);
    expect(doctor.events({ connectionId: CONN, kinds: ['tunnel_down'] })).toHaveLength(4);
    expect(rekeyFinding(doctor)).toBeUndefined();
  });
});
