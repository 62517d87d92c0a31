// Compact scenario → full world. Every omitted piece gets the healthy default: a VPC with two
// vSwitches in two zones, a System route table that receives the published VPN routes, an
// allow-all network ACL, a security group that admits the on-prem CIDRs, one ECS instance, and
// connections whose two tunnels (two zones, the gateway's two IPs) match their peer exactly.
import type { FaultRule } from '../protocol.js';
import { hostAt } from './cidr.js';
import { defaultZones, hashHex, hashInt, makeId, parseDuration, publicIp } from './ids.js';
import type { ConnectionInput, PeerInput, RegionInput, ScenarioInput, TunnelInput } from './schema.js';
import type {
  Account,
  AclEntry,
  CustomerGateway,
  IkeConfig,
  Instance,
  IpsecConfig,
  NetworkAcl,
  PeerConfig,
  Region,
  RouteTable,
  RouteTableEntry,
  SecurityGroup,
  TimelineEvent,
  Tunnel,
  Vpc,
  VpnConnection,
  VpnGateway,
  VpnRoute,
  VSwitch,
  World,
} from './types.js';

/** Resource creation times are fixed so worlds are reproducible. */
const EPOCH = Date.UTC(2025, 0, 15, 2, 0, 0);

/** A reference problem found while expanding: the path of the offending field and why. */
export interface ExpandIssue {
  path: string;
  message: string;
}

export class ExpandError extends Error {
  constructor(readonly issues: ExpandIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    this.name = 'ExpandError';
  }
}

const DEFAULT_IKE: Omit<IkeConfig, 'localId' | 'remoteId' | 'psk'> = {
  version: 'ikev2',
  mode: 'main',
  encAlg: 'aes256',
  authAlg: 'sha256',
  dhGroup: 'group14',
  lifetime: 86400,
};
const DEFAULT_IPSEC: IpsecConfig = { encAlg: 'aes256', authAlg: 'sha256', pfs: 'group14', lifetime: 86400 };

export function expandScenario(input: ScenarioInput): World {
  const issues: ExpandIssue[] = [];
  const accounts = input.accounts.map((a, ai) => expandAccount(a, ai, issues));
  const connectionIds = new Set(
    accounts.flatMap((a) => a.regions.flatMap((r) => r.connections.map((c) => c.id))),
  );
  const timeline: TimelineEvent[] = (input.timeline ?? []).map((e, i) => {
    const ref = e.fail ?? e.recover ?? e.configure!;
    if (e.configure && input.loop !== undefined) {
      // A looping demo would apply the change again each loop but never undo it.
      issues.push({ path: `timeline[${i}].configure`, message: 'configure is not supported with `loop`' });
    }
    if (!connectionIds.has(ref.connection)) {
      issues.push({ path: `timeline[${i}]`, message: `unknown connection ${ref.connection}` });
    }
    const at = parseDuration(e.at);
    return e.fail
      ? {
          at,
          action: {
            kind: 'fail',
            connectionId: e.fail.connection,
            tunnel: e.fail.tunnel,
            cause: e.fail.cause,
          },
        }
      : e.configure
        ? {
            at,
            action: {
              kind: 'configure',
              connectionId: ref.connection,
              tunnel: ref.tunnel,
              ...(e.configure.ike && { ike: e.configure.ike }),
              ...(e.configure.ipsec && { ipsec: e.configure.ipsec }),
            },
          }
        : { at, action: { kind: 'recover', connectionId: ref.connection, tunnel: ref.tunnel } };
  });
  timeline.sort((a, b) => a.at - b.at);
  (input.expect ?? []).forEach((e, i) => {
    if (!connectionIds.has(e.connection)) {
      issues.push({ path: `expect[${i}].connection`, message: `unknown connection ${e.connection}` });
    }
  });
  checkUnique(accounts, issues);
  if (issues.length) throw new ExpandError(issues);
  return {
    name: input.name,
    description: input.description ?? '',
    accounts,
    timeline,
    loopSeconds: input.loop === undefined ? null : parseDuration(input.loop),
    faults: (input.faults ?? []) as FaultRule[],
    expect: input.expect ?? [],
  };
}

