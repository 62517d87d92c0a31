// Outages: the stretch of time a tunnel is down, from the status samples. Evidence belongs to one
// outage. Alibaba still answers with the previous failure's code for ~3 minutes after a recovery, and
// a log window reaches back before it: a tunnel that failed with a PSK mismatch, recovered and failed
// again 15 s later because the peer stopped answering was reported as psk-mismatch for the whole
// second outage. A recovery closes the outage; a new failure starts with empty evidence: captures
// from before it was seen down are dropped, and a new capture asks only for what happened after the
// tunnel was last seen up (`evidenceSince`: log lines and diagnosis codes).
import type { VpnEvent } from '../model/events.js';
import type { RegionSnapshot, Snapshot, TunnelEvidence } from '../model/snapshot.js';

export interface Outage {
  tunnelId: string;
  /** When the tunnel was first seen down (its tunnel_down event, or the first sample showing it down). */
  since: number;
  /**
   * The last sample that saw the tunnel up, before this outage: logs and diagnosis codes older than
   * this are from an earlier outage. null when it was never seen up (down since the daemon started).
   */
  evidenceSince: number | null;
}

/** When the tunnel_down event says the tunnel was last seen up (src/state/tracker.ts). */
export const lastSeenUpAt = (e: VpnEvent): number | null =>
  typeof e.detail.lastSeenUpAt === 'number' ? e.detail.lastSeenUpAt : null;

/**
 * The open outages, from the events alone: nothing here is lost on a restart that the store does not
 * give back (restoreOutages reads the same two facts from the stored tunnel_down event).
 */
export class Outages {
  private readonly open = new Map<string, Outage>();

  /**
   * Fold one status sample (complete regions only: unknown is neither up nor down). Returns the
   * tunnels whose outage began with this sample.
   */
  observe(snapshot: Snapshot, events: readonly VpnEvent[]): string[] {
    const wentDown = new Map(
      events.filter((e) => e.kind === 'tunnel_down' && e.tunnelId).map((e) => [e.tunnelId!, e]),
    );
    const started: string[] = [];
    for (const r of snapshot.regions) {
      if (!r.connections.complete) continue;
      for (const c of r.connections.data)
        for (const t of c.tunnels) {
          if (t.ipsecSaUp) {
            if (this.open.size > 0) this.open.delete(t.id);
          } else if (!this.open.has(t.id) || wentDown.has(t.id)) {
            // Down with no tunnel_down event: first seen down (never seen up by this daemon).
            const down = wentDown.get(t.id);
            const since = down?.at ?? snapshot.takenAt;
            this.open.set(t.id, { tunnelId: t.id, since, evidenceSince: down ? lastSeenUpAt(down) : null });
            started.push(t.id);
          }
        }
    }
    return started;
  }

  /** Restore an outage known from before a restart (its start and evidence bound from the store). */
  restore(outage: Outage): void {
    this.open.set(outage.tunnelId, outage);
  }

  of(tunnelId: string): Outage | undefined {
    return this.open.get(tunnelId);
  }

  /** Since when each down tunnel has been down (live view). */
  get downSince(): ReadonlyMap<string, number> {
    return new Map([...this.open.values()].map((o) => [o.tunnelId, o.since]));
  }

  /**
   * Evidence captured before the tunnel's outage was seen: from an earlier outage, or from while the
   * tunnel was up (a capture at the recovery still shows the old failure's code for ~3 minutes).
   */
  isStale(e: TunnelEvidence): boolean {
    const outage = this.open.get(e.tunnelId);
    return outage !== undefined && e.collectedAt < outage.since;
  }

  /** `snapshot` without evidence from an earlier outage of a tunnel that is down again. */
  withoutStaleEvidence(snapshot: Snapshot): Snapshot {
    let changed = false;
    const regions = snapshot.regions.map((r): RegionSnapshot => {
      const stale = Object.values(r.evidence).filter((e) => this.isStale(e));
      if (stale.length === 0) return r;
      changed = true;
      const evidence = { ...r.evidence };
      for (const e of stale) delete evidence[e.tunnelId];
      return { ...r, evidence };
    });
    return changed ? { ...snapshot, regions } : snapshot;
  }
}
