// Configuration changes between snapshots: one test per kind of change the issue lists, the PSK
// only by fingerprint, nothing invented from a first sight, an unreadable cycle or a restart.
import { describe, expect, it } from 'vitest';
import { describeChange } from '../../src/diagnose/changes/describe.js';
import type { ConfigChangeDetail, VpnEvent } from '../../src/model/events.js';
import type { Connection, Snapshot, Topology } from '../../src/model/snapshot.js';
import { ChangeWatcher, linkRecoveries } from '../../src/state/changes.js';
import { connection, IDS, NOW, region, topology, tunnel } from '../fixtures/snapshot.js';

function snap(o: { conn?: Connection; topo?: Topology; at?: number; complete?: boolean }): Snapshot {
  const r = region({
    connections: [o.conn ?? connection()],
    topology: o.topo ?? topology(),
    connectionsComplete: o.complete ?? true,
  });
  // Each topology read is a new collection: the watcher compares topology only when it was re-read.
  if (r.topology) r.topology.collectedAt = o.at ?? NOW;
  return { takenAt: o.at ?? NOW, regions: [r] };
}

/** The changes seen going from `before` to `after` on a watcher that already saw `before`. */
function changes(before: Snapshot, after: Snapshot): VpnEvent[] {
  const w = new ChangeWatcher();
  expect(w.observe(before, NOW)).toEqual([]);
  return w.observe(after, NOW + 60_000);
}

const detail = (e: VpnEvent) => e.detail as unknown as ConfigChangeDetail;
const withTunnel1 = (t: Parameters<typeof tunnel>[0]) =>
  connection({ tunnels: [tunnel({ index: 1, ...t }), tunnel({ index: 2 })] });