function checkUnique(accounts: Account[], issues: ExpandIssue[]): void {
  const seen = new Map<string, string>();
  for (const a of accounts) {
    for (const k of a.accessKeys) {
      if (seen.has(k.id))
        issues.push({ path: `accounts.${a.name}.accessKeys`, message: `duplicate AccessKey ${k.id}` });
      seen.set(k.id, a.name);
    }
    for (const r of a.regions) {
      const ids = [
        ...r.vpnGateways.map((g) => g.id),
        ...r.customerGateways.map((g) => g.id),
        ...r.connections.flatMap((c) => [c.id, c.tunnels[0].id, c.tunnels[1].id]),
      ];
      for (const id of ids) {
        if (seen.has(id))
          issues.push({ path: `accounts.${a.name}.regions.${r.id}`, message: `duplicate id ${id}` });
        seen.set(id, a.name);
      }
    }
  }
}

function expandAccount(input: ScenarioInput['accounts'][number], ai: number, issues: ExpandIssue[]): Account {
  const regions = Object.entries(input.regions).map(([regionId, r], ri) =>
    expandRegion(
      regionId,
      r,
      `${input.name}/${regionId}`,
      ai * 16 + ri,
      `accounts[${ai}].regions.${regionId}`,
      issues,
    ),
  );
  return {
    name: input.name,
    uid: input.uid ?? String(1_000_000_000_000_000 + hashInt(`uid|${input.name}`, 899_999_999_999_999)),
    accessKeys: input.accessKeys.map((k) => ({ ...k })),
    regions,
  };
}

/** Looks a reference up, recording an issue naming the field when it is unknown. */
function resolve<T extends { id: string }>(
  items: T[],
  id: string | undefined,
  fallback: T | undefined,
  path: string,
  what: string,
  issues: ExpandIssue[],
): T | undefined {
  if (id === undefined) return fallback;
  const found = items.find((i) => i.id === id);
  if (!found) {
    issues.push({
      path,
      message: `unknown ${what} ${id} (known: ${items.map((i) => i.id).join(', ') || 'none'})`,
    });
  }
  return found;
}

