// The healthy reference world (one region, one dual-tunnel connection) that tests and recorded
// incidents start from; both change only what their case is about.
import type {
  Connection,
  CustomerGateway,
  RegionSnapshot,
  Snapshot,
  Topology,
  Tunnel,
  TunnelDiagnosis,
  TunnelEvidence,
  TunnelLogs,
} from '../../model/snapshot.js';

export const NOW = Date.UTC(2026, 0, 1, 0, 0, 0);

export const IDS = {
  account: 'prod',
  region: 'cn-hangzhou',
  vpc: 'vpc-bp1main0000000000001',
  vswitchA: 'vsw-bp1zonea00000000001',
  vswitchB: 'vsw-bp1zoneb00000000001',
  gateway: 'vpn-bp1gw0000000000001',
  customerGateway: 'cgw-bp1cgw000000000001',
  connection: 'vco-bp1conn00000000001',
  tunnel1: 'tun-bp1tunnel1000000001',
  tunnel2: 'tun-bp1tunnel2000000001',
  systemRouteTable: 'vtb-bp1system000000001',
  acl: 'nacl-bp1acl00000000001',
  securityGroup: 'sg-bp1sg000000000001',
  instance: 'i-bp1ecs0000000000001',
  vrouter: 'vrt-bp1vrouter00000001',
} as const;

export const ADDR = {
  vpcCidr: '10.0.0.0/16',
  vswitchACidr: '10.0.1.0/24',
  vswitchBCidr: '10.0.2.0/24',
  onPrem: '192.168.0.0/16',
  gatewayIp: '47.96.10.1',
  gatewayDrIp: '47.96.10.2',
  customerGatewayIp: '203.0.113.10',
  instanceIp: '10.0.1.10',
} as const;

export const ZONES = { a: 'cn-hangzhou-h', b: 'cn-hangzhou-i' } as const;

/** A healthy, established tunnel; `overrides` replace fields (nested `ike`/`ipsec` are merged). */
export function tunnel(overrides: Partial<Tunnel> = {}): Tunnel {
  const index = overrides.index ?? 1;
  const base: Tunnel = {
    id: index === 1 ? IDS.tunnel1 : IDS.tunnel2,
    index,
    role: index === 1 ? 'master' : 'slave',
    state: 'active',
    status: 'ipsec_sa_established',
    ikeSaUp: true,
    ipsecSaUp: true,
    zone: index === 1 ? ZONES.a : ZONES.b,
    ip: index === 1 ? ADDR.gatewayIp : ADDR.gatewayDrIp,
    customerGatewayId: IDS.customerGateway,
    customerGatewayIp: ADDR.customerGatewayIp,
    enableDpd: true,
    enableNatTraversal: true,
    ike: {
      version: 'ikev2',
      mode: 'main',
      encAlg: 'aes256',
      authAlg: 'sha256',
      dhGroup: 'group14',
      lifetimeSeconds: 86400,
      localId: index === 1 ? ADDR.gatewayIp : ADDR.gatewayDrIp,
      remoteId: ADDR.customerGatewayIp,
      pskFingerprint: '3f2a9c0d1e4b',
    },
    ipsec: { encAlg: 'aes256', authAlg: 'sha256', pfs: 'group14', lifetimeSeconds: 86400 },
    bgp: null,
  };
  const t: Tunnel = {
    ...base,
    ...overrides,
    ike: { ...base.ike, ...overrides.ike },
    ipsec: { ...base.ipsec, ...overrides.ipsec },
  };
  // Keep the derived phase flags consistent with a status override unless given explicitly.
  if (overrides.status !== undefined) {
    if (overrides.ikeSaUp === undefined)
      t.ikeSaUp = ['ike_sa_established', 'ipsec_sa_not_established', 'ipsec_sa_established'].includes(
        t.status,
      );
    if (overrides.ipsecSaUp === undefined) t.ipsecSaUp = t.status === 'ipsec_sa_established';
  }
  return t;
}

/** A down tunnel stuck at the given status (default: phase 1 not established). */
export function downTunnel(
  index: 1 | 2,
  status = 'ike_sa_not_established',
  overrides: Partial<Tunnel> = {},
): Tunnel {
  return tunnel({ index, status, ...overrides });
}

