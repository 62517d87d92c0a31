// Metrics of the on-prem side (`peers:`): alivpn_peer_up{peer} says whether VICI answered; the SA
// series carry the tunnel labels plus `peer`, for the tunnels a peer was matched to. An unreachable
// peer exports `alivpn_peer_up 0` and no SA series (unknown, not down).
import { reportRole } from '../model/derive.js';
import type { Connection, Snapshot, Tunnel } from '../model/snapshot.js';
import type { DoctorView } from '../view/doctor-view.js';
import type { ScrapeFamily } from './family.js';

type Make = <L extends string>(
  type: 'gauge' | 'counter',
  name: string,
  help: string,
  labels: readonly L[],
) => ScrapeFamily<L>;

export function createPeerMetrics<T extends string>(make: Make, tunnelLabels: readonly T[]) {
  const labels = [...tunnelLabels, 'peer'] as const;
  const f = {
    up: make('gauge', 'alivpn_peer_up', 'The peer answered over VICI at its last read: 1 yes, 0 no.', [
      'peer',
    ]),
    ikeUp: make(
      'gauge',
      'alivpn_peer_ike_sa_up',
      'The peer has an established IKE SA for the tunnel.',
      labels,
    ),
    childUp: make(
      'gauge',
      'alivpn_peer_child_sa_up',
      'The peer has an installed CHILD SA for the tunnel.',
      labels,
    ),
    bytes: make(
      'counter',
      'alivpn_peer_child_sa_bytes_total',
      "Bytes through the peer's CHILD SAs of the tunnel (current SAs; resets at rekey).",
      [...labels, 'direction'] as const,
    ),
  };
  return {
    reset() {
      for (const family of Object.values(f)) family.reset();
    },
    refresh(view: DoctorView, snapshot: Snapshot | null) {
      for (const p of view.peers?.() ?? []) f.up.add({ peer: p.name }, p.reachable ? 1 : 0);
      const connections = new Map<string, Connection>();
      for (const r of snapshot?.regions ?? []) for (const c of r.connections.data) connections.set(c.id, c);
      for (const side of view.peerTunnels?.() ?? []) {
        const c = connections.get(side.connectionId);
        const t = c?.tunnels.find((x) => x.id === side.tunnelId);
        if (!c || !t) continue;
        const l = { ...pick(tunnelLabels, c, t), peer: side.peer } as Record<T | 'peer', string>;
        f.ikeUp.add(l, side.ikeSaState === 'ESTABLISHED' ? 1 : 0);
        f.childUp.add(l, side.childSaUp ? 1 : 0);
        f.bytes.add({ ...l, direction: 'in' } as Record<T | 'peer' | 'direction', string>, side.bytesIn);
        f.bytes.add({ ...l, direction: 'out' } as Record<T | 'peer' | 'direction', string>, side.bytesOut);
      }
    },
  };
}

function pick<T extends string>(names: readonly T[], c: Connection, t: Tunnel): Record<T, string> {
  const all: Record<string, string> = {
    account: c.account,
    region: c.region,
    vpn_gateway_id: c.vpnGatewayId,
    connection_id: c.id,
    connection_name: c.name,
    tunnel_id: t.id,
    role: reportRole(t.role),
  };
  return Object.fromEntries(names.map((n) => [n, all[n] ?? ''])) as Record<T, string>;
}