function expandRegion(
  regionId: string,
  input: RegionInput,
  seed: string,
  index: number,
  path: string,
  issues: ExpandIssue[],
): Region {
  const id = (kind: string, key: string | number) => makeId(kind, regionId, `${seed}/${kind}/${key}`);
  const zones = input.zones ?? defaultZones(regionId);
  const zoneB = zones[1] ?? zones[0]!;

  const vpcs: Vpc[] = (input.vpcs?.length ? input.vpcs : [{}]).map((v, i) => ({
    id: v.id ?? id('vpc', i),
    name: v.name ?? `vpc-${regionId}-${i + 1}`,
    cidr: v.cidr ?? `10.${(index * 4 + i) % 250}.0.0/16`,
    secondaryCidrs: v.secondaryCidrs ?? [],
    vRouterId: v.vRouterId ?? id('vrt', i),
    createTime: EPOCH + hashInt(`${seed}/vpc/${i}`, 86_400_000),
  }));
  const vpc0 = vpcs[0]!;

  const vswitches: VSwitch[] = (
    input.vswitches?.length
      ? input.vswitches
      : [
          { cidr: hostAt(vpc0.cidr, 256) + '/24', zone: zones[0] },
          { cidr: hostAt(vpc0.cidr, 512) + '/24', zone: zoneB },
        ]
  ).map((s, i) => {
    const vpc = resolve(vpcs, s.vpc, vpc0, `${path}.vswitches[${i}].vpc`, 'VPC', issues) ?? vpc0;
    return {
      id: s.id ?? id('vsw', i),
      name: s.name ?? `vsw-${vpc.name}-${i + 1}`,
      vpcId: vpc.id,
      zone: s.zone ?? zones[i % zones.length]!,
      cidr: s.cidr,
    };
  });

  const customerGateways: CustomerGateway[] = (input.customerGateways ?? []).map((c, i) => ({
    id: c.id,
    name: c.name ?? c.id,
    ip: c.ip,
    asn: c.asn === undefined ? 65001 + i : c.asn,
    description: c.description ?? '',
    createTime: EPOCH + hashInt(`${seed}/cgw/${c.id}`, 86_400_000),
    tags: c.tags ?? {},
  }));

  const vpnGateways: VpnGateway[] = (input.gateways ?? []).map((g, i) => {
    const gp = `${path}.gateways[${i}]`;
    const vpc = resolve(vpcs, g.vpc, vpc0, `${gp}.vpc`, 'VPC', issues) ?? vpc0;
    const inVpc = vswitches.filter((s) => s.vpcId === vpc.id);
    const vsw = resolve(vswitches, g.vswitch, inVpc[0], `${gp}.vswitch`, 'vSwitch', issues);
    const drVsw = inVpc.find((s) => s !== vsw && s.zone !== vsw?.zone) ?? inVpc[1] ?? vsw;
    return {
      id: g.id,
      name: g.name ?? g.id,
      vpcId: vpc.id,
      vswitchId: vsw?.id ?? '',
      disasterRecoveryVSwitchId: drVsw?.id ?? '',
      status: g.status ?? 'active',
      businessStatus: g.businessStatus ?? 'Normal',
      gatewayType: g.gatewayType ?? 'Enhanced.SiteToSite',
      internetIp: g.internetIp ?? publicIp(regionId, `${seed}/${g.id}/1`),
      disasterRecoveryInternetIp: g.disasterRecoveryInternetIp ?? publicIp(regionId, `${seed}/${g.id}/2`),
      spec: g.spec ?? '200M',
      enableBgp: g.enableBgp ?? true,
      localAsn: g.localAsn ?? 45104,
      tags: g.tags ?? {},
      createTime: EPOCH + hashInt(`${seed}/vpn/${g.id}`, 86_400_000),
      diagnoseSupported: g.diagnoseSupported ?? true,
      logStyle: g.logStyle ?? 'auto',
    };
  });

  const perGateway = new Map<string, number>();
  const connections: VpnConnection[] = [];
  const vpnRoutes: VpnRoute[] = [];
  (input.connections ?? []).forEach((c, i) => {
    const cp = `${path}.connections[${i}]`;
    const gw = resolve(vpnGateways, c.gateway, undefined, `${cp}.gateway`, 'VPN gateway', issues);
    const cgw = resolve(
      customerGateways,
      c.customerGateway,
      undefined,
      `${cp}.customerGateway`,
      'customer gateway',
      issues,
    );
    if (!gw || !cgw) return;
    const n = perGateway.get(gw.id) ?? 0;
    perGateway.set(gw.id, n + 1);
    const vpc = vpcs.find((v) => v.id === gw.vpcId) ?? vpc0;
    const conn = expandConnection(c, gw, cgw, customerGateways, vpc, zones, n, regionId, cp, issues);
    connections.push(conn);
    vpnRoutes.push(...expandRoutes(c, conn));
  });

  const onPrem = [...new Set(connections.flatMap((c) => c.remoteSubnets))];
  const routeTables = expandRouteTables(input, vpcs, vswitches, id, path, issues);
  const networkAcls = expandAcls(input, vpcs, vswitches, id, path, issues);
  const securityGroups = expandSecurityGroups(input, vpcs, onPrem, id, path, issues);
  const instances = expandInstances(input, vpcs, vswitches, securityGroups, id, path, issues);

  return {
    id: regionId,
    zones,
    vpcs,
    vswitches,
    routeTables,
    networkAcls,
    securityGroups,
    instances,
    vpnGateways,
    customerGateways,
    connections,
    vpnRoutes,
  };
}

