// The VPC route tables as Alibaba shows them: a table's entries are what the scenario states plus
// the vSwitch routes the system adds and, for tables that receive them, the VPN gateway routes that
// are published; the System table serves every vSwitch that no Custom table claims.
import { makeId } from '../world/ids.js';
import type { Region, RouteTable, RouteTableEntry } from '../world/types.js';

/** vSwitches associated with a table (explicit for Custom, the unclaimed ones for System). */
export function tableVSwitchIds(region: Region, table: RouteTable): string[] {
  if (table.type === 'Custom') return [...table.vswitchIds];
  const claimed = new Set(
    region.routeTables
      .filter((t) => t.type === 'Custom' && t.vpcId === table.vpcId)
      .flatMap((t) => t.vswitchIds),
  );
  return region.vswitches.filter((s) => s.vpcId === table.vpcId && !claimed.has(s.id)).map((s) => s.id);
}

/** The table a vSwitch uses. */
export function tableOfVSwitch(region: Region, vswitchId: string, vpcId: string): RouteTable | undefined {
  return (
    region.routeTables.find((t) => t.type === 'Custom' && t.vswitchIds.includes(vswitchId)) ??
    region.routeTables.find((t) => t.type === 'System' && t.vpcId === vpcId)
  );
}

/** Every entry of the table, in the order Alibaba lists them: system routes, then the rest. */
export function routeTableEntries(region: Region, table: RouteTable): RouteTableEntry[] {
  const system: RouteTableEntry[] = region.vswitches
    .filter((s) => s.vpcId === table.vpcId)
    .map((s) => ({
      id: makeId('rte', region.id, `${table.id}/system/${s.id}`),
      dest: s.cidr,
      nextHopType: 'local',
      nextHopId: '',
      type: 'System',
      status: 'Available',
      origin: 'SystemCreate',
      description: '',
    }));
  const vpn: RouteTableEntry[] = [];
  if (table.receivesVpnRoutes) {
    const gateways = new Set(region.vpnGateways.filter((g) => g.vpcId === table.vpcId).map((g) => g.id));
    const seen = new Set<string>();
    for (const r of region.vpnRoutes) {
      const key = `${r.vpnGatewayId}|${r.dest}`;
      if (!r.published || !gateways.has(r.vpnGatewayId) || seen.has(key)) continue;
      seen.add(key);
      vpn.push({
        id: makeId('rte', region.id, `${table.id}/vpn/${key}`),
        dest: r.dest,
        nextHopType: 'VpnGateway',
        nextHopId: r.vpnGatewayId,
        type: 'Custom',
        status: 'Available',
        origin: r.kind === 'bgp' ? 'RoutePropagation' : 'CustomCreate',
        description: '',
      });
    }
  }
  return [...system, ...table.entries, ...vpn];
}
