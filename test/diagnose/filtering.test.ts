import { describe, expect, it } from 'vitest';
import { FILTERING_FACTS, filteringFacts } from '../../src/diagnose/facts/filtering.js';
import { evaluateAcl, orderedEntries } from '../../src/diagnose/facts/filtering-acl.js';
import { PROBES, portRangeContains, protocolMatches } from '../../src/diagnose/facts/filtering-probe.js';
import { evaluateSecurityGroups } from '../../src/diagnose/facts/filtering-sg.js';
import { parseIpv4 } from '../../src/model/addressing.js';
import type { AclEntry, NetworkAcl, SecurityGroupRule, Topology } from '../../src/model/snapshot.js';
import { ADDR, connection, IDS, topology } from '../fixtures/snapshot.js';

const icmp = PROBES.find((p) => p.id === 'icmp')!;
const ssh = PROBES.find((p) => p.id === 'tcp/22')!;
const https = PROBES.find((p) => p.id === 'tcp/443')!;
const ONPREM_HOST = parseIpv4('192.168.1.5');

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

const group = (rules: SecurityGroupRule[], id: string = IDS.securityGroup) => ({
  id,
  name: id,
  vpcId: IDS.vpc,
  rules,
});

/** The healthy topology with the app security group's rules replaced. */
const withSgRules = (rules: SecurityGroupRule[]): Topology => topology({ securityGroups: [group(rules)] });

const aclEntry = (o: Partial<AclEntry>): AclEntry => ({
  name: 'e',
  policy: 'accept',
  protocol: 'all',
  port: '-1/-1',
  cidr: '0.0.0.0/0',
  entryType: 'custom',
  ...o,
});

const SYSTEM_DROP = aclEntry({ name: 'system', policy: 'drop', entryType: 'system' });
const ALLOW_ALL = aclEntry({ name: 'allow-all' });

function withAcl(ingress: AclEntry[], egress: AclEntry[] = [ALLOW_ALL, SYSTEM_DROP]): Topology {
  const t = topology();
  const acl = t.networkAcls[0]!;
  acl.ingress = ingress;
  acl.egress = egress;
  return t;
}

describe('probe matching', () => {
  it('protocols: all, names in any case, IANA numbers', () => {
    expect(protocolMatches('ALL', icmp)).toBe(true);
    expect(protocolMatches('ICMP', icmp)).toBe(true);
    expect(protocolMatches('1', icmp)).toBe(true);
    expect(protocolMatches('6', ssh)).toBe(true);
    expect(protocolMatches('tcp', icmp)).toBe(false);
    expect(protocolMatches('udp', ssh)).toBe(false);
  });
  it('port ranges a/b and -1/-1', () => {
    expect(portRangeContains('22/22', 22)).toBe(true);
    expect(portRangeContains('1/21', 22)).toBe(false);
    expect(portRangeContains('-1/-1', 443)).toBe(true);
    expect(portRangeContains('nonsense', 22)).toBe(false);
  });
});