function expandConnection(
  c: ConnectionInput,
  gw: VpnGateway,
  cgw: CustomerGateway,
  cgws: CustomerGateway[],
  vpc: Vpc,
  zones: string[],
  n: number,
  regionId: string,
  path: string,
  issues: ExpandIssue[],
): VpnConnection {
  const list = (v: string | string[] | undefined) =>
    v === undefined ? undefined : Array.isArray(v) ? v : [v];
  const remoteSubnets = list(c.remoteSubnet)!;
  const localSubnets = list(c.localSubnet) ?? [vpc.cidr];
  const enableBgp = c.enableBgp ?? false;
  const inputs: [TunnelInput, TunnelInput] = [c.tunnels?.[0] ?? {}, c.tunnels?.[1] ?? {}];
  const tunnels = inputs.map((t, ti) => {
    const idx = (ti + 1) as 1 | 2;
    const tcgw =
      resolve(
        cgws,
        t.customerGateway,
        cgw,
        `${path}.tunnels[${ti}].customerGateway`,
        'customer gateway',
        issues,
      ) ?? cgw;
    const internetIp = t.internetIp ?? (idx === 1 ? gw.internetIp : gw.disasterRecoveryInternetIp);
    const multiCidr = remoteSubnets.length > 1 || localSubnets.length > 1;
    const ike: IkeConfig = {
      ...DEFAULT_IKE,
      ...(multiCidr ? { version: 'ikev2' as const } : {}),
      localId: internetIp,
      remoteId: tcgw.ip,
      psk: `sim${hashHex(`psk|${c.id}`).slice(0, 13)}`,
      ...c.ike,
      ...t.ike,
    };
    const ipsec: IpsecConfig = { ...DEFAULT_IPSEC, ...c.ipsec, ...t.ipsec };
    const cidrBase = `169.254.${(10 + n) % 250}.${idx === 1 ? 0 : 4}`;
    const tunnelCidr = t.bgp?.tunnelCidr ?? `${cidrBase}/30`;
    const bgp = {
      localAsn: t.bgp?.localAsn ?? gw.localAsn,
      tunnelCidr,
      localBgpIp: t.bgp?.localBgpIp ?? hostAt(tunnelCidr, 1),
    };
    const enableDpd = t.dpd ?? c.dpd ?? true;
    const enableNatTraversal = t.natTraversal ?? c.natTraversal ?? true;
    const base: Omit<Tunnel, 'peer'> = {
      id: t.id ?? makeId('tun', regionId, `${c.id}/${idx}`),
      role: idx === 1 ? 'master' : 'slave',
      zone: t.zone ?? (idx === 1 ? zones[0]! : (zones[1] ?? zones[0]!)),
      internetIp,
      customerGatewayId: tcgw.id,
      state: t.state ?? 'active',
      enableDpd,
      enableNatTraversal,
      ike,
      ipsec,
      bgp,
    };
    const peer = expandPeer(base, tcgw, localSubnets, remoteSubnets, c.peer, t.peer);
    return { ...base, peer };
  }) as [Tunnel, Tunnel];
  const rx = c.traffic?.rxBps ?? 2_000_000 + hashInt(`rx|${c.id}`, 48_000_000);
  return {
    id: c.id,
    name: c.name ?? c.id,
    vpnGatewayId: gw.id,
    customerGatewayId: cgw.id,
    localSubnets,
    remoteSubnets,
    effectImmediately: c.effectImmediately ?? true,
    enableTunnelsBgp: enableBgp,
    networkType: 'public',
    state: c.state ?? 'active',
    tunnelBandwidth: 'Standard',
    tags: c.tags ?? {},
    createTime: EPOCH + hashInt(`ctime|${c.id}`, 86_400_000),
    tunnels,
    traffic: { rxBps: rx, txBps: c.traffic?.txBps ?? Math.round(rx * 0.6) },
  };
}

