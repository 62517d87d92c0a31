// The part of a region's topology one connection depends on: its VPN gateway, that gateway's VPC,
// the VPC's vSwitches and the route table each vSwitch actually uses. Shared by routing and filtering.
import type {
  Collected,
  Connection,
  RouteTable,
  Topology,
  Vpc,
  VpnGateway,
  VSwitch,
} from '../../model/snapshot.js';
import type { TopologyIndex } from './topology-index.js';

/**
 * The topology to evaluate, or null when it is missing or only partly collected: a partial
 * topology (a failed page of routes or rules) would make absent data look like a missing route.
 */
export function usableTopology(collected: Collected<Topology> | null | undefined): Topology | null {
  return collected?.complete ? collected.data : null;
}

/** A vSwitch with the route table that serves it. */
export interface VswitchTable {
  vswitch: VSwitch;
  table: RouteTable;
}

export interface GatewayScope {
  gateway: VpnGateway;
  vpc: Vpc;
  vswitches: VSwitch[];
  systemTable: RouteTable;
  /** Every vSwitch of the VPC with its effective table: a Custom table bound to it, else the System table. */
  effective: VswitchTable[];
}

export type ScopeResult = { scope: GatewayScope; reason: null } | { scope: null; reason: string };

/**
 * Finds the connection's gateway, VPC and route tables, or says what is missing. It depends only
 * on the gateway: with an index, each gateway's scope is looked up once per topology.
 */
export function gatewayScope(
  conn: Connection,
  topo: Topology | null,
  index?: TopologyIndex | null,
): ScopeResult {
  if (!topo) return { scope: null, reason: 'topology not collected (or collected incompletely)' };
  if (index?.topo === topo)
    return index.once(`scope|${conn.vpnGatewayId}`, () => scopeOfGateway(conn.vpnGatewayId, topo));
  return scopeOfGateway(conn.vpnGatewayId, topo);
}

function scopeOfGateway(vpnGatewayId: string, topo: Topology): ScopeResult {
  const gateway = topo.gateways.find((g) => g.id === vpnGatewayId);
  if (!gateway) return { scope: null, reason: `VPN gateway ${vpnGatewayId} not in the topology` };
  const vpc = topo.vpcs.find((v) => v.id === gateway.vpcId);
  if (!vpc) return { scope: null, reason: `VPC ${gateway.vpcId} of ${gateway.id} not in the topology` };
  const tables = topo.routeTables.filter((t) => t.vpcId === vpc.id);
  const systemTable = tables.find((t) => t.type.toLowerCase() === 'system');
  if (!systemTable) return { scope: null, reason: `no System route table collected for ${vpc.id}` };
  const vswitches = topo.vswitches.filter((s) => s.vpcId === vpc.id);
  const effective = vswitches.map((vswitch) => ({
    vswitch,
    table:
      tables.find((t) => t.type.toLowerCase() !== 'system' && t.vswitchIds.includes(vswitch.id)) ??
      systemTable,
  }));
  return { scope: { gateway, vpc, vswitches, systemTable, effective }, reason: null };
}

/** Effective tables with the vSwitches each serves, in first-seen order (one remediation per table). */
export function tablesInUse(
  effective: readonly VswitchTable[],
): { table: RouteTable; vswitchIds: string[] }[] {
  const byId = new Map<string, { table: RouteTable; vswitchIds: string[] }>();
  for (const { vswitch, table } of effective) {
    const entry = byId.get(table.id) ?? { table, vswitchIds: [] };
    entry.vswitchIds.push(vswitch.id);
    byId.set(table.id, entry);
  }
  return [...byId.values()];
}
