// Metrics of the on-prem side (`peers:`): alivpn_peer_up{peer} says whether VICI answered; the SA
// series carry the tunnel labels plus `peer`, for the tunnels a peer was matched to. An unreachable
// peer exports `alivpn_peer_up 0` and no SA series (unknown, not down).
import { reportRole } from '../model/derive.js';
import type { Connection, Snapshot, Tunnel } from '../model/snapshot.js';
import type { DoctorView } from '../view/doctor-view.js';
import type { LabelSet, ScrapeFamily } from './family.js';

type Make = <L extends string, A extends L = never>(
  type: 'gauge' | 'counter',
  name: string,
  help: string,
  labels: readonly L[],
  absent?: Readonly<Record<A, string>>,
) => ScrapeFamily<L, A>;

/** `tunnelLabels` and which of them may be absent (`absent`), as the registry's tunnel series. */
export function createPeerMetrics<T extends string, A extends T>(
  make: Make,
  tunnelLabels: readonly T[],
  absent: Readonly<Record<A, string>>,
) {
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
      absent,
    ),
    childUp: make(
      'gauge',
      'alivpn_peer_child_sa_up',
      'The peer has an installed CHILD SA for the tunnel.',
      labels,
      absent,
    ),
    bytes: make(
      'counter',
      'alivpn_peer_child_sa_bytes_total',
      "Bytes through the peer's CHILD SAs of the tunnel (current SAs; resets at rekey).",
      [...labels, 'direction'] as const,
      absent,
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
        const l = { ...pick(tunnelLabels, c, t), peer: side.peer } as LabelSet<T | 'peer', A>;
        f.ikeUp.add(l, side.ikeSaState === 'ESTABLISHED' ? 1 : 0);
        f.childUp.add(l, side.childSaUp ? 1 : 0);
        f.bytes.add({ ...l, direction: 'in' } as LabelSet<T | 'peer' | 'direction', A>, side.bytesIn);
        f.bytes.add({ ...l, direction: 'out' } as LabelSet<T | 'peer' | 'direction', A>, side.bytesOut);
      }
    },
  };
}

/** The tunnel's labels as the registry's tunnel series have them; an empty value is left out. */
function pick<T extends string>(names: readonly T[], c: Connection, t: Tunnel): Partial<Record<T, string>> {
  const all: Record<string, string> = {
    account: c.account,
    region: c.region,
    vpn_gateway_id: c.vpnGatewayId,
    connection_id: c.id,
    tunnel_id: t.id,
    role: reportRole(t.role),
  };
  return Object.fromEntries(names.flatMap((n) => (all[n] ? [[n, all[n]]] : []))) as Partial<
    Record<T, string>
  >;
}