describe('configuration changes between snapshots', () => {
  it('tunnel IKE: the DH group of tunnel 1, named with before and after', () => {
    const [e, ...rest] = changes(
      snap({}),
      snap({ conn: withTunnel1({ ike: { dhGroup: 'group2' } as never }) }),
    );
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ kind: 'config_change', connectionId: IDS.connection, tunnelId: IDS.tunnel1 });
    expect(detail(e!)).toEqual({
      kind: 'tunnel-ike',
      subject: IDS.tunnel1,
      changes: [{ field: 'dhGroup', before: 'group14', after: 'group2' }],
    });
    expect(describeChange(e!, 'en', () => 1)).toBe('tunnel 1 IKE: DH group group14 → group2');
    expect(describeChange(e!, 'ja', () => 1)).toBe('トンネル 1 のIKE: DH グループ group14 → group2');
  });

  it('tunnel IPsec: PFS and lifetime', () => {
    const [e] = changes(
      snap({}),
      snap({ conn: withTunnel1({ ipsec: { pfs: 'disabled', lifetimeSeconds: 3600 } as never }) }),
    );
    expect(detail(e!)).toMatchObject({
      kind: 'tunnel-ipsec',
      changes: [
        { field: 'pfs', before: 'group14', after: 'disabled' },
        { field: 'lifetimeSeconds', before: 86400, after: 3600 },
      ],
    });
  });

  it('tunnel BGP: enabling BGP and its ASN', () => {
    const bgp = {
      up: true,
      rawStatus: 'success',
      localAsn: 45104,
      localBgpIp: '169.254.10.1',
      peerAsn: 65010,
      peerBgpIp: '169.254.10.2',
      tunnelCidr: '169.254.10.0/30',
    };
    const [e] = changes(snap({}), snap({ conn: withTunnel1({ bgp }) }));
    expect(detail(e!).kind).toBe('tunnel-bgp');
    expect(detail(e!).changes).toContainEqual({ field: 'enabled', before: false, after: true });
    expect(detail(e!).changes).toContainEqual({ field: 'peerAsn', before: null, after: 65010 });
  });

  it('the PSK, by fingerprint only: the event holds no secret', () => {
    const [e] = changes(
      snap({}),
      snap({ conn: withTunnel1({ ike: { pskFingerprint: 'aa11bb22cc33' } as never }) }),
    );
    expect(detail(e!)).toEqual({
      kind: 'psk',
      subject: IDS.tunnel1,
      changes: [{ field: 'pskFingerprint', before: '3f2a9c0d1e4b', after: 'aa11bb22cc33' }],
    });
    expect(JSON.stringify(e)).not.toMatch(/"psk"\s*:\s*"[^"]/);
  });

  it('the customer gateway of a tunnel, and the customer gateway IP and ASN', () => {
    const [swap] = changes(snap({}), snap({ conn: withTunnel1({ customerGatewayId: 'cgw-other' }) }));
    expect(detail(swap!)).toMatchObject({ kind: 'customer-gateway', subject: IDS.tunnel1 });
    const cgw = topology().customerGateways[0]!;
    const moved = topology({ customerGateways: [{ ...cgw, ip: '198.51.100.99', asn: 65020 }] });
    const [ip] = changes(snap({}), snap({ topo: moved, at: NOW + 1 }));
    expect(detail(ip!)).toEqual({
      kind: 'customer-gateway',
      subject: cgw.id,
      changes: [
        { field: 'ip', before: cgw.ip, after: '198.51.100.99' },
        { field: 'asn', before: cgw.asn, after: 65020 },
      ],
    });
  });

  it('the connection: EffectImmediately, subnets and the routing mode they imply', () => {
    const [e] = changes(
      snap({}),
      snap({
        conn: connection({
          effectImmediately: false,
          localSubnets: ['0.0.0.0/0'],
          remoteSubnets: ['0.0.0.0/0'],
        }),
      }),
    );
    expect(detail(e!).kind).toBe('connection');
    const fields = detail(e!).changes.map((c) => c.field);
    expect(fields).toEqual(
      expect.arrayContaining(['effectImmediately', 'routingMode', 'localSubnets', 'remoteSubnets']),
    );
    expect(detail(e!).changes).toContainEqual({
      field: 'routingMode',
      before: 'protected-data-flows',
      after: 'destination-routing',
    });
  });

  it('VPN routes: withdrawn (published -> normal), removed and added', () => {
    const base = topology();
    const route = base.vpnRoutes[0]!;
    const withdrawn = topology({ vpnRoutes: [{ ...route, state: 'normal' }] });
    const [w] = changes(snap({}), snap({ topo: withdrawn, at: NOW + 1 }));
    expect(detail(w!)).toMatchObject({
      kind: 'vpn-route',
      changes: [{ field: expect.stringContaining('state'), before: 'published', after: 'normal' }],
    });
    const moved = topology({ vpnRoutes: [{ ...route, dest: '10.99.0.0/16' }] });
    const [m] = changes(snap({}), snap({ topo: moved, at: NOW + 1 }));
    expect(detail(m!).changes.map((c) => [c.before === null ? 'added' : 'removed'])).toEqual([
      ['added'],
      ['removed'],
    ]);
  });

  it('route table entries, security group rules and network ACL entries', () => {
    const base = topology();
    const table = base.routeTables[0]!;
    const lessRoutes = topology({ routeTables: [{ ...table, entries: table.entries.slice(1) }] });
    const [rt] = changes(snap({}), snap({ topo: lessRoutes, at: NOW + 1 }));
    expect(detail(rt!)).toMatchObject({ kind: 'route-table', subject: table.id });
    expect(detail(rt!).changes[0]).toMatchObject({ field: 'entry', after: null });

    const group = base.securityGroups[0]!;
    const extraRule = {
      direction: 'ingress' as const,
      policy: 'drop' as const,
      priority: 1,
      protocol: 'all',
      portRange: '-1/-1',
      cidr: '192.168.0.0/16',
      description: '',
    };
    const moreRules = topology({ securityGroups: [{ ...group, rules: [...group.rules, extraRule] }] });
    const [sg] = changes(snap({}), snap({ topo: moreRules, at: NOW + 1 }));
    expect(detail(sg!)).toMatchObject({
      kind: 'security-group',
      subject: group.id,
      changes: [{ field: 'rule', before: null, after: 'ingress drop all -1/-1 192.168.0.0/16 priority 1' }],
    });

    const acl = base.networkAcls[0]!;
    const blocking = {
      name: 'deny-dc',
      policy: 'drop',
      protocol: 'all',
      port: '-1/-1',
      cidr: '192.168.0.0/16',
      entryType: 'custom',
    };
    const denied = topology({ networkAcls: [{ ...acl, ingress: [blocking, ...acl.ingress] }] });
    const [na] = changes(snap({}), snap({ topo: denied, at: NOW + 1 }));
    expect(detail(na!)).toMatchObject({ kind: 'network-acl', subject: acl.id });
    expect(detail(na!).changes).toContainEqual({
      field: 'entry',
      before: null,
      after: '#1 ingress drop all -1/-1 192.168.0.0/16',
    });
  });

  it('the VPN gateway: status and specification', () => {
    const gw = topology().gateways[0]!;
    const [e] = changes(
      snap({}),
      snap({ topo: topology({ gateways: [{ ...gw, status: 'updating', spec: '20M' }] }), at: NOW + 1 }),
    );
    expect(detail(e!)).toEqual({
      kind: 'vpn-gateway',
      subject: gw.id,
      changes: [
        { field: 'status', before: 'active', after: 'updating' },
        { field: 'spec', before: '10M', after: '20M' },
      ],
    });
  });

  it('the first snapshot of a resource is not a change, nor is a new connection', () => {
    const w = new ChangeWatcher();
    expect(w.observe(snap({}), NOW)).toEqual([]);
    const other = connection({ id: 'vco-new000000000000001', name: 'new' });
    const both = snap({});
    both.regions[0]!.connections.data.push(other);
    expect(w.observe(both, NOW + 1)).toEqual([]);
  });

  it('a restart does not invent a change from the stored snapshot: a new watcher starts from what it sees', () => {
    // The stored baseline had group14; while the daemon was down the group became group2.
    const restarted = new ChangeWatcher();
    expect(
      restarted.observe(snap({ conn: withTunnel1({ ike: { dhGroup: 'group2' } as never }) }), NOW),
    ).toEqual([]);
  });

  it('an unreadable cycle is not compared, and the change shows once the region reads again', () => {
    const w = new ChangeWatcher();
    w.observe(snap({}), NOW);
    const changed = withTunnel1({ ike: { dhGroup: 'group2' } as never });
    expect(w.observe(snap({ conn: changed, complete: false }), NOW + 1)).toEqual([]);
    expect(w.observe(snap({ conn: changed }), NOW + 2)).toHaveLength(1);
    expect(w.observe(snap({ conn: changed }), NOW + 3)).toEqual([]);
  });

  it('a recovery that follows a change says so', () => {
    const [change] = changes(snap({}), snap({ conn: withTunnel1({ ike: { dhGroup: 'group2' } as never }) }));
    const up: VpnEvent = {
      ...change!,
      at: change!.at + 90_000,
      kind: 'tunnel_up',
      detail: { to: 'ipsec_sa_established' },
    };
    const [linked] = linkRecoveries([up], [change!], 30 * 60_000);
    expect(linked!.detail.afterChange).toMatchObject({ at: change!.at, kind: 'tunnel-ike' });
    const [late] = linkRecoveries([{ ...up, at: change!.at + 31 * 60_000 }], [change!], 30 * 60_000);
    expect(late!.detail.afterChange).toBeUndefined();
  });
});
