// Flapping has one definition (src/model/flapping.ts): the daemon's tracker announces the
// `flapping` event and the tunnel-flapping rule opens its finding on the same state change, over the
// same window, against the simulator through the real SDK; and `rules test` (which gives the engine
// no window) counts over that window too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { buildWorld } from '../../src/diagnose/incidents/spec.js';
import { FLAP_MIN_CHANGES, FLAP_WINDOW_MS } from '../../src/model/flapping.js';
import { type Harness, startHarness } from './helpers.js';

const HZ_TOKYO = 'vco-bp1hztokyo00000001';

describe('flapping, one definition', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('healthy');
  });
  afterEach(async () => {
    await h.close();
  });

  it('the flapping event and the tunnel-flapping finding come with the same state change', async () => {
    const { doctor } = h.parts;
    await doctor.collectOnce();
    const flapped = () => ({
      event: doctor.events({ connectionId: HZ_TOKYO, limit: 1000 }).some((e) => e.kind === 'flapping'),
      finding: doctor
        .diagnosis()
        .findings.some((f) => f.connectionId === HZ_TOKYO && f.rule === 'tunnel-flapping'),
    });
    // Down/up cycles of tunnel 1, one status cycle per change, 30 s apart: all inside the window.
    for (let change = 1; change <= FLAP_MIN_CHANGES + 1; change++) {
      const reply =
        change % 2 === 1
          ? await h.sim.control.fail(HZ_TOKYO, 1, 'NoResponse')
          : await h.sim.control.recover(HZ_TOKYO, 1);
      expect(reply.status).toBe(200);
      h.sim.advance(30);
      await doctor.runStatus();
      const expected = change >= FLAP_MIN_CHANGES;
      expect(flapped(), `after state change ${change}`).toEqual({ event: expected, finding: expected });
    }
    const [announced] = doctor
      .events({ connectionId: HZ_TOKYO, limit: 1000 })
      .filter((e) => e.kind === 'flapping');
    expect(announced?.detail).toMatchObject({ stateChanges: FLAP_MIN_CHANGES, windowMs: FLAP_WINDOW_MS });
    const finding = doctor.diagnosis().findings.find((f) => f.rule === 'tunnel-flapping');
    expect(finding?.text.en.evidence).toContain(
      `State changes: ${FLAP_MIN_CHANGES + 1} in ${FLAP_WINDOW_MS / 1000} s`,
    );
  }, 60_000);
});

describe('flapping in `rules test`', () => {
  it('counts over the same window as the daemon when no window is given', () => {
    // `rules test` replays incidents this way: the world's state changes, no window.
    const { snapshot, stateChanges } = buildWorld({ stateChanges: { '1': FLAP_MIN_CHANGES } });
    const d = diagnose(snapshot, { history: { stateChanges } });
    const finding = d.findings.find((f) => f.rule === 'tunnel-flapping');
    expect(finding?.text.en.evidence).toContain(
      `State changes: ${FLAP_MIN_CHANGES} in ${FLAP_WINDOW_MS / 1000} s`,
    );
    const below = buildWorld({ stateChanges: { '1': FLAP_MIN_CHANGES - 1 } });
    expect(
      diagnose(below.snapshot, { history: { stateChanges: below.stateChanges } }).findings.map((f) => f.rule),
    ).not.toContain('tunnel-flapping');
  });
});
