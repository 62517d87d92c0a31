// A restart mid-outage flapped the named cause (issue 11, item 10): the stored findings said
// psk-mismatch, the restarted daemon had no evidence yet (and Alibaba had forgotten the code), so the
// first evaluation resolved psk-mismatch and opened negotiation-failed, and the evidence then
// reopened it: four false timeline events. What the daemon derived from stored events (the outage
// and the evidence captured in it) now survives the restart.

import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorParts } from '../../src/daemon/runtime.js';
import { type Drill, startDrill } from './helpers.js';

const VICTIM = 'vco-bp1hztokyo00000001';

describe('a restart mid-outage', () => {
  let drill: Drill | undefined;
  afterEach(async () => {
    await drill?.close();
    drill = undefined;
  });

  it('adds no event to the timeline and keeps the named cause', async () => {
    drill = await startDrill('cause-changes');
    const start = drill.sim.now();
    const at = async (parts: DoctorParts, seconds: number) => {
      drill!.sim.advance((start + seconds * 1000 - drill!.sim.now()) / 1000);
      await parts.doctor.runStatus();
      await parts.doctor.runTopology();
    };
    const rules = (parts: DoctorParts) =>
      parts.doctor
        .diagnosis()
        .findings.filter((f) => f.connectionId === VICTIM)
        .map((f) => f.rule)
        .sort();
    // The PSK mismatch from t+60 s, named, then long enough for Alibaba to forget the code.
    for (const t of [0, 65, 95, 125, 155]) await at(drill.parts, t);
    const before = rules(drill.parts);
    expect(before).toContain('psk-mismatch');
    const eventsBefore = drill.parts.doctor.events({ limit: 1000 }).length;

    // Restart on the same store (the second failure of the scenario is not reached).
    const restarted = drill.restart();
    for (const t of [170, 172, 175]) {
      await at(restarted, t);
      expect(rules(restarted), `t+${t}s`).toEqual(before);
    }
    const after = restarted.doctor.events({ limit: 1000 });
    expect(
      after.slice(0, after.length - eventsBefore).map((e) => `${e.kind} ${String(e.detail.rule ?? '')}`),
    ).toEqual([]);
  }, 60_000);
});