/** A healthy dual-tunnel connection; `tunnels` overrides replace the whole list. */
export function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    account: IDS.account,
    region: IDS.region,
    id: IDS.connection,
    name: 'hq-to-hangzhou',
    vpnGatewayId: IDS.gateway,
    state: 'active',
    status: 'ipsec_sa_established',
    attachType: 'VPNGW',
    networkType: 'public',
    effectImmediately: true,
    enableTunnelsBgp: false,
    localSubnets: [ADDR.vpcCidr],
    remoteSubnets: [ADDR.onPrem],
    tags: { env: 'prod' },
    createTime: NOW - 30 * 86400_000,
    tunnels: [tunnel({ index: 1 }), tunnel({ index: 2 })],
    dualTunnel: true,
    ...overrides,
  };
}

export function customerGateway(overrides: Partial<CustomerGateway> = {}): CustomerGateway {
  return { id: IDS.customerGateway, name: 'hq-router', ip: ADDR.customerGatewayIp, asn: 65001, ...overrides };
}

/** The healthy topology around `connection()`. */
export function topology(overrides: Partial<Topology> = {}): Topology {
  return {
    gateways: [
      {
        id: IDS.gateway,
        name: 'hangzhou-vpn',
        vpcId: IDS.vpc,
        vswitchId: IDS.vswitchA,
        status: 'active',
        businessStatus: 'Normal',
        gatewayType: 'Normal',
        internetIp: ADDR.gatewayIp,
        disasterRecoveryInternetIp: ADDR.gatewayDrIp,
        enableBgp: false,
        ipsecVpn: 'enable',
        spec: '10M',
        tags: {},
      },
    ],
    customerGateways: [customerGateway()],
    vpnRoutes: [
      {
        vpnGatewayId: IDS.gateway,
        kind: 'custom',
        dest: ADDR.onPrem,
        source: null,
        nextHop: IDS.connection,
        nextHopTunnelId: null,
        state: 'published',
        weight: 100,
        priority: null,
      },
    ],
    vpcs: [{ id: IDS.vpc, name: 'main', cidrBlocks: [ADDR.vpcCidr], vrouterId: IDS.vrouter }],
    vswitches: [
      { id: IDS.vswitchA, vpcId: IDS.vpc, zone: ZONES.a, cidr: ADDR.vswitchACidr, networkAclId: IDS.acl },
      { id: IDS.vswitchB, vpcId: IDS.vpc, zone: ZONES.b, cidr: ADDR.vswitchBCidr, networkAclId: IDS.acl },
    ],
    routeTables: [
      {
        id: IDS.systemRouteTable,
        vpcId: IDS.vpc,
        type: 'System',
        vswitchIds: [],
        entries: [
          {
            dest: ADDR.vswitchACidr,
            nextHopType: 'local',
            nextHopId: '',
            status: 'Available',
            type: 'System',
          },
          {
            dest: ADDR.vswitchBCidr,
            nextHopType: 'local',
            nextHopId: '',
            status: 'Available',
            type: 'System',
          },
          {
            dest: '100.64.0.0/10',
            nextHopType: 'service',
            nextHopId: '',
            status: 'Available',
            type: 'System',
          },
          {
            dest: ADDR.onPrem,
            nextHopType: 'VpnGateway',
            nextHopId: IDS.gateway,
            status: 'Available',
            type: 'Custom',
          },
        ],
      },
    ],
    networkAcls: [
      {
        id: IDS.acl,
        vpcId: IDS.vpc,
        vswitchIds: [IDS.vswitchA, IDS.vswitchB],
        ingress: [
          {
            name: 'allow-all',
            policy: 'accept',
            protocol: 'all',
            port: '-1/-1',
            cidr: '0.0.0.0/0',
            entryType: 'custom',
          },
          {
            name: 'system',
            policy: 'drop',
            protocol: 'all',
            port: '-1/-1',
            cidr: '0.0.0.0/0',
            entryType: 'system',
          },
        ],
        egress: [
          {
            name: 'allow-all',
            policy: 'accept',
            protocol: 'all',
            port: '-1/-1',
            cidr: '0.0.0.0/0',
            entryType: 'custom',
          },
          {
            name: 'system',
            policy: 'drop',
            protocol: 'all',
            port: '-1/-1',
            cidr: '0.0.0.0/0',
            entryType: 'system',
          },
        ],
      },
    ],
    securityGroups: [
      {
        id: IDS.securityGroup,
        name: 'app',
        vpcId: IDS.vpc,
        rules: [
          {
            direction: 'ingress',
            policy: 'accept',
            priority: 1,
            protocol: 'icmp',
            portRange: '-1/-1',
            cidr: ADDR.onPrem,
            description: 'ping from on-prem',
          },
          {
            direction: 'ingress',
            policy: 'accept',
            priority: 1,
            protocol: 'tcp',
            portRange: '1/65535',
            cidr: ADDR.onPrem,
            description: 'tcp from on-prem',
          },
          {
            direction: 'egress',
            policy: 'accept',
            priority: 1,
            protocol: 'all',
            portRange: '-1/-1',
            cidr: '0.0.0.0/0',
            description: 'all out',
          },
        ],
      },
    ],
    instances: [
      {
        id: IDS.instance,
        name: 'app-1',
        vpcId: IDS.vpc,
        vswitchId: IDS.vswitchA,
        privateIps: [ADDR.instanceIp],
        securityGroupIds: [IDS.securityGroup],
        status: 'Running',
      },
    ],
    ...overrides,
  };
}