describe('evaluateSecurityGroups', () => {
  it('denies inbound traffic no rule matches', () => {
    const v = evaluateSecurityGroups(
      [group([sgRule({ protocol: 'tcp', portRange: '22/22' })])],
      ONPREM_HOST,
      icmp,
    );
    expect(v.allowed).toBe(false);
    expect(v.by).toBe(
      `${IDS.securityGroup}: no ingress rule accepts icmp from 192.168.1.5 (unmatched inbound traffic is denied)`,
    );
  });
  it('a drop rule with a lower priority number wins over an accept', () => {
    const g = group([
      sgRule({ policy: 'accept', priority: 5 }),
      sgRule({ policy: 'drop', priority: 1, cidr: '0.0.0.0/0', description: 'no ping' }),
    ]);
    const v = evaluateSecurityGroups([g], ONPREM_HOST, icmp);
    expect(v).toEqual({
      allowed: false,
      by: `${IDS.securityGroup}: drop icmp -1/-1 from 0.0.0.0/0, priority 1 (no ping)`,
      byJa: `${IDS.securityGroup}: icmp -1/-1 を 0.0.0.0/0 から drop、優先度 1 (no ping)`,
    });
  });
  it('near miss: an accept with a lower priority number wins over a drop', () => {
    const g = group([sgRule({ policy: 'accept', priority: 1 }), sgRule({ policy: 'drop', priority: 10 })]);
    expect(evaluateSecurityGroups([g], ONPREM_HOST, icmp).allowed).toBe(true);
  });
  it('at equal priority drop beats accept, whatever the order', () => {
    const g = group([sgRule({ policy: 'accept', priority: 3 }), sgRule({ policy: 'drop', priority: 3 })]);
    expect(evaluateSecurityGroups([g], ONPREM_HOST, icmp).allowed).toBe(false);
    const reversed = group([
      sgRule({ policy: 'drop', priority: 3 }),
      sgRule({ policy: 'accept', priority: 3 }),
    ]);
    expect(evaluateSecurityGroups([reversed], ONPREM_HOST, icmp).allowed).toBe(false);
  });
  it('rules of all the instance groups apply together', () => {
    const allow = group([sgRule({ priority: 2 })], 'sg-allow');
    const deny = group([sgRule({ policy: 'drop', priority: 1, protocol: 'all' })], 'sg-deny');
    expect(evaluateSecurityGroups([allow], ONPREM_HOST, icmp).allowed).toBe(true);
    expect(evaluateSecurityGroups([allow, deny], ONPREM_HOST, icmp)).toMatchObject({ allowed: false });
  });
  it('protocol all matches every probe; egress rules and group sources are ignored', () => {
    const g = group([
      sgRule({ protocol: 'all', policy: 'accept' }),
      sgRule({ direction: 'egress', policy: 'drop', protocol: 'all', cidr: '0.0.0.0/0' }),
      sgRule({ policy: 'drop', protocol: 'all', cidr: '' }),
    ]);
    for (const p of PROBES) expect(evaluateSecurityGroups([g], ONPREM_HOST, p).allowed).toBe(true);
  });
  it('the source CIDR must contain the address', () => {
    const g = group([sgRule({ cidr: '10.0.0.0/8' })]);
    expect(evaluateSecurityGroups([g], ONPREM_HOST, icmp).allowed).toBe(false);
  });
});

describe('evaluateAcl', () => {
  const acl = (ingress: AclEntry[]): NetworkAcl => ({
    id: 'nacl-1',
    vpcId: IDS.vpc,
    vswitchIds: [],
    ingress,
    egress: [],
  });
  it('the first matching entry decides: order matters', () => {
    const dropFirst = acl([
      aclEntry({ name: 'no-ping', policy: 'drop', protocol: 'icmp', cidr: ADDR.onPrem }),
      ALLOW_ALL,
    ]);
    expect(evaluateAcl(dropFirst, 'ingress', ONPREM_HOST, icmp)).toEqual({
      allowed: false,
      by: `nacl-1 ingress entry #1 "no-ping" (custom): drop icmp -1/-1 from ${ADDR.onPrem}`,
      byJa: `nacl-1 インバウンド エントリ #1 "no-ping" (custom): icmp -1/-1 を次の送信元から ${ADDR.onPrem} drop`,
    });
    const allowFirst = acl([
      ALLOW_ALL,
      aclEntry({ name: 'no-ping', policy: 'drop', protocol: 'icmp', cidr: ADDR.onPrem }),
    ]);
    expect(evaluateAcl(allowFirst, 'ingress', ONPREM_HOST, icmp).allowed).toBe(true);
  });
  it('system entries come after custom ones even when listed first', () => {
    expect(orderedEntries([SYSTEM_DROP, ALLOW_ALL]).map((e) => e.name)).toEqual(['allow-all', 'system']);
    expect(evaluateAcl(acl([SYSTEM_DROP, ALLOW_ALL]), 'ingress', ONPREM_HOST, ssh).allowed).toBe(true);
  });
  it('ports and protocols must match the probe', () => {
    const a = acl([aclEntry({ protocol: 'tcp', port: '443/443' }), SYSTEM_DROP]);
    expect(evaluateAcl(a, 'ingress', ONPREM_HOST, https).allowed).toBe(true);
    expect(evaluateAcl(a, 'ingress', ONPREM_HOST, ssh).allowed).toBe(false);
    expect(evaluateAcl(a, 'ingress', ONPREM_HOST, icmp).allowed).toBe(false);
  });
  it('with no matching entry, traffic is denied', () => {
    expect(evaluateAcl(acl([]), 'ingress', ONPREM_HOST, icmp).by).toBe(
      'nacl-1 ingress: no entry matches icmp from 192.168.1.5 (denied)',
    );
  });
});

