// Which tunnels the evidence tier should look at: those not established, and those that just
// changed (Alibaba keeps a failure's error code only ~3 minutes, so a transition is the moment).
import type { VpnEvent } from '../model/events.js';
import type { RegionSnapshot } from '../model/snapshot.js';
import type { EvidenceTarget } from './evidence.js';

const TRANSITIONS: ReadonlySet<VpnEvent['kind']> = new Set([
  'tunnel_down',
  'tunnel_up',
  'tunnel_status_changed',
  'failover',
  'failback',
]);

/**
 * Evidence targets of one region: tunnels that just transitioned first, then the other tunnels not
 * `ipsec_sa_established`, in connection order. Regions whose status is unknown yield none.
 */
export function evidenceTargets(region: RegionSnapshot, events: readonly VpnEvent[] = []): EvidenceTarget[] {
  if (!region.connections.complete) return [];
  const changed = new Set(
    events.filter((e) => TRANSITIONS.has(e.kind) && e.tunnelId).map((e) => e.tunnelId as string),
  );
  const all = region.connections.data.flatMap((connection) =>
    connection.tunnels.map((tunnel) => ({ connection, tunnel })),
  );
  const first = all.filter((t) => changed.has(t.tunnel.id));
  const down = all.filter((t) => !changed.has(t.tunnel.id) && !t.tunnel.ipsecSaUp);
  return [...first, ...down];
}
