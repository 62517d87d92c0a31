// The per-topology caches (gateway scope, security-group rule sets, ACLs, verdicts per on-prem CIDR)
// live for one diagnose() call: a changed filter in the next snapshot gives the changed verdict, and
// connections sharing a filter within one call each get their own CIDR's verdict.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import type { SecurityGroupRule, Snapshot, Topology } from '../../src/model/snapshot.js';
import { ADDR, connection, IDS, snapshotWith, topology, tunnel } from '../fixtures/snapshot.js';

const accept = (protocol: string, cidr: string): SecurityGroupRule => ({
  direction: 'ingress',
  policy: 'accept',
  priority: 1,
  protocol,
  portRange: protocol === 'icmp' ? '-1/-1' : '1/65535',
  cidr,
  description: '',
});

const withSg = (rules: SecurityGroupRule[]): Topology =>
  topology({ securityGroups: [{ id: IDS.securityGroup, name: 'app', vpcId: IDS.vpc, rules }] });

const sgBlocks = (s: Snapshot) =>
  diagnose(s)
    .findings.filter((f) => f.rule === 'security-group-blocks')
    .map((f) => f.connectionId);

describe('topology caches', () => {
  it('a second snapshot whose security group no longer accepts ICMP gives the block', () => {
    const open = withSg([accept('icmp', ADDR.onPrem), accept('tcp', ADDR.onPrem)]);
    expect(sgBlocks(snapshotWith({ topology: open }))).toEqual([]);
    const closed = withSg([accept('tcp', ADDR.onPrem)]);
    expect(sgBlocks(snapshotWith({ topology: closed }))).toEqual([IDS.connection]);
    // And back: nothing of the closed group's verdict is left over.
    expect(
      sgBlocks(snapshotWith({ topology: withSg([accept('icmp', ADDR.onPrem), accept('tcp', ADDR.onPrem)]) })),
    ).toEqual([]);
  });

  it('the same topology object changed in place between calls gives the changed verdict', () => {
    const topo = withSg([accept('icmp', ADDR.onPrem), accept('tcp', ADDR.onPrem)]);
    const snapshot = snapshotWith({ topology: topo });
    expect(sgBlocks(snapshot)).toEqual([]);
    topo.securityGroups[0]!.rules = [accept('tcp', ADDR.onPrem)];
    expect(sgBlocks(snapshot)).toEqual([IDS.connection]);
    topo.networkAcls[0]!.ingress = [];
    const acl = diagnose(snapshot).findings.filter((f) => f.rule === 'network-acl-blocks');
    expect(acl.map((f) => f.connectionId)).toEqual([IDS.connection]);
  });

  it('connections sharing one security group each get the verdict for their own on-prem CIDR', () => {
    const other = '172.20.0.0/24';
    const second = connection({
      id: 'vco-second',
      remoteSubnets: [other],
      tunnels: [tunnel({ id: 'tun-second-1' }), tunnel({ id: 'tun-second-2', role: 'slave' })],
    });
    const topo = withSg([accept('icmp', ADDR.onPrem), accept('tcp', ADDR.onPrem), accept('tcp', other)]);
    const s = snapshotWith({ connections: [connection(), second], topology: topo });
    expect(sgBlocks(s)).toEqual(['vco-second']);
  });
});
