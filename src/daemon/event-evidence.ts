// Attach the evidence captured in the same cycle to a tunnel's events, so the timeline shows what
// Alibaba said at the time (its diagnosis and the gateway's log lines) long after it forgot.
import type { RegionUpdate } from '../collect/merge.js';
import type { VpnEvent } from '../model/events.js';
import type { TunnelEvidence } from '../model/snapshot.js';

/** Log lines kept with an event: enough to recognise the failure, small enough for every event. */
const LOG_LINES_PER_EVENT = 8;

const NOISE = /\[DEBUG\]/;

function summary(e: TunnelEvidence): Record<string, unknown> {
  const diagnosis = (e.diagnosis ?? []).map((d) => ({
    code: d.failedReasonCode,
    reason: d.failedReason,
    ...(d.mismatchLocal && { local: d.mismatchLocal }),
    ...(d.mismatchRemote && { remote: d.mismatchRemote }),
    ...(d.sourceLog && { log: d.sourceLog }),
  }));
  const lines = e.logs?.lines ?? [];
  const significant = lines.filter((l) => !NOISE.test(l));
  const logs = (significant.length > 0 ? significant : lines).slice(-LOG_LINES_PER_EVENT);
  return { ...(diagnosis.length > 0 && { diagnosis }), ...(logs.length > 0 && { logs }) };
}

export function withEvidence(events: readonly VpnEvent[], updates: readonly RegionUpdate[]): VpnEvent[] {
  const byTunnel = new Map<string, TunnelEvidence>();
  for (const u of updates) for (const [id, e] of Object.entries(u.evidence ?? {})) byTunnel.set(id, e);
  return events.map((event) => {
    const evidence = event.tunnelId ? byTunnel.get(event.tunnelId) : undefined;
    if (!evidence || event.kind === 'tunnel_up') return event;
    return { ...event, detail: { ...event.detail, ...summary(evidence) } };
  });
}
