// How a failover behaved, as far as status samples can tell: each failover says how long the
// connection could have been without an established tunnel (at most the time since the previous
// sample, when the primary still carried traffic), each failback how long traffic ran on the
// standby, and each connection_up how long the connection was down.
import type { VpnEvent } from '../model/events.js';

export interface FailoverHistory {
  /** Unix ms of the previous complete status sample of the event's region (doctor clock). */
  previousSampleAt: (e: VpnEvent) => number | undefined;
  /** Unix ms of the connection's last failover (store counters). */
  lastFailoverAt: (connectionId: string) => number | undefined;
  /** Unix ms of the connection's last connection_down event. */
  lastDownAt: (connectionId: string) => number | undefined;
}

export function withFailoverQuality(events: readonly VpnEvent[], h: FailoverHistory): VpnEvent[] {
  return events.map((e) => {
    const extra: Record<string, number> = {};
    const previous = h.previousSampleAt(e);
    if (previous !== undefined && previous < e.at) extra.sampledEveryMs = e.at - previous;
    if (e.kind === 'failover' && previous !== undefined && previous < e.at) {
      // At the previous sample the primary carried traffic; now the standby does. In between the
      // connection may have had no tunnel for up to this long (the samples cannot say less).
      extra.gapAtMostMs = e.at - previous;
    }
    if (e.kind === 'failback') {
      const since = h.lastFailoverAt(e.connectionId);
      if (since !== undefined && since < e.at) extra.onStandbyMs = e.at - since;
    }
    if (e.kind === 'connection_up') {
      const down = h.lastDownAt(e.connectionId);
      if (down !== undefined && down < e.at) extra.downForMs = e.at - down;
    }
    if (e.kind !== 'failover' && e.kind !== 'failback' && e.kind !== 'connection_up') return e;
    return Object.keys(extra).length > 0 ? { ...e, detail: { ...e.detail, ...extra } } : e;
  });
}
