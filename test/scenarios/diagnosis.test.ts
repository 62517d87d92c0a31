// Every shipped scenario is diagnosed with the rule it states (its `expect:` list), on the right
// connection and tunnel, by the same collection and evaluation `diagnose` runs — over the real SDK
// and the simulator. Scenarios with a timeline are observed after their first failure.
import { afterEach, describe, expect, it } from 'vitest';
import { listScenarios } from '../../src/sim/index.js';
import { type Harness, observeScenario } from '../daemon/helpers.js';

const scenarios = listScenarios();
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('shipped scenarios are diagnosed as they say', () => {
  it('ships the healthy world, the drill and one scenario per FAQ cause', () => {
    expect(scenarios).toEqual(
      expect.arrayContaining(['healthy', 'failover-drill', 'psk-mismatch', 'unpublished-route']),
    );
    expect(scenarios.length).toBeGreaterThanOrEqual(20);
  });

  it.each(scenarios)('%s', async (name) => {
    // Observed 30 s after the first scripted failure: one status cycle later.
    const observed = await observeScenario(name);
    h = observed.h;
    const { world } = observed;
    const { doctor } = h.parts;
    const tunnelIdOf = (connectionId: string, index: 1 | 2) =>
      doctor
        .snapshot()!
        .regions.flatMap((r) => r.connections.data)
        .find((c) => c.id === connectionId)
        ?.tunnels.find((t) => t.index === index)?.id;
    const found = doctor.diagnosis().findings.map((f) => `${f.connectionId}/${f.tunnelId ?? '-'}/${f.rule}`);
    const expected = world.expect.map(
      (e) =>
        `${e.connection}/${e.tunnel ? (tunnelIdOf(e.connection, e.tunnel) ?? `tunnel ${e.tunnel}?`) : '-'}/${e.rule}`,
    );
    expect(found).toEqual(expect.arrayContaining(expected));
    if (world.expect.length === 0) {
      const serious = doctor.diagnosis().findings.filter((f) => f.severity !== 'info');
      expect(serious.map((f) => `${f.connectionId}/${f.rule}`)).toEqual([]);
    }
    expect(doctor.errors()).toEqual([]);
  });
});
