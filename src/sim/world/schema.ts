// The compact scenario YAML: a case states only what differs from a healthy default.
// `expand.ts` turns a parsed document into the full `World` of `types.ts`.
import { z } from 'zod';
import { FAILED_REASON_CODES } from './types.js';

/** Seconds: a number, or "90s", "4m", "1h", "1m30s". */
export const duration = z.union([
  z.number().nonnegative(),
  z.string().regex(/^(\d+h)?(\d+m)?(\d+s)?$/, 'expected a duration such as 60, "90s", "4m" or "1h"'),
]);

const cidr = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'expected an IPv4 CIDR block such as 192.168.0.0/16');
const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address');
const cidrList = z.union([cidr, z.array(cidr).min(1)]);
const tags = z.record(z.string(), z.string());

export const IKE_ENC_ALGS = ['aes', 'aes192', 'aes256', 'des', '3des', 'sm4'] as const;
export const AUTH_ALGS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'sm3'] as const;
export const DH_GROUPS = ['group1', 'group2', 'group5', 'group14'] as const;
export const PFS_GROUPS = ['disabled', ...DH_GROUPS] as const;

/** Cloud-side IKE settings: only the values Alibaba accepts. */
const ikeInput = z.strictObject({
  version: z.enum(['ikev1', 'ikev2']).optional(),
  mode: z.enum(['main', 'aggressive']).optional(),
  encAlg: z.enum(IKE_ENC_ALGS).optional(),
  authAlg: z.enum(AUTH_ALGS).optional(),
  dhGroup: z.enum(DH_GROUPS).optional(),
  lifetime: z.number().int().min(0).max(86400).optional(),
  localId: z.string().min(1).optional(),
  remoteId: z.string().min(1).optional(),
  psk: z.string().min(1).optional(),
});

const ipsecInput = z.strictObject({
  encAlg: z.enum(IKE_ENC_ALGS).optional(),
  authAlg: z.enum(AUTH_ALGS).optional(),
  pfs: z.enum(PFS_GROUPS).optional(),
  lifetime: z.number().int().min(0).max(86400).optional(),
});

/** The peer device may be configured with anything, including values Alibaba does not offer. */
const peerInput = z.strictObject({
  ip: ipv4.optional(),
  reachable: z.boolean().optional(),
  udpBlocked: z.boolean().optional(),
  psk: z.string().min(1).optional(),
  ike: z
    .strictObject({
      version: z.enum(['ikev1', 'ikev2']).optional(),
      mode: z.enum(['main', 'aggressive']).optional(),
      encAlg: z.string().optional(),
      authAlg: z.string().optional(),
      dhGroup: z.string().optional(),
      lifetime: z.number().int().nonnegative().optional(),
      localId: z.string().optional(),
      remoteId: z.string().optional(),
    })
    .optional(),
  ipsec: z
    .strictObject({
      encAlg: z.string().optional(),
      authAlg: z.string().optional(),
      pfs: z.string().optional(),
      lifetime: z.number().int().nonnegative().optional(),
      protocol: z.enum(['esp', 'ah']).optional(),
      encapsulation: z.enum(['tunnel', 'transport']).optional(),
    })
    .optional(),
  natTraversal: z.boolean().optional(),
  dpd: z.boolean().optional(),
  /** The peer's own protected subnets (should equal our remoteSubnet). */
  localSubnet: cidrList.optional(),
  /** The cloud subnets the peer expects (should equal our localSubnet). */
  remoteSubnet: cidrList.optional(),
  bgp: z
    .strictObject({
      asn: z.number().int().positive().nullable().optional(),
      ip: ipv4.optional(),
      up: z.boolean().optional(),
    })
    .optional(),
});
export type PeerInput = z.infer<typeof peerInput>;

const tunnelBgpInput = z.strictObject({
  localAsn: z.number().int().min(1).max(4294967295).optional(),
  tunnelCidr: cidr.optional(),
  localBgpIp: ipv4.optional(),
});

const tunnelInput = z.strictObject({
  id: z.string().startsWith('tun-').optional(),
  zone: z.string().optional(),
  internetIp: ipv4.optional(),
  customerGateway: z.string().startsWith('cgw-').optional(),
  state: z.enum(['active', 'updating', 'deleting']).optional(),
  dpd: z.boolean().optional(),
  natTraversal: z.boolean().optional(),
  ike: ikeInput.optional(),
  ipsec: ipsecInput.optional(),
  bgp: tunnelBgpInput.optional(),
  /** Overrides the connection-level `peer` for this tunnel. */
  peer: peerInput.optional(),
});
export type TunnelInput = z.infer<typeof tunnelInput>;