describe('filteringFacts', () => {
  it('the healthy topology blocks nothing', () => {
    const f = filteringFacts(connection(), topology());
    expect(f).toMatchObject({
      known: true,
      unknownReason: null,
      probes: ['icmp', 'tcp/22', 'tcp/443'],
      onPremCidrs: [ADDR.onPrem],
      instancesChecked: 1,
      unknownInstances: [],
      securityGroupBlocks: [],
      networkAclBlocks: [],
      tunnelUp: true,
    });
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });

  it('is unknown without topology', () => {
    const f = filteringFacts(connection(), null);
    expect(f.known).toBe(false);
    expect(f.unknownReason).toMatch(/topology/);
  });

  it('a security group without an ICMP rule blocks ping only, and says which probe', () => {
    const f = filteringFacts(connection(), withSgRules([sgRule({ protocol: 'tcp', portRange: '1/65535' })]));
    expect(f.securityGroupBlocks).toEqual([
      {
        cidr: ADDR.onPrem,
        instanceId: IDS.instance,
        instanceName: 'app-1',
        instanceIp: ADDR.instanceIp,
        vswitchId: IDS.vswitchA,
        filterIds: [IDS.securityGroup],
        blockedProbes: ['icmp'],
        partlyBlockedProbes: [],
        icmpBlocked: true,
        blockedParts: [`icmp: ${ADDR.onPrem}`],
        by: [
          `icmp: ${IDS.securityGroup}: no ingress rule accepts icmp from ${ADDR.onPrem} (unmatched inbound traffic is denied)`,
        ],
        text: `${ADDR.onPrem} → ${IDS.instance} (${ADDR.instanceIp}, ${IDS.vswitchA}): icmp blocked by security group ${IDS.securityGroup}`,
      },
    ]);
  });

  it('groups ICMP blocks into one fix per filter, listing the instances', () => {
    const t = withSgRules([sgRule({ protocol: 'tcp', portRange: '1/65535' })]);
    t.instances.push({ ...t.instances[0]!, id: 'i-two', privateIps: ['10.0.2.20'], vswitchId: IDS.vswitchB });
    const f = filteringFacts(connection(), t);
    expect(f.securityGroupBlocks).toHaveLength(2);
    expect(f.securityGroupIcmpFixes).toEqual([
      {
        filterIds: [IDS.securityGroup],
        vswitchIds: [IDS.vswitchA, IDS.vswitchB],
        cidrs: [ADDR.onPrem],
        instances: [`${IDS.instance} (${ADDR.instanceIp})`, 'i-two (10.0.2.20)'],
      },
    ]);
    expect(f.networkAclIcmpFixes).toEqual([]);
  });

  it('a rule allowing only part of the on-prem CIDR blocks the rest, as a partial block', () => {
    const f = filteringFacts(
      connection(),
      withSgRules([sgRule({ protocol: 'all', cidr: '192.168.1.0/24' })]),
    );
    const [b] = f.securityGroupBlocks;
    expect(b?.icmpBlocked).toBe(false);
    expect(b?.blockedProbes).toEqual([]);
    expect(b?.partlyBlockedProbes).toEqual(['icmp', 'tcp/22', 'tcp/443']);
    expect(b?.blockedParts[0]).toBe('icmp: 192.168.0.0/24, 192.168.2.0-192.168.255.255');
    expect(
      filteringFacts(connection(), withSgRules([sgRule({ protocol: 'all', cidr: '192.168.1.0/24' })]))
        .securityGroupIcmpFixes,
    ).toEqual([]);
  });

  it('caps long lists of blocked parts and reasons', () => {
    const rules = Array.from({ length: 20 }, (_, i) =>
      sgRule({ protocol: 'all', cidr: `192.168.${i * 2}.0/24` }),
    );
    const [b] = filteringFacts(connection(), withSgRules(rules)).securityGroupBlocks;
    const icmpParts = b?.blockedParts[0]?.split(', ') ?? [];
    expect(icmpParts).toHaveLength(6);
    expect(icmpParts.slice(0, 2)).toEqual(['icmp: 192.168.1.0/24', '192.168.3.0/24']);
    expect(icmpParts[5]).toBe('… and 15 more'); // 20 blocked ranges: 19 gaps and the tail
  });

  it('a higher-priority drop of everything blocks every probe', () => {
    const rules = [
      sgRule({ protocol: 'all', priority: 2 }),
      sgRule({ protocol: 'all', policy: 'drop', priority: 1 }),
    ];
    const [b] = filteringFacts(connection(), withSgRules(rules)).securityGroupBlocks;
    expect(b?.blockedProbes).toEqual(['icmp', 'tcp/22', 'tcp/443']);
  });

  it('a stopped instance is not checked; a missing security group makes the instance unknown', () => {
    const t = topology();
    t.instances.push({
      ...t.instances[0]!,
      id: 'i-stopped',
      status: 'Stopped',
      securityGroupIds: ['sg-gone'],
    });
    t.instances.push({ ...t.instances[0]!, id: 'i-orphan', securityGroupIds: ['sg-gone'] });
    const f = filteringFacts(connection(), t);
    expect(f.instancesChecked).toBe(2);
    expect(f.unknownInstances).toEqual(['i-orphan: security group sg-gone not collected']);
    expect(f.securityGroupBlocks).toEqual([]);
  });

  it('an ACL entry dropping ICMP from on-prem before the allow blocks ping', () => {
    const t = withAcl([
      aclEntry({ name: 'no-ping', policy: 'drop', protocol: 'icmp', cidr: ADDR.onPrem }),
      ALLOW_ALL,
      SYSTEM_DROP,
    ]);
    const f = filteringFacts(connection(), t);
    expect(f.networkAclBlocks).toHaveLength(1);
    expect(f.networkAclBlocks[0]).toMatchObject({
      filterIds: [IDS.acl],
      blockedProbes: ['icmp'],
      icmpBlocked: true,
      by: [`icmp: ${IDS.acl} ingress entry #1 "no-ping" (custom): drop icmp -1/-1 from ${ADDR.onPrem}`],
    });
  });

  it('near miss: the same drop after the allow blocks nothing', () => {
    const t = withAcl([
      ALLOW_ALL,
      aclEntry({ policy: 'drop', protocol: 'icmp', cidr: ADDR.onPrem }),
      SYSTEM_DROP,
    ]);
    expect(filteringFacts(connection(), t).networkAclBlocks).toEqual([]);
  });

  it('ACLs are stateless: an egress drop towards on-prem blocks the replies', () => {
    const t = withAcl(
      [ALLOW_ALL, SYSTEM_DROP],
      [aclEntry({ policy: 'drop', cidr: ADDR.onPrem }), ALLOW_ALL, SYSTEM_DROP],
    );
    const [b] = filteringFacts(connection(), t).networkAclBlocks;
    expect(b?.blockedProbes).toEqual(['icmp', 'tcp/22', 'tcp/443']);
    expect(b?.by[0]).toMatch(/egress entry #1 .* drop all -1\/-1 to 192\.168\.0\.0\/16/);
  });

  it('an egress entry for a single port is passed over for TCP replies (ephemeral ports)', () => {
    const t = withAcl([ALLOW_ALL], [aclEntry({ policy: 'drop', protocol: 'tcp', port: '22/22' }), ALLOW_ALL]);
    expect(filteringFacts(connection(), t).networkAclBlocks).toEqual([]);
  });

  it('a vSwitch without an ACL is not filtered; an ACL that was not collected is unknown', () => {
    const none = topology({ networkAcls: [] });
    none.vswitches = none.vswitches.map((s) => ({ ...s, networkAclId: null }));
    expect(filteringFacts(connection(), none).networkAclBlocks).toEqual([]);
    expect(filteringFacts(connection(), none).unknownInstances).toEqual([]);
    const gone = topology({ networkAcls: [] });
    expect(filteringFacts(connection(), gone).unknownInstances).toEqual([
      `${IDS.instance}: network ACL of ${IDS.vswitchA} not collected`,
    ]);
  });

  it('probes each on-prem CIDR once: a block inside another is covered by it', () => {
    const f = filteringFacts(
      connection({ remoteSubnets: ['192.168.0.0/16', '192.168.1.0/24', '172.16.0.0/12'] }),
      topology(),
    );
    expect(f.onPremCidrs).toEqual(['192.168.0.0/16', '172.16.0.0/12']);
    // 172.16.0.0/12 has no ICMP/TCP rule in the healthy group.
    expect(f.securityGroupBlocks.map((b) => [b.cidr, b.blockedProbes])).toEqual([
      ['172.16.0.0/12', ['icmp', 'tcp/22', 'tcp/443']],
    ]);
  });
});

describe('FILTERING_FACTS', () => {
  it('documents every field of FilteringFacts', () => {
    const names = FILTERING_FACTS.map((d) => d.name.replace(/^filtering\./, '')).sort();
    expect(names).toEqual(Object.keys(filteringFacts(connection(), topology())).sort());
  });
});
