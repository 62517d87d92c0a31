// The VPC route tables as Alibaba shows them: a table's entries are the vSwitch routes the system
// adds, the scenario's own entries and, for a table that receives them (the System table by
// default), one entry per destination a VPN gateway of the VPC publishes at that instant.
import { makeId } from '../world/ids.js';
import { vpnRoutesAt } from '../world/routing.js';
import type { Region, RouteTable, RouteTableEntry, WorldState } from '../world/types.js';

/** The table that serves a vSwitch: its bound Custom table, else the VPC's System table. */
export function routeTableForVSwitch(region: Region, vswitchId: string): RouteTable | undefined {
  const vsw = region.vswitches.find((s) => s.id === vswitchId);
  if (!vsw) return undefined;
  return (
    region.routeTables.find((t) => t.type === 'Custom' && t.vswitchIds.includes(vswitchId)) ??
    region.routeTables.find((t) => t.vpcId === vsw.vpcId && t.type === 'System')
  );
}

/** vSwitches a table serves: its own for a Custom table, every unclaimed one of the VPC for System. */
export function tableVSwitchIds(region: Region, table: RouteTable): string[] {
  if (table.type === 'Custom') return [...table.vswitchIds];
  return region.vswitches
    .filter((s) => s.vpcId === table.vpcId && routeTableForVSwitch(region, s.id) === table)
    .map((s) => s.id);
}

export function routeTableEntriesAt(
  world: WorldState,
  region: Region,
  table: RouteTable,
  now: number,
): RouteTableEntry[] {
  const local: RouteTableEntry[] = region.vswitches
    .filter((s) => s.vpcId === table.vpcId)
    .map((s) => ({
      id: makeId('rte', region.id, `${table.id}/local/${s.id}`),
      dest: s.cidr,
      nextHopType: 'local',
      nextHopId: '',
      type: 'System',
      status: 'Available',
      origin: 'SystemCreate',
      description: '',
    }));
  const entries = [...local, ...table.entries];
  if (!table.receivesVpnRoutes) return entries;
  const seen = new Set(entries.map((e) => e.dest));
  for (const gw of region.vpnGateways.filter((g) => g.vpcId === table.vpcId)) {
    for (const route of vpnRoutesAt(world, region, gw.id, now)) {
      // CLOUD routes are the VPC's own CIDRs learned back from the VPC: never re-published to it.
      if (!route.published || route.origin === 'CLOUD' || seen.has(route.dest)) continue;
      seen.add(route.dest);
      entries.push({
        id: makeId('rte', region.id, `${table.id}/vpn/${route.dest}`),
        dest: route.dest,
        nextHopType: 'VpnGateway',
        nextHopId: gw.id,
        type: 'Custom',
        status: 'Available',
        origin: route.kind === 'bgp' ? 'RoutePropagation' : 'CustomCreate',
        description: '',
      });
    }
  }
  return entries;
}
