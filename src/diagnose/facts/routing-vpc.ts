// The VPC side of routing: does each route table in use send an on-prem CIDR to the VPN gateway,
// and does a more-specific entry with another next hop take part of that traffic elsewhere?

import {
  type Cidr,
  cachedCidr,
  cidrsOverlap,
  isMoreSpecific,
  longestPrefixMatch,
} from '../../model/addressing.js';
import type { RouteTable, VpcRouteEntry } from '../../model/snapshot.js';
import type { TopologyIndex } from './topology-index.js';

interface ParsedEntry {
  entry: VpcRouteEntry;
  cidr: Cidr;
}

/** IPv4 entries of a table that are in force (IPv6 and malformed destinations are skipped). */
function liveEntries(table: RouteTable): ParsedEntry[] {
  return table.entries
    .filter((e) => e.status.toLowerCase() !== 'deleting')
    .map((entry) => ({ entry, cidr: cachedCidr(entry.dest) }))
    .filter((p): p is ParsedEntry => p.cidr !== null);
}

const toGateway = (e: VpcRouteEntry, gatewayId: string): boolean =>
  e.nextHopType.toLowerCase() === 'vpngateway' && e.nextHopId === gatewayId;

/** "0.0.0.0/0 → NatGateway ngw-1", for evidence. */
export const describeEntry = (e: VpcRouteEntry): string =>
  `${e.dest} → ${e.nextHopType}${e.nextHopId ? ` ${e.nextHopId}` : ''}`;

/**
 * Entries that never count as conflicts: a vSwitch's own CIDR (`local`) or a cloud-service system
 * route (cidr-overlap covers those), and a route to another VPN gateway — a deliberate split of the
 * on-prem range across VPN paths (e.g. a lab subnet through its own gateway), still towards on-prem.
 */
const neverConflicts = (e: VpcRouteEntry): boolean =>
  e.type.toLowerCase() === 'system' ||
  e.nextHopType.toLowerCase() === 'local' ||
  e.nextHopType.toLowerCase() === 'vpngateway';

export interface TableVerdict {
  /** Some entry (containing the CIDR or more specific inside it) sends it to the gateway. */
  reaches: boolean;
  /** What the table does with the whole CIDR: its longest-prefix match, or "no route". */
  lookup: string;
  /** Entries with another next hop that take part of the CIDR's traffic away from the gateway. */
  conflicts: VpcRouteEntry[];
}

/**
 * How `table` routes traffic to on-prem `cidr`. A more-specific entry to the gateway still counts as
 * reaching it. A conflict is an entry to another next hop that overlaps the CIDR and is more
 * specific than a gateway entry it shadows or than the on-prem CIDR itself.
 */
export function evaluateTable(
  table: RouteTable,
  cidr: Cidr,
  gatewayId: string,
  index?: TopologyIndex | null,
): TableVerdict {
  // A table serves many connections: with an index its entries are filtered and parsed once.
  const entries = index ? index.onceFor(table, 'live-entries', () => liveEntries(table)) : liveEntries(table);
  const overlapping = entries.filter((p) => cidrsOverlap(p.cidr, cidr));
  const toVpn = overlapping.filter((p) => toGateway(p.entry, gatewayId));
  const lpm = longestPrefixMatch(cidr, entries, (p) => p.cidr);
  const lookup = lpm ? describeEntry(lpm.entry) : 'no route';
  if (toVpn.length === 0) return { reaches: false, lookup, conflicts: [] };
  const conflicts = overlapping
    .filter((p) => !toGateway(p.entry, gatewayId) && !neverConflicts(p.entry))
    .filter((p) => isMoreSpecific(p.cidr, cidr) || toVpn.some((v) => isMoreSpecific(p.cidr, v.cidr)))
    .map((p) => p.entry);
  return { reaches: true, lookup, conflicts };
}
