// Routing facts of one connection: VPN gateway routes, VPC route tables, conflicts and overlaps.
// Answers the FAQ "phase 2 is up but ping fails" on the routing side, with the values a fix needs.

import { type Cidr, cidrsOverlap } from '../../model/addressing.js';
import type { Connection, Topology, VpnRoute } from '../../model/snapshot.js';
import { anyTunnelEstablished } from '../../model/tunnel-health.js';
import type { FactDoc } from './catalogue.js';
import { withJa } from './localized.js';
import { factDoc } from './provider.js';
import { gatewayScope, tablesInUse } from './routing-scope.js';
import { describeEntry, evaluateTable } from './routing-vpc.js';
import {
  type CidrInput,
  cidrsWithoutVpnRoute,
  hasPublishedRoute,
  isDefaultRoute,
  isPublished,
  onPremCidrs,
  type RoutingMode,
  readCidr,
  routesOfConnection,
  routingMode,
  type VpnRouteFact,
  vpnRouteFact,
} from './routing-vpn.js';
import type { TopologyIndex } from './topology-index.js';

export type { RoutingMode, VpnRouteFact } from './routing-vpn.js';

/** vSwitch → effective route table. */
export interface VswitchRouteFact {
  vswitchId: string;
  zone: string;
  cidr: string;
  routeTableId: string;
  routeTableType: string;
}

/** An on-prem CIDR a route table in use does not send to the VPN gateway. */
export interface MissingVpcRoute {
  cidr: string;
  routeTableId: string;
  routeTableType: string;
  vswitchIds: string[];
  /** What the table does with the CIDR instead (its longest-prefix match, or "no route"). */
  lookup: string;
  text: string;
}

/** The fixes of one route table: the on-prem CIDRs it must send to the gateway. */
export interface MissingVpcRouteTable {
  routeTableId: string;
  routeTableType: string;
  vswitchIds: string[];
  cidrs: string[];
}

/** A more-specific VPC route that sends part of an on-prem CIDR to another next hop. */
export interface RouteConflict {
  cidr: string;
  dest: string;
  nextHopType: string;
  nextHopId: string;
  routeTableId: string;
  vswitchIds: string[];
  text: string;
}

/** An on-prem CIDR that overlaps a cloud-side block. */
export interface CidrOverlap {
  onPrem: string;
  other: string;
  /** vpc: a CIDR block of the gateway's VPC; local-subnet: the connection's LocalSubnet. */
  otherKind: 'vpc' | 'local-subnet';
  otherId: string;
  text: string;
}

export interface RoutingFacts {
  known: boolean;
  unknownReason: string | null;
  mode: RoutingMode;
  vpnGatewayId: string;
  vpcId: string | null;
  onPremCidrs: string[];
  /** Routes are learned over BGP (EnableTunnelsBgp). */
  dynamic: boolean;
  /** Some tunnel's BGP session is up. */
  bgpUp: boolean;
  /** Some tunnel is established (phase 2): traffic could flow. */
  tunnelUp: boolean;
  /** EffectImmediately is off: tunnels negotiate only when traffic arrives, so routes must exist first. */
  negotiatesOnTraffic: boolean;
  vpnRoutes: VpnRouteFact[];
  noVpnRoutes: boolean;
  missingVpnRoutes: string[];
  unpublishedVpnRoutes: VpnRouteFact[];
  vswitches: VswitchRouteFact[];
  missingVpcRoutes: MissingVpcRoute[];
  missingVpcRouteTables: MissingVpcRouteTable[];
  missingVpcRouteCidrs: string[];
  conflictingRoutes: RouteConflict[];
  overlappingCidrs: CidrOverlap[];
  invalidCidrs: string[];
}

function overlaps(conn: Connection, onPrem: readonly Cidr[], vpc: { id: string; blocks: string[] } | null) {
  const others: { input: CidrInput; kind: CidrOverlap['otherKind']; id: string }[] = [
    ...conn.localSubnets
      .filter((s) => s.trim() !== '0.0.0.0/0')
      .map((s) => ({
        input: readCidr(s, `LocalSubnet of ${conn.id}`),
        kind: 'local-subnet' as const,
        id: conn.id,
      })),
    ...(vpc?.blocks ?? []).map((b) => ({
      input: readCidr(b, `CIDR of ${vpc?.id}`),
      kind: 'vpc' as const,
      id: vpc?.id ?? '',
    })),
  ];
  const out: CidrOverlap[] = [];
  const seen = new Set<string>();
  for (const c of onPrem.filter((c) => !isDefaultRoute(c))) {
    for (const o of others) {
      const key = `${c.text}|${o.input.cidr?.text}`;
      if (!o.input.cidr || !cidrsOverlap(c, o.input.cidr) || seen.has(key)) continue;
      seen.add(key);
      const what =
        o.kind === 'vpc' ? `CIDR block ${o.input.cidr.text} of ${o.id}` : `LocalSubnet ${o.input.cidr.text}`;
      const whatJa =
        o.kind === 'vpc'
          ? `${o.id} の CIDR ブロック ${o.input.cidr.text}`
          : `ローカルネットワーク (LocalSubnet) ${o.input.cidr.text}`;
      out.push(
        withJa(
          {
            onPrem: c.text,
            other: o.input.cidr.text,
            otherKind: o.kind,
            otherId: o.id,
            text: `on-prem ${c.text} overlaps ${what}`,
          },
          { text: `オンプレミスの ${c.text} が ${whatJa} と重複しています` },
        ),
      );
    }
  }
  return out;
}