/** The peer mirrors the tunnel (ids swapped) unless the scenario says otherwise. */
function expandPeer(
  t: Omit<Tunnel, 'peer'>,
  cgw: CustomerGateway,
  localSubnets: string[],
  remoteSubnets: string[],
  conn: PeerInput | undefined,
  tunnel: PeerInput | undefined,
): PeerConfig {
  const list = (v: string | string[] | undefined) =>
    v === undefined ? undefined : Array.isArray(v) ? v : [v];
  const pick = <K extends keyof PeerInput>(k: K): PeerInput[K] => tunnel?.[k] ?? conn?.[k];
  return {
    ip: pick('ip') ?? cgw.ip,
    reachable: pick('reachable') ?? true,
    udpBlocked: pick('udpBlocked') ?? false,
    psk: pick('psk') ?? t.ike.psk,
    ike: {
      ...t.ike,
      localId: t.ike.remoteId,
      remoteId: t.ike.localId,
      ...conn?.ike,
      ...tunnel?.ike,
    } as IkeConfig,
    ipsec: { ...t.ipsec, protocol: 'esp', encapsulation: 'tunnel', ...conn?.ipsec, ...tunnel?.ipsec },
    natTraversal: pick('natTraversal') ?? t.enableNatTraversal,
    dpd: pick('dpd') ?? t.enableDpd,
    localSubnets: list(pick('localSubnet')) ?? remoteSubnets,
    remoteSubnets: list(pick('remoteSubnet')) ?? localSubnets,
    bgp: {
      asn:
        conn?.bgp?.asn !== undefined || tunnel?.bgp?.asn !== undefined
          ? (tunnel?.bgp?.asn ?? conn?.bgp?.asn ?? null)
          : cgw.asn,
      ip: tunnel?.bgp?.ip ?? conn?.bgp?.ip ?? hostAt(t.bgp.tunnelCidr, 2),
      up: tunnel?.bgp?.up ?? conn?.bgp?.up ?? true,
    },
  };
}

function expandRoutes(c: ConnectionInput, conn: VpnConnection): VpnRoute[] {
  const routes: NonNullable<ConnectionInput['routes']> =
    c.routes ?? conn.remoteSubnets.map((dest) => ({ dest }));
  return routes.map((r, i) => ({
    vpnGatewayId: conn.vpnGatewayId,
    kind: r.kind ?? 'custom',
    dest: r.dest,
    source: r.source ?? (r.kind === 'policy' ? conn.localSubnets[0]! : ''),
    nextHop: conn.id,
    published: r.published ?? true,
    priority: r.priority ?? 10,
    asPath: '',
    community: '',
    createTime: conn.createTime + 60_000 * (i + 1),
  }));
}

type IdFn = (kind: string, key: string | number) => string;

function nextHopType(id: string): string {
  if (id.startsWith('vpn-')) return 'VpnGateway';
  if (id.startsWith('i-')) return 'Instance';
  if (id.startsWith('ngw-')) return 'NatGateway';
  if (id.startsWith('eni-')) return 'NetworkInterface';
  if (id.startsWith('havip-')) return 'HaVip';
  if (id.startsWith('ri-')) return 'RouterInterface';
  if (id.startsWith('tr-')) return 'Attachment';
  return 'Instance';
}

