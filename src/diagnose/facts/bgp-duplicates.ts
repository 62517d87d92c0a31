// Tunnels on one VPN gateway whose BGP tunnel CIDRs overlap. Checking every tunnel against every
// other is quadratic per gateway; CIDR blocks are either nested or disjoint, so the blocks that
// overlap one block are its ancestors (one lookup per shorter prefix) and the blocks starting inside it
// (a binary search), found once the gateway's tunnels are indexed.

import { type Cidr, cachedCidr, prefixMask } from '../../model/addressing.js';
import type { Connection, Tunnel } from '../../model/snapshot.js';

interface Entry {
  tunnel: Tunnel;
  conn: Connection;
  cidr: Cidr;
  /** Position in the gateway's connection order, then tunnel order. */
  order: number;
}

export interface GatewayTunnels {
  /** Parsable tunnel CIDRs sorted by first address. */
  sorted: Entry[];
  /** "start/prefix" → tunnels with exactly that block. */
  byBlock: Map<string, Entry[]>;
  /** Tunnel id → the first connection (in gateway order) holding a tunnel with that id. */
  firstOwner: Map<string, Connection>;
}

const blockKey = (start: number, prefix: number): string => `${start}/${prefix}`;

/** Indexes the tunnels of the connections on one gateway (in the order given). */
export function gatewayTunnels(connections: readonly Connection[]): GatewayTunnels {
  const entries: Entry[] = [];
  const firstOwner = new Map<string, Connection>();
  for (const conn of connections) {
    for (const tunnel of conn.tunnels) {
      if (!firstOwner.has(tunnel.id)) firstOwner.set(tunnel.id, conn);
      const cidr = cachedCidr(tunnel.bgp?.tunnelCidr ?? '');
      if (cidr) entries.push({ tunnel, conn, cidr, order: entries.length });
    }
  }
  const byBlock = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = blockKey(e.cidr.start, e.cidr.prefix);
    const list = byBlock.get(key);
    if (list) list.push(e);
    else byBlock.set(key, [e]);
  }
  const sorted = [...entries].sort((a, b) => a.cidr.start - b.cidr.start || a.order - b.order);
  return { sorted, byBlock, firstOwner };
}

/** First index in `sorted` whose block starts at or after `start`. */
function lowerBound(sorted: readonly Entry[], start: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.cidr.start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Other tunnels whose CIDR overlaps `mine`: `conn`'s own tunnels first, then the other connections'
 * in gateway order (connections sharing `conn`'s id are left out, as the scan did).
 */
export function overlappingTunnels(
  index: GatewayTunnels,
  conn: Connection,
  tunnel: Tunnel,
  mine: Cidr,
): Tunnel[] {
  const found: Entry[] = [];
  // Blocks starting inside mine are inside it (or contain it, when they start where it starts).
  for (let i = lowerBound(index.sorted, mine.start); i < index.sorted.length; i++) {
    const e = index.sorted[i]!;
    if (e.cidr.start > mine.end) break;
    found.push(e);
  }
  // Blocks starting before mine overlap it only by containing it: one candidate block per prefix.
  for (let p = 0; p < mine.prefix; p++) {
    const start = (mine.start & prefixMask(p)) >>> 0;
    if (start === mine.start) continue; // already found by the range above
    for (const e of index.byBlock.get(blockKey(start, p)) ?? []) found.push(e);
  }
  const own = (e: Entry): number => (e.conn === conn ? 0 : 1);
  return found
    .filter((e) => e.tunnel.id !== tunnel.id && (e.conn === conn || e.conn.id !== conn.id))
    .sort((a, b) => own(a) - own(b) || a.order - b.order)
    .map((e) => e.tunnel);
}
