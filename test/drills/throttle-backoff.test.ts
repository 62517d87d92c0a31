// Issue 11 item 9: under sustained Throttling.User the daemon must call Alibaba less, not more. The
// old code read the unknown data as unhealthy, so the adaptive tier polled the throttled account
// every 10 s instead of every 30 s, each poll with its retries. Ten simulated minutes of the
// runtime's status schedule (regular tier every 30 s, adaptive tier every 10 s, as runtime.ts wires
// them) against an account whose every DescribeVpnConnections is throttled: the requests per minute
// fall, the adaptive tier leaves the account alone, the other account is polled as before, the
// backoff is visible in metrics, and one successful call ends it.
import { afterEach, describe, expect, it } from 'vitest';
import { type Drill, samples, smallFleet, startDrill, statusSuccess } from './helpers.js';

const RETRIES = { max: 2, baseDelayMs: 1, maxDelayMs: 5 };

let drill: Drill | undefined;
afterEach(async () => {
  await drill?.close();
  drill = undefined;
});

/** One 10-second tick of the runtime's status schedule: the adaptive tier, and every third tick the regular one. */
async function tick(d: Drill, n: number): Promise<void> {
  const { doctor } = d.parts;
  if (n % 3 === 0) await doctor.runStatus();
  else {
    const unhealthy = doctor.unhealthyRegions();
    if (unhealthy.size > 0) await doctor.runStatus(unhealthy);
  }
}

describe('throttle-backoff', () => {
  it('under sustained Throttling.User the request rate falls instead of rising', async () => {
    drill = await startDrill(smallFleet(), {
      api: { readTimeoutMs: 2000, retries: RETRIES },
      poll: { adaptive: { enabled: true } },
    });
    const { doctor } = drill.parts;
    await doctor.runStatus();
    expect(doctor.errors()).toEqual([]);

    drill.faults([
      { kind: 'throttle', account: 'fleet-1', product: 'vpc', action: 'DescribeVpnConnections' },
    ]);
    drill.sim.sim.server.resetCalls();
    const perMinute: number[] = [];
    const otherPerMinute: number[] = [];
    let sawBackoff = 0;
    for (let n = 0; n < 60; n++) {
      drill.sim.advance(10);
      await tick(drill, n);
      // While throttled, the adaptive tier does not poll the account faster.
      for (const key of doctor.unhealthyRegions()) expect(key.startsWith('fleet-1/'), key).toBe(false);
      const text = await drill.scrape();
      const backoff = samples(text, 'alivpn_api_backoff_seconds').find(
        (s) => s.labels.account === 'fleet-1' && s.labels.product === 'vpc',
      );
      if (backoff && backoff.value > 0) sawBackoff++;
      if (n % 6 === 5) {
        const calls = drill.sim.sim.server.calls().filter((c) => c.action === 'DescribeVpnConnections');
        perMinute.push(calls.filter((c) => c.account === 'fleet-1').length);
        otherPerMinute.push(calls.filter((c) => c.account === 'fleet-2').length);
        drill.sim.sim.server.resetCalls();
      }
    }
    // Every attempt at fleet-1 was throttled; the requests per minute fall, never rise.
    const first = perMinute.slice(0, 3).reduce((a, b) => a + b, 0);
    const last = perMinute.slice(-3).reduce((a, b) => a + b, 0);
    expect(last, `requests per minute: ${perMinute.join(' ')}`).toBeLessThan(first / 2);
    for (let i = 1; i < perMinute.length; i++)
      expect(perMinute[i], `minute ${i + 1}: ${perMinute.join(' ')}`).toBeLessThanOrEqual(perMinute[0]!);
    // No more than the regular schedule would have cost without any backoff (2 regions × 3 attempts, twice a minute).
    expect(perMinute[0]).toBeLessThanOrEqual(12);
    // The other account is polled as before: 2 regions, twice a minute.
    expect(otherPerMinute).toEqual(Array(10).fill(4));

    // Said in metrics, and in the region's error.
    const text = await drill.scrape();
    const vpc = (name: string) =>
      samples(text, name).find((s) => s.labels.account === 'fleet-1' && s.labels.product === 'vpc')?.value ??
      0;
    expect(vpc('alivpn_api_throttled_total')).toBeGreaterThan(0);
    expect(vpc('alivpn_api_backoff_skipped_total')).toBeGreaterThan(0);
    expect(sawBackoff).toBeGreaterThan(0);
    expect(statusSuccess(text, 'fleet-1', 'cn-hangzhou')).toBe(0);
    expect(statusSuccess(text, 'fleet-2', 'cn-hangzhou')).toBe(1);
    expect(
      doctor
        .errors()
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(/Throttling\.User|backing off/);

    // The flow control lets go: once the cool-down ends, one successful call ends the backoff.
    drill.faults([]);
    for (let n = 0; n < 120 && doctor.errors().length > 0; n++) {
      drill.sim.advance(10);
      await tick(drill, n);
    }
    expect(doctor.errors()).toEqual([]);
    const after = await drill.scrape();
    expect(
      samples(after, 'alivpn_api_backoff_seconds').find(
        (s) => s.labels.account === 'fleet-1' && s.labels.product === 'vpc',
      )?.value,
    ).toBe(0);
  }, 120_000);
});