const routeInput = z.strictObject({
  dest: cidr,
  kind: z.enum(['custom', 'policy']).optional(),
  /** Source CIDR of a policy route (defaults to the connection's local subnet). */
  source: cidr.optional(),
  published: z.boolean().optional(),
  priority: z.number().int().min(1).max(100).optional(),
});

const connectionInput = z.strictObject({
  id: z.string().startsWith('vco-'),
  name: z.string().optional(),
  gateway: z.string().startsWith('vpn-'),
  customerGateway: z.string().startsWith('cgw-'),
  /** On-prem CIDRs (Alibaba's RemoteSubnet). */
  remoteSubnet: cidrList,
  /** Cloud CIDRs (LocalSubnet); defaults to the gateway VPC's CIDR. */
  localSubnet: cidrList.optional(),
  effectImmediately: z.boolean().optional(),
  enableBgp: z.boolean().optional(),
  state: z.string().optional(),
  tags: tags.optional(),
  traffic: z.strictObject({ rxBps: z.number().nonnegative(), txBps: z.number().nonnegative() }).optional(),
  /** Applied to both tunnels, then each tunnel's own settings. */
  ike: ikeInput.optional(),
  ipsec: ipsecInput.optional(),
  dpd: z.boolean().optional(),
  natTraversal: z.boolean().optional(),
  peer: peerInput.optional(),
  /** Up to two entries: tunnel 1 (master), tunnel 2 (slave). */
  tunnels: z.array(tunnelInput).max(2).optional(),
  /** VPN gateway routes to this connection; default one published destination route per remote CIDR. */
  routes: z.array(routeInput).optional(),
});
export type ConnectionInput = z.infer<typeof connectionInput>;

const gatewayInput = z.strictObject({
  id: z.string().startsWith('vpn-'),
  name: z.string().optional(),
  vpc: z.string().startsWith('vpc-').optional(),
  vswitch: z.string().startsWith('vsw-').optional(),
  status: z.enum(['init', 'provisioning', 'active', 'updating', 'deleting']).optional(),
  businessStatus: z.enum(['Normal', 'FinancialLocked']).optional(),
  gatewayType: z.enum(['Traditional', 'Enhanced.SiteToSite']).optional(),
  internetIp: ipv4.optional(),
  disasterRecoveryInternetIp: ipv4.optional(),
  spec: z.string().optional(),
  enableBgp: z.boolean().optional(),
  localAsn: z.number().int().min(1).max(4294967295).optional(),
  tags: tags.optional(),
  diagnoseSupported: z.boolean().optional(),
  logStyle: z.enum(['auto', 'racoon', 'strongswan']).optional(),
});

const customerGatewayInput = z.strictObject({
  id: z.string().startsWith('cgw-'),
  name: z.string().optional(),
  ip: ipv4,
  asn: z.number().int().min(1).max(4294967295).nullable().optional(),
  description: z.string().optional(),
  tags: tags.optional(),
});

const vpcInput = z.strictObject({
  id: z.string().startsWith('vpc-').optional(),
  name: z.string().optional(),
  cidr: cidr.optional(),
  secondaryCidrs: z.array(cidr).optional(),
  vRouterId: z.string().optional(),
});

const vswitchInput = z.strictObject({
  id: z.string().startsWith('vsw-').optional(),
  name: z.string().optional(),
  vpc: z.string().startsWith('vpc-').optional(),
  zone: z.string().optional(),
  cidr,
});

const routeTableEntryInput = z.strictObject({
  dest: cidr,
  nextHopType: z.string().optional(),
  nextHop: z.string(),
  description: z.string().optional(),
});

const routeTableInput = z.strictObject({
  id: z.string().startsWith('vtb-').optional(),
  name: z.string().optional(),
  vpc: z.string().startsWith('vpc-').optional(),
  type: z.enum(['System', 'Custom']),
  vswitches: z.array(z.string().startsWith('vsw-')).optional(),
  entries: z.array(routeTableEntryInput).optional(),
  receivesVpnRoutes: z.boolean().optional(),
});

const aclEntryInput = z.strictObject({
  name: z.string().optional(),
  policy: z.enum(['accept', 'drop']),
  protocol: z.enum(['all', 'tcp', 'udp', 'icmp', 'gre']).optional(),
  port: z.string().optional(),
  cidr,
  description: z.string().optional(),
});

