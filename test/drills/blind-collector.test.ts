// A blind collector (issue 11, item 8): after 5 minutes of failed reads the tunnel series vanished
// and AliVpnFailover / AliVpnConnectionDown resolved while the tunnel was still down. The daemon now
// exports the age of each tunnel's last known state (alivpn_tunnel_state_age_seconds), which keeps
// growing while the collector is blind, and the alerts hold on the last known state while the status
// tier fails (dashboards/prometheus/tests/blind_collector_test.yaml runs exactly this sequence
// through promtool against the shipped rules).
import { afterEach, describe, expect, it } from 'vitest';
import { type Drill, fleetConnection, samples, smallFleet, startDrill, statusSuccess } from './helpers.js';

const VICTIM = fleetConnection(0, 1, 0); // fleet-1 / cn-shanghai

describe('a blind collector', () => {
  let drill: Drill | undefined;
  afterEach(async () => {
    await drill?.close();
    drill = undefined;
  });

  it('keeps the age of the last known state growing for 20 minutes, until the region reads again', async () => {
    drill = await startDrill(smallFleet(), { api: { retries: { max: 1, baseDelayMs: 1, maxDelayMs: 2 } } });
    const { doctor } = drill.parts;
    const cycle = async (seconds: number) => {
      drill!.sim.advance(seconds);
      await doctor.runStatus();
      return drill!.scrape();
    };
    await cycle(0);
    expect((await drill.sim.control.fail(VICTIM, 1, 'PskMismatch')).status).toBe(200);
    expect((await drill.sim.control.fail(VICTIM, 2, 'PskMismatch')).status).toBe(200);
    let text = await cycle(30);
    const age = (t: string) =>
      samples(t, 'alivpn_tunnel_state_age_seconds')
        .filter((s) => s.labels.connection_id === VICTIM)
        .map((s) => s.value);
    expect(age(text)).toEqual([0, 0]);

    // Blind: every status read of the region fails, for 20 minutes of cycles.
    drill.faults([{ kind: 'error5xx', status: 503, account: 'fleet-1', region: 'cn-shanghai' }]);
    for (let minute = 1; minute <= 20; minute++) text = await cycle(60);
    expect(statusSuccess(text, 'fleet-1', 'cn-shanghai')).toBe(0);
    expect(age(text)).toEqual([1200, 1200]);
    // The state gauges are no longer exported as current (unknown is not reported), the age is.
    expect(samples(text, 'alivpn_tunnel_up').filter((s) => s.labels.connection_id === VICTIM)).toEqual([]);

    // The region reads again: fresh state, age 0, the connection still down.
    drill.faults([]);
    text = await cycle(30);
    expect(statusSuccess(text, 'fleet-1', 'cn-shanghai')).toBe(1);
    expect(age(text)).toEqual([0, 0]);
    expect(
      samples(text, 'alivpn_tunnel_up')
        .filter((s) => s.labels.connection_id === VICTIM)
        .map((s) => s.value),
    ).toEqual([0, 0]);
  }, 60_000);
});