/** One DiagnoseVpnConnections result row for a tunnel. */
export function diagnosisRow(overrides: Partial<TunnelDiagnosis> = {}): TunnelDiagnosis {
  return {
    connectionId: IDS.connection,
    tunnelId: IDS.tunnel1,
    failedReasonCode: '',
    failedReason: '',
    failedTime: NOW - 60_000,
    mismatchLocal: '',
    mismatchRemote: '',
    severity: 'Critical',
    sourceLog: '',
    ...overrides,
  };
}

/** Tunnel logs in Alibaba's format; `lines` are messages, prefixed with a timestamp and level unless raw. */
export function logs(
  tunnelId: string,
  messages: string[],
  opts: { raw?: boolean; complete?: boolean } = {},
): TunnelLogs {
  const to = Math.floor(NOW / 1000);
  const lines = opts.raw
    ? messages
    : messages.map(
        (m, i) =>
          `2025-12-31 23:5${Math.min(9, i)}:00 ${IDS.connection} [ERROR]: ike_main.c:123:negotiate(): ${m}`,
      );
  return {
    connectionId: IDS.connection,
    tunnelId,
    from: to - 600,
    to,
    lines,
    complete: opts.complete ?? true,
  };
}

/** Evidence for one tunnel: DiagnoseVpnConnections rows and/or log lines. */
export function evidence(
  tunnelId: string,
  parts: {
    diagnosis?: Partial<TunnelDiagnosis>[] | null;
    logLines?: string[];
    logs?: TunnelLogs | null;
    errors?: string[];
  } = {},
): TunnelEvidence {
  const diagnosis =
    parts.diagnosis === null ? null : (parts.diagnosis ?? []).map((d) => diagnosisRow({ tunnelId, ...d }));
  const tunnelLogs =
    parts.logs !== undefined ? parts.logs : parts.logLines ? logs(tunnelId, parts.logLines) : null;
  return {
    tunnelId,
    connectionId: IDS.connection,
    collectedAt: NOW - 5_000,
    diagnosis,
    logs: tunnelLogs,
    errors: parts.errors ?? [],
  };
}

export interface RegionOverrides {
  connections?: Connection[];
  connectionsComplete?: boolean;
  topology?: Topology | null;
  topologyComplete?: boolean;
  evidence?: TunnelEvidence[];
}

/** One account × region with the given parts (defaults: the healthy connection and topology). */
export function region(o: RegionOverrides = {}): RegionSnapshot {
  const topo = o.topology === undefined ? topology() : o.topology;
  return {
    account: IDS.account,
    region: IDS.region,
    connections: {
      collectedAt: NOW - 10_000,
      complete: o.connectionsComplete ?? true,
      data: o.connections ?? [connection()],
    },
    topology:
      topo === null ? null : { collectedAt: NOW - 60_000, complete: o.topologyComplete ?? true, data: topo },
    evidence: Object.fromEntries((o.evidence ?? []).map((e) => [e.tunnelId, e])),
    traffic: {
      collectedAt: NOW - 30_000,
      complete: true,
      data: {
        [IDS.connection]: {
          connectionId: IDS.connection,
          rxBps: 1_200_000,
          txBps: 900_000,
          at: NOW - 60_000,
        },
      },
    },
  };
}

/** A whole snapshot of one healthy region. */
export function healthySnapshot(): Snapshot {
  return { takenAt: NOW, regions: [region()] };
}

/** A snapshot of one region built from the given parts. */
export function snapshotWith(o: RegionOverrides): Snapshot {
  return { takenAt: NOW, regions: [region(o)] };
}

/** The single connection of a one-region snapshot (for assertions). */
export function onlyConnection(s: Snapshot): Connection {
  const c = s.regions[0]?.connections.data[0];
  if (!c) throw new Error('snapshot has no connection');
  return c;
}
