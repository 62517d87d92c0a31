// Which cloud tunnel each IKE connection of a peer serves. A gateway IP is shared by every
// connection of the gateway, so the address alone is not enough: the peer's remote_addrs must hold the
// tunnel IP, and the customer gateway IP (local_addrs or the SA's NAT'd address), the IDs and the
// selectors decide between connections. A peer's `connections:` list narrows the candidates.
import type { PeerConnConfig, PeerIkeSa, PeerSnapshot } from '../model/peer.js';
import type { Connection, Tunnel } from '../model/snapshot.js';
import { peerLocalId, peerRemoteId, routeBased } from './swanctl-generate.js';

export interface PeerTunnelMatch {
  peer: string;
  connection: Connection;
  tunnel: Tunnel;
  conn: PeerConnConfig;
  /** The connection's IKE_SA, established first; null when none exists. */
  sa: PeerIkeSa | null;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

function score(conn: PeerConnConfig, c: Connection, t: Tunnel, sa: PeerIkeSa | null): number {
  if (!conn.remoteAddrs.includes(t.ip) && sa?.remoteHost !== t.ip) return -1;
  let n = 1;
  if (
    t.customerGatewayIp &&
    (conn.localAddrs.includes(t.customerGatewayIp) || sa?.localHost === t.customerGatewayIp)
  )
    n += 4;
  if (conn.localId && conn.localId === peerLocalId(t)) n += 2;
  if (conn.remoteId && conn.remoteId === peerRemoteId(t)) n += 2;
  const local = routeBased(c) ? ['0.0.0.0/0'] : c.remoteSubnets;
  const remote = routeBased(c) ? ['0.0.0.0/0'] : c.localSubnets;
  if (conn.children.some((ch) => sameSet(ch.localTs, local) && sameSet(ch.remoteTs, remote))) n += 3;
  return n;
}

export function saOf(snapshot: PeerSnapshot, conn: PeerConnConfig): PeerIkeSa | null {
  const sas = snapshot.sas.filter((s) => s.name === conn.name);
  return sas.find((s) => s.state === 'ESTABLISHED') ?? sas[0] ?? null;
}

/**
 * Matches each peer IKE connection to the best-scoring cloud tunnel; a tie between tunnels of
 * different connections is left unmatched rather than guessed.
 */
export function matchPeer(
  snapshot: PeerSnapshot,
  connections: readonly Connection[],
  only: readonly string[] = [],
): PeerTunnelMatch[] {
  const candidates = only.length > 0 ? connections.filter((c) => only.includes(c.id)) : connections;
  const out: PeerTunnelMatch[] = [];
  const taken = new Set<string>();
  for (const conn of snapshot.conns) {
    const sa = saOf(snapshot, conn);
    let best: { n: number; c: Connection; t: Tunnel }[] = [];
    for (const c of candidates) {
      for (const t of c.tunnels) {
        const n = score(conn, c, t, sa);
        if (n < 0) continue;
        if (best.length === 0 || n > best[0]!.n) best = [{ n, c, t }];
        else if (n === best[0]!.n) best.push({ n, c, t });
      }
    }
    if (best.length !== 1 || taken.has(best[0]!.t.id)) continue;
    taken.add(best[0]!.t.id);
    out.push({ peer: snapshot.name, connection: best[0]!.c, tunnel: best[0]!.t, conn, sa });
  }
  return out;
}
