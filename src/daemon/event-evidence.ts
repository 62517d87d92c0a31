// Attach the evidence captured in the same cycle to a tunnel's events, so the timeline shows what
// Alibaba said at the time (its diagnosis and the gateway's log lines) long after it forgot.
import type { RegionUpdate } from '../collect/merge.js';
import type { VpnEvent } from '../model/events.js';
import type { TunnelEvidence } from '../model/snapshot.js';

/** Log lines kept with an event: enough to recognise the failure, small enough for every event. */
const LOG_LINES_PER_EVENT = 8;
/** When the gateway has logged only DEBUG lines so far, the last few still show what it was doing. */
const DEBUG_LINES_PER_EVENT = 3;

const DEBUG = /\[DEBUG\]/;
/** Only the events that mark a tunnel's own change carry its evidence (not failover, up, or findings). */
const WITH_EVIDENCE: ReadonlySet<VpnEvent['kind']> = new Set(['tunnel_down', 'tunnel_status_changed']);

function summary(e: TunnelEvidence): Record<string, unknown> {
  const diagnosis = (e.diagnosis ?? []).map((d) => ({
    code: d.failedReasonCode,
    reason: d.failedReason,
    ...(d.mismatchLocal && { local: d.mismatchLocal }),
    ...(d.mismatchRemote && { remote: d.mismatchRemote }),
    ...(d.sourceLog && { log: d.sourceLog }),
  }));
  const lines = e.logs?.lines ?? [];
  const significant = lines.filter((l) => !DEBUG.test(l));
  const logs =
    significant.length > 0 ? significant.slice(-LOG_LINES_PER_EVENT) : lines.slice(-DEBUG_LINES_PER_EVENT);
  return {
    ...(diagnosis.length > 0 && { diagnosis }),
    // A cause kept from an earlier capture of the same outage says when it was captured.
    ...(diagnosis.length > 0 && e.carriedFrom !== undefined && { diagnosisCapturedAt: e.carriedFrom }),
    ...(logs.length > 0 && { logs }),
  };
}

export function withEvidence(events: readonly VpnEvent[], updates: readonly RegionUpdate[]): VpnEvent[] {
  const byTunnel = new Map<string, TunnelEvidence>();
  for (const u of updates) for (const [id, e] of Object.entries(u.evidence ?? {})) byTunnel.set(id, e);
  return events.map((event) => {
    const evidence = event.tunnelId ? byTunnel.get(event.tunnelId) : undefined;
    if (!evidence || !WITH_EVIDENCE.has(event.kind)) return event;
    return { ...event, detail: { ...event.detail, ...summary(evidence) } };
  });
}