function expandRouteTables(
  input: RegionInput,
  vpcs: Vpc[],
  vswitches: VSwitch[],
  id: IdFn,
  path: string,
  issues: ExpandIssue[],
): RouteTable[] {
  const tables: RouteTable[] = (input.routeTables ?? []).map((t, i) => {
    const tp = `${path}.routeTables[${i}]`;
    const vpc = resolve(vpcs, t.vpc, vpcs[0], `${tp}.vpc`, 'VPC', issues) ?? vpcs[0]!;
    (t.vswitches ?? []).forEach((s, si) => {
      resolve(vswitches, s, undefined, `${tp}.vswitches[${si}]`, 'vSwitch', issues);
    });
    const tableId = t.id ?? id('vtb', i);
    return {
      id: tableId,
      name: t.name ?? `${t.type.toLowerCase()}-${i + 1}`,
      vpcId: vpc.id,
      type: t.type,
      vswitchIds: t.vswitches ?? [],
      entries: (t.entries ?? []).map(
        (e, ei): RouteTableEntry => ({
          id: makeId('rte', '', `${tableId}/${ei}`),
          dest: e.dest,
          nextHopType: e.nextHopType ?? nextHopType(e.nextHop),
          nextHopId: e.nextHop,
          type: 'Custom',
          status: 'Available',
          origin: 'CustomCreate',
          description: e.description ?? '',
        }),
      ),
      receivesVpnRoutes: t.receivesVpnRoutes ?? t.type === 'System',
    };
  });
  for (const [i, vpc] of vpcs.entries()) {
    if (tables.some((t) => t.vpcId === vpc.id && t.type === 'System')) continue;
    tables.unshift({
      id: id('vtb', `system-${i}`),
      name: '',
      vpcId: vpc.id,
      type: 'System',
      vswitchIds: [],
      entries: [],
      receivesVpnRoutes: true,
    });
  }
  return tables;
}

function aclEntry(
  e: {
    name?: string;
    policy: 'accept' | 'drop';
    protocol?: AclEntry['protocol'];
    port?: string;
    cidr: string;
    description?: string;
  },
  key: string,
): AclEntry {
  const protocol = e.protocol ?? 'all';
  return {
    id: makeId('nae', '', key),
    name: e.name ?? `${e.policy}-${protocol}-${e.cidr}`,
    policy: e.policy,
    protocol,
    port: e.port ?? (protocol === 'tcp' || protocol === 'udp' ? '1/65535' : '-1/-1'),
    cidr: e.cidr,
    entryType: 'custom',
    description: e.description ?? '',
  };
}

function expandAcls(
  input: RegionInput,
  vpcs: Vpc[],
  vswitches: VSwitch[],
  id: IdFn,
  path: string,
  issues: ExpandIssue[],
): NetworkAcl[] {
  const given = input.networkAcls;
  if (!given) {
    return vpcs.map((vpc, i) => {
      const aclId = id('nacl', i);
      return {
        id: aclId,
        name: `allow-all-${i + 1}`,
        vpcId: vpc.id,
        vswitchIds: vswitches.filter((s) => s.vpcId === vpc.id).map((s) => s.id),
        ingress: [aclEntry({ name: 'allow-all-in', policy: 'accept', cidr: '0.0.0.0/0' }, `${aclId}/in/0`)],
        egress: [aclEntry({ name: 'allow-all-out', policy: 'accept', cidr: '0.0.0.0/0' }, `${aclId}/out/0`)],
      };
    });
  }
  return given.map((a, i) => {
    const ap = `${path}.networkAcls[${i}]`;
    const vpc = resolve(vpcs, a.vpc, vpcs[0], `${ap}.vpc`, 'VPC', issues) ?? vpcs[0]!;
    (a.vswitches ?? []).forEach((s, si) => {
      resolve(vswitches, s, undefined, `${ap}.vswitches[${si}]`, 'vSwitch', issues);
    });
    const aclId = a.id ?? id('nacl', i);
    return {
      id: aclId,
      name: a.name ?? `acl-${i + 1}`,
      vpcId: vpc.id,
      vswitchIds: a.vswitches ?? vswitches.filter((s) => s.vpcId === vpc.id).map((s) => s.id),
      ingress: (a.ingress ?? []).map((e, ei) => aclEntry(e, `${aclId}/in/${ei}`)),
      egress: (a.egress ?? []).map((e, ei) => aclEntry(e, `${aclId}/out/${ei}`)),
    };
  });
}