const networkAclInput = z.strictObject({
  id: z.string().startsWith('nacl-').optional(),
  name: z.string().optional(),
  vpc: z.string().startsWith('vpc-').optional(),
  vswitches: z.array(z.string().startsWith('vsw-')).optional(),
  ingress: z.array(aclEntryInput).optional(),
  egress: z.array(aclEntryInput).optional(),
});

const sgRuleInput = z.strictObject({
  direction: z.enum(['ingress', 'egress']),
  policy: z.enum(['accept', 'drop']).optional(),
  priority: z.number().int().min(1).max(100).optional(),
  protocol: z.enum(['all', 'tcp', 'udp', 'icmp', 'gre']).optional(),
  portRange: z.string().optional(),
  cidr,
  description: z.string().optional(),
});

const securityGroupInput = z.strictObject({
  id: z.string().startsWith('sg-').optional(),
  name: z.string().optional(),
  vpc: z.string().startsWith('vpc-').optional(),
  innerAccessPolicy: z.enum(['Accept', 'Drop']).optional(),
  rules: z.array(sgRuleInput).optional(),
});

const instanceInput = z.strictObject({
  id: z.string().startsWith('i-').optional(),
  name: z.string().optional(),
  vswitch: z.string().startsWith('vsw-').optional(),
  ip: ipv4.optional(),
  securityGroups: z.array(z.string().startsWith('sg-')).optional(),
  status: z.enum(['Running', 'Stopped']).optional(),
  instanceType: z.string().optional(),
});

const regionInput = z.strictObject({
  zones: z.array(z.string()).min(1).optional(),
  vpcs: z.array(vpcInput).optional(),
  vswitches: z.array(vswitchInput).optional(),
  routeTables: z.array(routeTableInput).optional(),
  networkAcls: z.array(networkAclInput).optional(),
  securityGroups: z.array(securityGroupInput).optional(),
  instances: z.array(instanceInput).optional(),
  gateways: z.array(gatewayInput).optional(),
  customerGateways: z.array(customerGatewayInput).optional(),
  connections: z.array(connectionInput).optional(),
});
export type RegionInput = z.infer<typeof regionInput>;

const accountInput = z.strictObject({
  name: z.string().min(1),
  uid: z.string().regex(/^\d+$/, 'expected a numeric account id').optional(),
  accessKeys: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        secret: z.string().min(1),
        securityToken: z.string().min(1).optional(),
      }),
    )
    .min(1),
  regions: z.record(z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+$/, 'expected a region id'), regionInput),
});

const tunnelRef = z.strictObject({
  connection: z.string().startsWith('vco-'),
  tunnel: z.union([z.literal(1), z.literal(2)]),
});

const timelineInput = z
  .strictObject({
    at: duration,
    fail: tunnelRef.extend({ cause: z.enum(FAILED_REASON_CODES) }).optional(),
    recover: tunnelRef.optional(),
    configure: tunnelRef.extend({ ike: ikeInput.optional(), ipsec: ipsecInput.optional() }).optional(),
  })
  .refine((e) => (e.fail ? 1 : 0) + (e.recover ? 1 : 0) + (e.configure ? 1 : 0) === 1, {
    message: 'a timeline event needs exactly one of `fail`, `recover` or `configure`',
  });

const faultInput = z.strictObject({
  product: z.enum(['vpc', 'ecs', 'cms']).optional(),
  action: z.string().optional(),
  region: z.string().optional(),
  account: z.string().optional(),
  kind: z.enum(['latency', 'throttle', 'qps', 'error5xx', 'html502', 'malformed', 'timeout', 'apiError']),
  ms: z.number().nonnegative().optional(),
  ratio: z.number().min(0).max(1).optional(),
  qps: z.number().positive().optional(),
  status: z.number().int().min(100).max(599).optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  count: z.number().int().positive().optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  expect: z
    .array(
      z.strictObject({
        connection: z.string().startsWith('vco-'),
        tunnel: z.union([z.literal(1), z.literal(2)]).optional(),
        rule: z.string().min(1),
      }),
    )
    .optional(),
  /** Repeat the timeline every this many seconds (the demo). */
  loop: duration.optional(),
  timeline: z.array(timelineInput).optional(),
  faults: z.array(faultInput).optional(),
  accounts: z.array(accountInput).min(1),
});
export type ScenarioInput = z.infer<typeof scenarioSchema>;
