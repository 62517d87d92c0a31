// The regular and the adaptive status tiers are separate cron jobs; when their schedules coincide
// (default */30 and */10 seconds meet twice a minute) two status runs overlap. A transition must
// still be stored and counted once.
import { afterEach, describe, expect, it } from 'vitest';
import { type Drill, fleetConnection, smallFleet, startDrill } from './helpers.js';

let drill: Drill | undefined;
afterEach(async () => {
  await drill?.close();
  drill = undefined;
});

describe('overlapping status runs', () => {
  it('store and count a failover once when the regular and the fast tier run at the same time', async () => {
    drill = await startDrill(smallFleet(), {
      api: { readTimeoutMs: 2000, retries: { max: 2, baseDelayMs: 1, maxDelayMs: 5 } },
    });
    const { doctor, store } = drill.parts;
    await doctor.runStatus();
    const victim = fleetConnection(0, 1, 0);
    await drill.sim.control.fail(victim, 1, 'PskMismatch');
    drill.sim.advance(10);
    await Promise.all([doctor.runStatus(), doctor.runStatus(new Set(['fleet-1/cn-shanghai']))]);
    // Transitions only: findings open and resolve as evidence arrives (negotiation-failed, then the cause).
    const events = store.events({ connectionId: victim }).filter((e) => !e.kind.startsWith('finding_'));
    expect(events.map((e) => e.kind).sort()).toEqual(['failover', 'tunnel_down']);
    expect(doctor.counters().failovers[victim]).toBe(1);
  }, 20_000);
});