/** Dual-tunnel gateways list a route once per tunnel: one fix per destination is enough. */
function oncePerDest(routes: readonly VpnRoute[]): VpnRoute[] {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.kind}|${r.dest}|${r.source ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function byTable(missing: readonly MissingVpcRoute[]): MissingVpcRouteTable[] {
  const tables = new Map<string, MissingVpcRouteTable>();
  for (const m of missing) {
    const t = tables.get(m.routeTableId) ?? {
      routeTableId: m.routeTableId,
      routeTableType: m.routeTableType,
      vswitchIds: m.vswitchIds,
      cidrs: [],
    };
    t.cidrs.push(m.cidr);
    tables.set(m.routeTableId, t);
  }
  return [...tables.values()];
}

/** Everything routing-related about `conn`; `known` is false when the topology cannot answer. */
export function routingFacts(
  conn: Connection,
  topo: Topology | null,
  topologyIndex?: TopologyIndex | null,
): RoutingFacts {
  const routes = routesOfConnection(conn, topo, topologyIndex);
  // onPremCidrs only reads this connection's routes: the pre-filtered list gives the same answer.
  const inputs = onPremCidrs(conn, routes);
  const onPrem = inputs.map((i) => i.cidr).filter((c): c is Cidr => c !== null);
  const { scope, reason } = gatewayScope(conn, topo, topologyIndex);
  const base: RoutingFacts = {
    known: false,
    unknownReason: reason,
    mode: routingMode(conn),
    vpnGatewayId: conn.vpnGatewayId,
    vpcId: scope?.vpc.id ?? null,
    onPremCidrs: onPrem.map((c) => c.text),
    dynamic: conn.enableTunnelsBgp,
    bgpUp: conn.tunnels.some((t) => t.bgp?.up === true),
    tunnelUp: anyTunnelEstablished(conn),
    negotiatesOnTraffic: !conn.effectImmediately,
    vpnRoutes: routes.map(vpnRouteFact),
    noVpnRoutes: routes.length === 0,
    missingVpnRoutes: [],
    unpublishedVpnRoutes: [],
    vswitches: [],
    missingVpcRoutes: [],
    missingVpcRouteTables: [],
    missingVpcRouteCidrs: [],
    conflictingRoutes: [],
    overlappingCidrs: overlaps(conn, onPrem, null),
    invalidCidrs: inputs.flatMap((i) => (i.problem ? [i.problem] : [])),
  };
  if (!scope) return base;

  const inUse = tablesInUse(scope.effective);
  const systemInUse = inUse.some((u) => u.table.id === scope.systemTable.id);
  const missingVpcRoutes: MissingVpcRoute[] = [];
  const conflictingRoutes: RouteConflict[] = [];
  for (const { table, vswitchIds } of inUse) {
    const isSystem = table.id === scope.systemTable.id;
    for (const c of onPrem) {
      const v = evaluateTable(table, c, conn.vpnGatewayId, topologyIndex);
      // In the System table, a CIDR without a published VPN route is the VPN route's fault (publishing adds it).
      if (!v.reaches && !(isSystem && !hasPublishedRoute(c, routes))) {
        missingVpcRoutes.push(
          withJa(
            {
              cidr: c.text,
              routeTableId: table.id,
              routeTableType: table.type,
              vswitchIds,
              lookup: v.lookup,
              text: `route table ${table.id} (${table.type}, ${vswitchIds.join(', ')}) sends ${c.text} to ${v.lookup}, not ${conn.vpnGatewayId}`,
            },
            {
              text: `ルートテーブル ${table.id} (${table.type}、${vswitchIds.join(', ')}) は ${c.text} を ${conn.vpnGatewayId} ではなく ${v.lookup} に転送します`,
            },
          ),
        );
      }
      if (isDefaultRoute(c)) continue; // a default route to on-prem is expected to be overridden
      for (const e of v.conflicts) {
        conflictingRoutes.push(
          withJa(
            {
              cidr: c.text,
              dest: e.dest,
              nextHopType: e.nextHopType,
              nextHopId: e.nextHopId,
              routeTableId: table.id,
              vswitchIds,
              text: `route table ${table.id}: ${describeEntry(e)} takes part of on-prem ${c.text} away from ${conn.vpnGatewayId}`,
            },
            {
              text: `ルートテーブル ${table.id}: ${describeEntry(e)} により、オンプレミスの ${c.text} の一部が ${conn.vpnGatewayId} に転送されません`,
            },
          ),
        );
      }
    }
  }
  const systemReaches = (dest: string): boolean => {
    const c = readCidr(dest, 'VPN route').cidr;
    return c === null || evaluateTable(scope.systemTable, c, conn.vpnGatewayId, topologyIndex).reaches;
  };
  // Object.assign, not a spread: see mergeFacts (localized.ts). Every connection gets these facts.
  return Object.assign(base, {
    known: true,
    unknownReason: null,
    missingVpnRoutes: cidrsWithoutVpnRoute(onPrem, routes).map((c) => c.text),
    unpublishedVpnRoutes: systemInUse
      ? oncePerDest(routes.filter((r) => !isPublished(r) && !systemReaches(r.dest))).map(vpnRouteFact)
      : [],
    vswitches: scope.effective.map(({ vswitch, table }) => ({
      vswitchId: vswitch.id,
      zone: vswitch.zone,
      cidr: vswitch.cidr,
      routeTableId: table.id,
      routeTableType: table.type,
    })),
    missingVpcRoutes,
    missingVpcRouteTables: byTable(missingVpcRoutes),
    missingVpcRouteCidrs: [...new Set(missingVpcRoutes.map((m) => m.cidr))],
    conflictingRoutes,
    overlappingCidrs: overlaps(conn, onPrem, { id: scope.vpc.id, blocks: scope.vpc.cidrBlocks }),
  });
}

const f = factDoc('routing');

/** Every routing fact a rule may name. */
export const ROUTING_FACTS: FactDoc[] = [
  f(
    'known',
    'bool',
    'The topology (gateway, VPC, route tables) was collected completely; false = routing unknown',
  ),
  f('unknownReason', 'string|null', 'Why routing is unknown (null when known)'),
  f(
    'mode',
    'string',
    '"destination" (LocalSubnet/RemoteSubnet 0.0.0.0/0) or "protected-flow" (specific CIDRs)',
  ),
  f('vpnGatewayId', 'string', 'The VPN gateway (vpn-…) VPC routes must point to'),
  f('vpcId', 'string|null', "The gateway's VPC (null when unknown)"),
  f(
    'onPremCidrs',
    'list<string>',
    'On-prem CIDRs: specific RemoteSubnet CIDRs, else the dests of VPN routes to this connection',
  ),
  f('dynamic', 'bool', 'BGP is enabled on the connection: routes are learned, not configured'),
  f('bgpUp', 'bool', "Some tunnel's BGP session is up"),
  f('tunnelUp', 'bool', 'Some tunnel is established (phase 2), so traffic could flow'),
  f(
    'negotiatesOnTraffic',
    'bool',
    'EffectImmediately is off: tunnels come up only when traffic is routed to them',
  ),
  f(
    'vpnRoutes',
    'list<map>',
    'VPN gateway routes to this connection: {dest, kind, source, state, published, nextHopTunnelId, text}',
  ),
  f('noVpnRoutes', 'bool', 'The VPN gateway has no route (custom, BGP or policy) to this connection'),
  f('missingVpnRoutes', 'list<string>', 'On-prem CIDRs with no VPN gateway route to this connection'),
  f(
    'unpublishedVpnRoutes',
    'list<map>',
    'VPN routes to this connection not published although the System route table lacks them (same shape as vpnRoutes)',
  ),
  f(
    'vswitches',
    'list<map>',
    "The VPC's vSwitches and their effective route tables: {vswitchId, zone, cidr, routeTableId, routeTableType}",
  ),
  f(
    'missingVpcRoutes',
    'list<map>',
    'Route tables in use that do not send an on-prem CIDR to the gateway: {cidr, routeTableId, routeTableType, vswitchIds, lookup, text}',
  ),
  f(
    'missingVpcRouteTables',
    'list<map>',
    'The same grouped per route table (one fix each): {routeTableId, routeTableType, vswitchIds, cidrs}',
  ),
  f(
    'missingVpcRouteCidrs',
    'list<string>',
    'On-prem CIDRs some route table in use does not send to the gateway',
  ),
  f(
    'conflictingRoutes',
    'list<map>',
    'More-specific VPC routes sending part of an on-prem CIDR to another next hop: {cidr, dest, nextHopType, nextHopId, routeTableId, vswitchIds, text}',
  ),
  f(
    'overlappingCidrs',
    'list<map>',
    'On-prem CIDRs overlapping the VPC CIDR or LocalSubnet: {onPrem, other, otherKind, otherId, text}',
  ),
  f('invalidCidrs', 'list<string>', 'RemoteSubnet or route CIDRs that could not be parsed, with the reason'),
];
