// The documented shapes of every answer the topology, evidence and traffic tiers read (the status
// tier's DescribeVpnConnections is in shape.ts, with the mechanism). Each schema asks for what the
// collector relies on: the list where Alibaba puts it (docs/ wire names; the SDK model's camelCase
// here), the paging count, and the id of every row. A 200 that lacks them (`{}`, `null`, the list
// replaced by a string, a row without its id) fails the call as `BadResponse`, so the tier is unknown
// for that region, instead of reading as "no routes", "no ACL rules" or "no traffic". Everything
// else stays optional: the SDK drops unknown keys and coerces scalars, and real answers omit
// empty optional fields.
import { z } from 'zod';

const id = z.string({ error: 'missing' }).min(1, 'empty');
/** TotalCount: a number (the SDK coerces "3" to 3), or a digit string where the model says string (DescribeNetworkAcls). */
const total = z.union([z.number().finite(), z.string().regex(/^\d+$/)], {
  error: 'missing or not a number',
});
const list = <T extends z.ZodType>(row: T) => z.array(row, { error: 'missing or not a list' });
/** `{ Outer: { Inner: [rows] } }`, Alibaba's usual list wrapper. */
const wrapped = <K extends string, T extends z.ZodType>(key: K, row: T) =>
  z.looseObject({ [key]: list(row) } as Record<K, z.ZodArray<T>>, { error: 'missing or not an object' });
/** NextToken paging: absent, null or a string. */
const nextToken = z.string().nullish();

/** PageNumber/PageSize/TotalCount list under `outer.inner`, rows carrying `rowId`. */
function numberedPage(outer: string, inner: string, rowId: string) {
  return z.looseObject({
    totalCount: total,
    [outer]: wrapped(inner, z.looseObject({ [rowId]: id })),
  });
}

// Topology: the gateways and customer gateways of the watched connections, their routes, their VPCs.
export const vpnGatewaysPage = numberedPage('vpnGateways', 'vpnGateway', 'vpnGatewayId');
export const customerGatewaysPage = numberedPage('customerGateways', 'customerGateway', 'customerGatewayId');
export const vpcsPage = numberedPage('vpcs', 'vpc', 'vpcId');
export const vswitchesPage = numberedPage('vSwitches', 'vSwitch', 'vSwitchId');
export const routeTablesPage = numberedPage('routerTableList', 'routerTableListType', 'routeTableId');
export const networkAclsPage = numberedPage('networkAcls', 'networkAcl', 'networkAclId');

/** A VPN route's destination is what the routing rules match on. */
const vpnRoute = z.looseObject({ routeDest: z.string({ error: 'missing' }).min(1, 'empty') });
export const vpnRouteEntriesPage = z.looseObject({
  totalCount: total,
  vpnRouteEntries: wrapped('vpnRouteEntry', vpnRoute),
});
export const vpnPbrRouteEntriesPage = z.looseObject({
  totalCount: total,
  vpnPbrRouteEntries: wrapped('vpnPbrRouteEntry', vpnRoute),
});

/** DescribeRouteEntryList (NextToken paging; the list is spelled `RouteEntrys`). */
export const routeEntriesPage = z.looseObject({
  nextToken,
  routeEntrys: wrapped(
    'routeEntry',
    z.looseObject({ destinationCidrBlock: z.string({ error: 'missing' }).min(1, 'empty') }),
  ),
});

export const networkAclAttributes = z.looseObject({
  networkAclAttribute: z.looseObject({ networkAclId: id }, { error: 'missing or not an object' }),
});

export const instancesPage = z.looseObject({
  nextToken,
  instances: wrapped('instance', z.looseObject({ instanceId: id })),
});

export const securityGroupAttributePage = z.looseObject({
  nextToken,
  securityGroupId: id,
  permissions: wrapped('permission', z.looseObject({})),
});

// Evidence.
/** DiagnoseVpnConnections: a plain array (no wrapper); single-tunnel rows carry no TunnelId. */
export const diagnosePage = z.looseObject({
  totalCount: total,
  vpnConnections: list(z.looseObject({ vpnConnectionId: id })),
});

/** DescribeVpnConnectionLogs: `Count` (no TotalCount) and `Data.Logs[]` of strings. */
export const connectionLogsPage = z.looseObject({
  count: z.number({ error: 'missing or not a number' }),
  data: z.looseObject(
    { logs: list(z.string({ error: 'not a string' })) },
    { error: 'missing or not an object' },
  ),
});

// Traffic.
function jsonList(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/** DescribeMetricLast: `Success` and `Datapoints`, a JSON string of a list (the traffic tier parses the rows). */
export const metricLastPage = z.looseObject({
  success: z.boolean({ error: 'missing or not a boolean' }),
  datapoints: z.string({ error: 'missing or not a string' }).refine(jsonList, 'not a JSON list in a string'),
  nextToken,
});