function expandSecurityGroups(
  input: RegionInput,
  vpcs: Vpc[],
  onPrem: string[],
  id: IdFn,
  path: string,
  issues: ExpandIssue[],
): SecurityGroup[] {
  const given = input.securityGroups;
  const rule = (
    r: {
      direction: 'ingress' | 'egress';
      policy?: 'accept' | 'drop';
      priority?: number;
      protocol?: AclEntry['protocol'];
      portRange?: string;
      cidr: string;
      description?: string;
    },
    key: string,
  ) => {
    const protocol = r.protocol ?? 'all';
    return {
      id: makeId('sgr', '', key),
      direction: r.direction,
      policy: r.policy ?? 'accept',
      priority: r.priority ?? 1,
      protocol,
      portRange: r.portRange ?? (protocol === 'tcp' || protocol === 'udp' ? '1/65535' : '-1/-1'),
      cidr: r.cidr,
      description: r.description ?? '',
    };
  };
  if (!given) {
    return vpcs.map((vpc, i) => {
      const sgId = id('sg', i);
      return {
        id: sgId,
        name: `app-${i + 1}`,
        vpcId: vpc.id,
        innerAccessPolicy: 'Accept',
        rules: [
          ...onPrem.map((cidr, ri) =>
            rule({ direction: 'ingress', cidr, description: 'on-premises via VPN' }, `${sgId}/${ri}`),
          ),
          rule({ direction: 'egress', cidr: '0.0.0.0/0' }, `${sgId}/egress`),
        ],
      };
    });
  }
  return given.map((g, i) => {
    const vpc = resolve(vpcs, g.vpc, vpcs[0], `${path}.securityGroups[${i}].vpc`, 'VPC', issues) ?? vpcs[0]!;
    const sgId = g.id ?? id('sg', i);
    return {
      id: sgId,
      name: g.name ?? `sg-${i + 1}`,
      vpcId: vpc.id,
      innerAccessPolicy: g.innerAccessPolicy ?? 'Accept',
      rules: (g.rules ?? []).map((r, ri) => rule(r, `${sgId}/${ri}`)),
    };
  });
}

function expandInstances(
  input: RegionInput,
  vpcs: Vpc[],
  vswitches: VSwitch[],
  groups: SecurityGroup[],
  id: IdFn,
  path: string,
  issues: ExpandIssue[],
): Instance[] {
  const given =
    input.instances ?? vpcs.map((v) => ({ vswitch: vswitches.find((s) => s.vpcId === v.id)?.id }));
  return given.map((inst, i) => {
    const ip = `${path}.instances[${i}]`;
    const vsw =
      resolve(vswitches, inst.vswitch, vswitches[0], `${ip}.vswitch`, 'vSwitch', issues) ?? vswitches[0]!;
    const sgIds =
      'securityGroups' in inst && inst.securityGroups
        ? inst.securityGroups
        : groups
            .filter((g) => g.vpcId === vsw.vpcId)
            .map((g) => g.id)
            .slice(0, 1);
    sgIds.forEach((g, gi) => {
      resolve(groups, g, undefined, `${ip}.securityGroups[${gi}]`, 'security group', issues);
    });
    const full = inst as {
      id?: string;
      name?: string;
      ip?: string;
      status?: 'Running' | 'Stopped';
      instanceType?: string;
    };
    return {
      id: full.id ?? id('i', i),
      name: full.name ?? `app-${i + 1}`,
      vpcId: vsw.vpcId,
      vswitchId: vsw.id,
      zone: vsw.zone,
      privateIps: [full.ip ?? hostAt(vsw.cidr, 10 + i)],
      securityGroupIds: sgIds,
      status: full.status ?? 'Running',
      instanceType: full.instanceType ?? 'ecs.g7.large',
    };
  });
}
