// What the daemon knows about an outage comes from stored events, not from maps a restart empties
// (issue 13): when the tunnel was last seen up (the start of the evidence window: log lines and
// codes from before it belong to an earlier outage) and when its region was last read (the bound on
// a failover's gap and the sampling interval on a failback). A daemon that watched a tunnel stay up
// from its start and then restarted mid-outage used to restore the outage with no evidence bound at
// all (there was no tunnel_up event to read it from), and its first failback after the restart said
// nothing about how often it had been sampled.

import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorParts } from '../../src/daemon/runtime.js';
import { restoreOutages } from '../../src/state/restore.js';
import { type Drill, startDrill } from './helpers.js';

const VICTIM = 'vco-bp1hztokyo00000001';

describe('a restart keeps what the outage knew', () => {
  let drill: Drill | undefined;
  afterEach(async () => {
    await drill?.close();
    drill = undefined;
  });

  it('restores the last time the tunnel was seen up and the previous sample of its region', async () => {
    drill = await startDrill('cause-changes');
    const start = drill.sim.now();
    const at = async (parts: DoctorParts, seconds: number) => {
      drill!.sim.advance((start + seconds * 1000 - drill!.sim.now()) / 1000);
      await parts.doctor.runStatus();
    };
    // Up at 0 s and 30 s; the primary fails at 60 s (PSK mismatch) and is seen down at 65 s.
    for (const t of [0, 30, 65, 95, 125, 155]) await at(drill.parts, t);
    const tunnel = drill.parts.doctor
      .snapshot()!
      .regions.flatMap((r) => r.connections.data)
      .find((c) => c.id === VICTIM)!
      .tunnels.find((t) => t.role === 'master')!;
    expect(tunnel.ipsecSaUp).toBe(false);
    const down = drill.parts.store.lastTunnelEvent(tunnel.id, 'tunnel_down');
    expect(down?.detail.lastSeenUpAt).toBe(start + 30_000);

    const restarted = drill.restart();
    const [outage] = restoreOutages(restarted.store, restarted.store.loadSnapshot()).outages.filter(
      (o) => o.tunnelId === tunnel.id,
    );
    expect(outage).toEqual({ tunnelId: tunnel.id, since: start + 65_000, evidenceSince: start + 30_000 });

    // The primary recovers at 3 min: the first cycle after the restart sees the failback, and knows
    // the region was last read at 155 s (in the stored baseline) although this process never read it.
    await at(restarted, 185);
    const [failback] = restarted.doctor.events({ connectionId: VICTIM, kinds: ['failback'], limit: 1 });
    expect(failback?.at).toBe(start + 185_000);
    expect(failback?.detail).toMatchObject({ sampledEveryMs: 30_000 });

    // Down again at 3 min 15 s: this outage's evidence starts at the failback sample.
    await at(restarted, 200);
    const again = restarted.store.lastTunnelEvent(tunnel.id, 'tunnel_down');
    expect(again?.at).toBe(start + 200_000);
    expect(again?.detail.lastSeenUpAt).toBe(start + 185_000);
    const [failover] = restarted.doctor.events({ connectionId: VICTIM, kinds: ['failover'], limit: 1 });
    expect(failover?.detail).toMatchObject({ gapAtMostMs: 15_000, sampledEveryMs: 15_000 });
  }, 60_000);
});
