// What a restarted daemon knows about the outages in progress, from the store: each tunnel that the
// stored baseline shows down gets its outage back (since its last tunnel_down event, the evidence
// bound at the last sample that saw it up, which that event carries) and the newest evidence captured in it. Without this, the first
// evaluation after a restart had no evidence (and Alibaba may have forgotten the code): the named
// cause was resolved, negotiation-failed opened, and both flipped back once evidence came in.
import type { Snapshot, TunnelEvidence } from '../model/snapshot.js';
import { lastSeenUpAt, type Outage } from './outages.js';
import type { Store } from './store.js';

export interface Restored {
  outages: Outage[];
  /** The newest evidence captured within each restored outage. */
  evidence: TunnelEvidence[];
}

export function restoreOutages(store: Store, baseline: Snapshot | null): Restored {
  const out: Restored = { outages: [], evidence: [] };
  for (const r of baseline?.regions ?? []) {
    if (!r.connections.complete) continue;
    for (const t of r.connections.data.flatMap((c) => c.tunnels)) {
      if (t.ipsecSaUp) continue;
      const down = store.lastTunnelEvent(t.id, 'tunnel_down');
      const up = store.lastTunnelEvent(t.id, 'tunnel_up');
      // Down since the daemon first saw it (no event): the outage began no later than that sample.
      const since = down && (!up || up.at <= down.at) ? down.at : baseline!.takenAt;
      // The tunnel_down event says when the tunnel was last seen up; older stores have only the
      // tunnel_up before it (or nothing: up since the daemon first saw it).
      const seenUp = down && since === down.at ? lastSeenUpAt(down) : null;
      const evidenceSince = seenUp ?? (up && up.at <= since ? up.at : null);
      out.outages.push({ tunnelId: t.id, since, evidenceSince });
      const [newest] = store.evidenceFor(t.id, since);
      if (newest) out.evidence.push(newest);
    }
  }
  return out;
}
