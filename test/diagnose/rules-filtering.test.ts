// Rule-level tests: the filtering rules fire through the real engine and stay silent on near misses.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import type {
  AclEntry,
  Connection,
  SecurityGroupRule,
  Snapshot,
  Topology,
} from '../../src/model/snapshot.js';
import {
  ADDR,
  connection,
  healthySnapshot,
  IDS,
  snapshotWith,
  topology,
  tunnel,
} from '../fixtures/snapshot.js';

const sgRule = (o: Partial<SecurityGroupRule>): SecurityGroupRule => ({
  direction: 'ingress',
  policy: 'accept',
  priority: 1,
  protocol: 'icmp',
  portRange: '-1/-1',
  cidr: ADDR.onPrem,
  description: '',
  ...o,
});

const TCP_OK = sgRule({ protocol: 'tcp', portRange: '1/65535' });

const withSgRules = (rules: SecurityGroupRule[]): Topology =>
  topology({ securityGroups: [{ id: IDS.securityGroup, name: 'app', vpcId: IDS.vpc, rules }] });

const aclEntry = (o: Partial<AclEntry>): AclEntry => ({
  name: 'e',
  policy: 'accept',
  protocol: 'all',
  port: '-1/-1',
  cidr: '0.0.0.0/0',
  entryType: 'custom',
  ...o,
});

function withIngressAcl(ingress: AclEntry[]): Topology {
  const t = topology();
  t.networkAcls[0]!.ingress = ingress;
  return t;
}

const run = (topo: Topology | null, conn: Connection = connection()): Snapshot =>
  snapshotWith({ connections: [conn], topology: topo });
const fired = (s: Snapshot, rule: string) => diagnose(s).findings.filter((f) => f.rule === rule);

describe('healthy', () => {
  it('no filtering finding and an ok filtering layer', () => {
    const d = diagnose(healthySnapshot());
    expect(d.findings.filter((f) => f.layer === 'filtering')).toEqual([]);
    expect(d.ladders[0]?.layers.find((l) => l.layer === 'filtering')?.state).toBe('ok');
  });
});

describe('security-group-blocks', () => {
  it('fires when no rule lets ICMP in from on-prem, naming instance, group and fix', () => {
    const s = run(withSgRules([TCP_OK]));
    const [f, ...rest] = fired(s, 'security-group-blocks');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', layer: 'filtering', tunnelId: null });
    expect(f?.text.en.summary).toContain(`${IDS.instance} (${ADDR.instanceIp})`);
    expect(f?.text.en.evidence[0]).toBe(
      `${ADDR.onPrem} → ${IDS.instance} (${ADDR.instanceIp}, ${IDS.vswitchA}): icmp blocked by security group ${IDS.securityGroup}`,
    );
    expect(f?.text.en.evidence[1]).toBe(
      `Deciding rules (ICMP): icmp: ${IDS.securityGroup}: no ingress rule accepts icmp from ${ADDR.onPrem} (unmatched inbound traffic is denied)`,
    );
    expect(f?.text.en.remediation[0]).toBe(
      `On Alibaba Cloud: in security group ${IDS.securityGroup} (used by ${IDS.instance} (${ADDR.instanceIp})), add inbound rules: accept, protocol ICMP, port -1/-1, source ${ADDR.onPrem}.`,
    );
    expect(f?.text.ja.remediation[0]).toContain('セキュリティグループ');
    expect(diagnose(s).ladders[0]?.firstFailingLayer).toBe('filtering');
  });
  it('a drop rule with a lower priority number wins over the accept', () => {
    const s = run(withSgRules([sgRule({ priority: 5 }), sgRule({ policy: 'drop', priority: 1 }), TCP_OK]));
    const [f] = fired(s, 'security-group-blocks');
    expect(f?.text.en.evidence[1]).toContain(
      `${IDS.securityGroup}: drop icmp -1/-1 from ${ADDR.onPrem}, priority 1`,
    );
  });
  it('at equal priority, drop beats accept', () => {
    const s = run(withSgRules([sgRule({ priority: 1 }), sgRule({ policy: 'drop', priority: 1 }), TCP_OK]));
    expect(fired(s, 'security-group-blocks')).toHaveLength(1);
  });
  it('near miss: the accept has the lower priority number', () => {
    const s = run(withSgRules([sgRule({ priority: 1 }), sgRule({ policy: 'drop', priority: 10 }), TCP_OK]));
    expect(fired(s, 'security-group-blocks')).toEqual([]);
  });
  it('near miss: only part of the on-prem CIDR is allowed (a fact, not a finding)', () => {
    const s = run(withSgRules([sgRule({ cidr: '192.168.1.0/24' }), TCP_OK]));
    expect(fired(s, 'security-group-blocks')).toEqual([]);
  });
  it('silent while no tunnel is up', () => {
    const conn = connection({
      tunnels: [
        tunnel({ index: 1, status: 'ike_sa_established' }),
        tunnel({ index: 2, status: 'ike_sa_not_established' }),
      ],
    });
    expect(fired(run(withSgRules([TCP_OK]), conn), 'security-group-blocks')).toEqual([]);
  });
  it('silent without topology', () => {
    expect(fired(run(null), 'security-group-blocks')).toEqual([]);
  });
});

describe('network-acl-blocks', () => {
  const DROP_PING = aclEntry({ name: 'no-ping', policy: 'drop', protocol: 'icmp', cidr: ADDR.onPrem });
  const ALLOW = aclEntry({ name: 'allow-all' });
  const SYSTEM = aclEntry({ name: 'system', policy: 'drop', entryType: 'system' });
  it('fires when an entry dropping ICMP from on-prem comes first', () => {
    const [f] = fired(run(withIngressAcl([DROP_PING, ALLOW, SYSTEM])), 'network-acl-blocks');
    expect(f?.severity).toBe('warning');
    expect(f?.text.en.evidence[1]).toContain(`${IDS.acl} ingress entry #1 "no-ping" (custom): drop icmp`);
    expect(f?.text.en.remediation[0]).toBe(
      `On Alibaba Cloud: in network ACL ${IDS.acl} (bound to ${IDS.vswitchA}), add inbound entries accepting ICMP from ${ADDR.onPrem} and outbound entries accepting ICMP to ${ADDR.onPrem}.`,
    );
    expect(f?.text.ja.title).toBe('ネットワーク ACL がオンプレミスからのトラフィックをブロックしています');
  });
  it('near miss: the same drop after the allow-all entry (order matters)', () => {
    expect(fired(run(withIngressAcl([ALLOW, DROP_PING, SYSTEM])), 'network-acl-blocks')).toEqual([]);
  });
  it('fires when only the system entry is left (no custom allow)', () => {
    expect(fired(run(withIngressAcl([SYSTEM])), 'network-acl-blocks')).toHaveLength(1);
  });
});
