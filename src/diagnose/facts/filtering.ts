// Filtering facts of one connection: would the security groups and network ACLs of the VPC let
// traffic from each on-prem CIDR reach each running instance? (The FAQ's "phase 2 OK, no ping".)

import { type Cidr, cachedCidr, isMoreSpecific } from '../../model/addressing.js';
import type {
  Connection,
  Instance,
  NetworkAcl,
  SecurityGroup,
  Topology,
  VSwitch,
} from '../../model/snapshot.js';
import { anyTunnelEstablished } from '../../model/tunnel-health.js';
import type { FactDoc } from './catalogue.js';
import { type AclDirection, aclCidrs, aclEvaluator } from './filtering-acl.js';
import {
  type AddressVerdict,
  type CidrVerdict,
  PROBES,
  type Probe,
  verdictOverBlocks,
} from './filtering-probe.js';
import { type SgRuleSet, sgRuleSet, sgSetEvaluator } from './filtering-sg.js';
import { jaList, withJa } from './localized.js';
import { factDoc } from './provider.js';
import { type GatewayScope, gatewayScope } from './routing-scope.js';
import { isDefaultRoute, onPremCidrs, routesOfConnection } from './routing-vpn.js';
import { indexFor, type TopologyIndex } from './topology-index.js';

/** Traffic from one on-prem CIDR to one instance that a filter blocks, wholly or in part. */
export interface FilterBlock {
  cidr: string;
  instanceId: string;
  instanceName: string;
  instanceIp: string;
  vswitchId: string;
  /** The filter: security group ids, or the network ACL id. */
  filterIds: string[];
  /** Probes blocked for every address of the CIDR. */
  blockedProbes: string[];
  /** Probes blocked for only part of the CIDR. */
  partlyBlockedProbes: string[];
  /** ICMP (ping) is blocked for the whole CIDR. */
  icmpBlocked: boolean;
  /** "icmp: 192.168.0.0/16" — what part of the CIDR each blocked probe loses. */
  blockedParts: string[];
  /** "icmp: <deciding rule or default>" per blocked probe. */
  by: string[];
  text: string;
}

/** One filter to change so that ping from on-prem works, with the CIDRs to accept and who gains. */
export interface FilterFix {
  filterIds: string[];
  vswitchIds: string[];
  cidrs: string[];
  /** "i-… (10.0.1.10)". */
  instances: string[];
}

export interface FilteringFacts {
  known: boolean;
  unknownReason: string | null;
  /** Probe ids tested: icmp, tcp/22, tcp/443. */
  probes: string[];
  /** Some tunnel is established (phase 2), so traffic could flow. */
  tunnelUp: boolean;
  onPremCidrs: string[];
  instancesChecked: number;
  /** Instances (or their filters) that could not be evaluated, with the reason. */
  unknownInstances: string[];
  securityGroupBlocks: FilterBlock[];
  networkAclBlocks: FilterBlock[];
  /** Security groups (per instance group set) blocking ICMP from a whole on-prem CIDR, one fix each. */
  securityGroupIcmpFixes: FilterFix[];
  /** Network ACLs blocking ICMP from a whole on-prem CIDR, one fix each. */
  networkAclIcmpFixes: FilterFix[];
}

interface ProbeVerdict {
  probe: Probe;
  verdict: CidrVerdict;
}

function block(
  cidr: Cidr,
  instance: Instance,
  filterIds: string[],
  what: { en: string; ja: string },
  verdicts: ProbeVerdict[],
): FilterBlock | null {
  const hit = verdicts.filter((v) => v.verdict.blocked.length > 0);
  if (hit.length === 0) return null;
  const blockedProbes = hit.filter((v) => v.verdict.whole).map((v) => v.probe.id);
  const partly = hit.filter((v) => !v.verdict.whole).map((v) => v.probe.id);
  const ip = instance.privateIps[0] ?? '';
  const parts = [
    blockedProbes.length ? `${blockedProbes.join(', ')} blocked` : '',
    partly.length ? `${partly.join(', ')} blocked for part of it` : '',
  ].filter(Boolean);
  const partsJa = [
    blockedProbes.length ? `${blockedProbes.join(', ')} を遮断` : '',
    partly.length ? `${partly.join(', ')} を一部遮断` : '',
  ].filter(Boolean);
  const block: FilterBlock = {
    cidr: cidr.text,
    instanceId: instance.id,
    instanceName: instance.name,
    instanceIp: ip,
    vswitchId: instance.vswitchId,
    filterIds,
    blockedProbes,
    partlyBlockedProbes: partly,
    icmpBlocked: blockedProbes.includes('icmp'),
    blockedParts: hit.map((v) => `${v.probe.id}: ${v.verdict.blocked.join(', ')}`),
    by: jaList(
      hit.flatMap((v) => v.verdict.by.map((b) => `${v.probe.id}: ${b}`)),
      hit.flatMap((v) => v.verdict.byJa.map((b) => `${v.probe.id}: ${b}`)),
    ),
    text: `${cidr.text} → ${instance.id} (${ip}, ${instance.vswitchId}): ${parts.join('; ')} by ${what.en} ${filterIds.join(', ')}`,
  };
  return withJa(block, {
    text: `${cidr.text} → ${instance.id} (${ip}, ${instance.vswitchId}): ${what.ja} ${filterIds.join(', ')} が ${partsJa.join('、')}`,
  });
}

function sgVerdicts(cidr: Cidr, set: SgRuleSet): ProbeVerdict[] {
  return PROBES.map((probe) => ({
    probe,
    verdict: verdictOverBlocks(cidr, set.ruleCidrs, sgSetEvaluator(set, probe, cidr)),
  }));
}

const DIRECTIONS: readonly AclDirection[] = ['ingress', 'egress'];

/** An ACL's entries per direction, parsed and split per probe once. */
interface PreparedAcl {
  blocks: Map<AclDirection, Cidr[]>;
  evaluators: Map<string, (ip: number, source: string) => AddressVerdict>;
}

function prepareAcl(acl: NetworkAcl): PreparedAcl {
  const blocks = new Map<AclDirection, Cidr[]>();
  const evaluators = new Map<string, (ip: number, source: string) => AddressVerdict>();
  for (const d of DIRECTIONS) {
    blocks.set(
      d,
      aclCidrs(acl, d)
        .map(cachedCidr)
        .filter((c): c is Cidr => c !== null),
    );
    for (const probe of PROBES) evaluators.set(`${d}|${probe.id}`, aclEvaluator(acl, d, probe));
  }
  return { blocks, evaluators };
}

function aclVerdicts(cidr: Cidr, acl: PreparedAcl): ProbeVerdict[] {
  return PROBES.map((probe) => {
    const each = DIRECTIONS.map((d) =>
      verdictOverBlocks(cidr, acl.blocks.get(d) ?? [], acl.evaluators.get(`${d}|${probe.id}`)!),
    );
    return {
      probe,
      verdict: {
        whole: each.some((v) => v.whole),
        blocked: [...new Set(each.flatMap((v) => v.blocked))],
        by: each.flatMap((v) => v.by),
        byJa: each.flatMap((v) => v.byJa),
      },
    };
  });
}

const isRunning = (i: Instance): boolean => i.status === '' || i.status.toLowerCase() === 'running';

function aclOf(vswitch: VSwitch | undefined, topo: Topology): NetworkAcl | null | 'missing' {
  if (!vswitch) return 'missing';
  const acl =
    topo.networkAcls.find((a) => a.id === vswitch.networkAclId) ??
    topo.networkAcls.find((a) => a.vswitchIds.includes(vswitch.id));
  if (acl) return acl;
  return vswitch.networkAclId ? 'missing' : null;
}

/** What filtering needs of one VPC, looked up once per topology: running instances, their groups and ACLs. */
interface InstanceFilters {
  instance: Instance;
  /** The instance's groups in its order; undefined where a group was not collected. */
  groups: (SecurityGroup | undefined)[];
  absentGroups: string[];
  acl: NetworkAcl | null | 'missing';
}

function vpcFilters(scope: GatewayScope, index: TopologyIndex): InstanceFilters[] {
  return index.once(`filtering|instances|${scope.vpc.id}`, () => {
    const topo = index.topo;
    const groupsById = index.once('filtering|groups', () => {
      const m = new Map<string, SecurityGroup>();
      for (const g of topo.securityGroups) if (!m.has(g.id)) m.set(g.id, g);
      return m;
    });
    return topo.instances
      .filter((i) => i.vpcId === scope.vpc.id && isRunning(i))
      .map((instance) => {
        const groups = instance.securityGroupIds.map((id) => groupsById.get(id));
        return {
          instance,
          groups,
          absentGroups: instance.securityGroupIds.filter((_, k) => !groups[k]),
          acl: aclOf(
            scope.vswitches.find((s) => s.id === instance.vswitchId),
            topo,
          ),
        };
      });
  });
}

/** On-prem CIDRs worth probing: a default route stands for "everything", not for on-prem hosts. */
function probedCidrs(conn: Connection, topo: Topology, index: TopologyIndex): Cidr[] {
  const unique = new Map<string, Cidr>();
  for (const i of onPremCidrs(conn, routesOfConnection(conn, topo, index))) {
    if (i.cidr && !isDefaultRoute(i.cidr)) unique.set(i.cidr.text, i.cidr);
  }
  const cidrs = [...unique.values()];
  // A CIDR inside another one is covered by probing the larger block.
  return cidrs.filter((c) => !cidrs.some((o) => isMoreSpecific(c, o)));
}

/** Security-group and network-ACL verdicts for traffic from each on-prem CIDR to each running instance. */
export function filteringFacts(
  conn: Connection,
  topo: Topology | null,
  topologyIndex?: TopologyIndex | null,
): FilteringFacts {
  const { scope, reason } = gatewayScope(conn, topo, topologyIndex);
  const base: FilteringFacts = {
    known: false,
    unknownReason: reason,
    probes: PROBES.map((p) => p.id),
    tunnelUp: anyTunnelEstablished(conn),
    onPremCidrs: [],
    instancesChecked: 0,
    unknownInstances: [],
    securityGroupBlocks: [],
    networkAclBlocks: [],
    securityGroupIcmpFixes: [],
    networkAclIcmpFixes: [],
  };
  if (!scope || !topo) return base;
  const index = indexFor(topo, topologyIndex);
  const cidrs = probedCidrs(conn, topo, index);
  const filters = vpcFilters(scope, index);
  // Object.assign, not a spread: see mergeFacts (localized.ts). Every connection gets these facts.
  const facts: FilteringFacts = Object.assign(base, {
    known: true,
    unknownReason: null,
    onPremCidrs: cidrs.map((c) => c.text),
  });
  // Instances and connections share groups and ACLs: evaluate each filter once per on-prem CIDR.
  for (const { instance, groups, absentGroups, acl } of filters) {
    facts.instancesChecked++;
    if (instance.securityGroupIds.length === 0 || absentGroups.length > 0) {
      facts.unknownInstances.push(
        `${instance.id}: security group ${absentGroups.join(', ') || '(none listed)'} not collected`,
      );
    }
    if (acl === 'missing')
      facts.unknownInstances.push(`${instance.id}: network ACL of ${instance.vswitchId} not collected`);
    for (const cidr of cidrs) {
      if (absentGroups.length === 0 && instance.securityGroupIds.length > 0) {
        const key = instance.securityGroupIds.join(',');
        const set = index.once(`filtering|sg-set|${key}`, () =>
          sgRuleSet(
            groups.filter((g): g is SecurityGroup => g !== undefined),
            PROBES,
          ),
        );
        const b = block(
          cidr,
          instance,
          instance.securityGroupIds,
          { en: 'security group', ja: 'セキュリティグループ' },
          index.once(`filtering|sg|${key}|${cidr.text}`, () => sgVerdicts(cidr, set)),
        );
        if (b) facts.securityGroupBlocks.push(b);
      }
      if (acl && acl !== 'missing') {
        const prepared = index.onceFor(acl, 'prepared', () => prepareAcl(acl));
        const b = block(
          cidr,
          instance,
          [acl.id],
          { en: 'network ACL', ja: 'ネットワーク ACL' },
          index.onceFor(acl, cidr.text, () => aclVerdicts(cidr, prepared)),
        );
        if (b) facts.networkAclBlocks.push(b);
      }
    }
  }
  facts.securityGroupIcmpFixes = icmpFixes(facts.securityGroupBlocks);
  facts.networkAclIcmpFixes = icmpFixes(facts.networkAclBlocks);
  return facts;
}

/** ICMP-blocking pairs grouped by the filter to change. */
function icmpFixes(blocks: readonly FilterBlock[]): FilterFix[] {
  const fixes = new Map<string, FilterFix>();
  const add = (xs: string[], x: string) => {
    if (!xs.includes(x)) xs.push(x);
  };
  for (const b of blocks.filter((x) => x.icmpBlocked)) {
    const key = b.filterIds.join(',');
    const fix = fixes.get(key) ?? { filterIds: b.filterIds, vswitchIds: [], cidrs: [], instances: [] };
    add(fix.vswitchIds, b.vswitchId);
    add(fix.cidrs, b.cidr);
    add(fix.instances, `${b.instanceId} (${b.instanceIp})`);
    fixes.set(key, fix);
  }
  return [...fixes.values()];
}

const f = factDoc('filtering');

/** Every filtering fact a rule may name. */
export const FILTERING_FACTS: FactDoc[] = [
  f(
    'known',
    'bool',
    'Topology (VPC, instances, security groups, ACLs) collected completely; false = filtering unknown',
  ),
  f('unknownReason', 'string|null', 'Why filtering is unknown (null when known)'),
  f('probes', 'list<string>', 'Probes tested from on-prem to each instance: icmp (echo), tcp/22, tcp/443'),
  f('tunnelUp', 'bool', 'Some tunnel is established (phase 2), so traffic could flow'),
  f('onPremCidrs', 'list<string>', 'On-prem CIDRs probed (a default route 0.0.0.0/0 is not probed)'),
  f('instancesChecked', 'int', 'Running instances of the VPC evaluated'),
  f(
    'unknownInstances',
    'list<string>',
    'Instances whose security groups or network ACL were not collected, with the reason',
  ),
  f(
    'securityGroupBlocks',
    'list<map>',
    'On-prem CIDR → instance pairs a security group blocks: {cidr, instanceId, instanceName, instanceIp, vswitchId, filterIds, blockedProbes, partlyBlockedProbes, icmpBlocked, blockedParts, by, text}',
  ),
  f(
    'securityGroupIcmpFixes',
    'list<map>',
    'Security group sets blocking ICMP from a whole on-prem CIDR, one fix each: {filterIds, vswitchIds, cidrs, instances}',
  ),
  f(
    'networkAclIcmpFixes',
    'list<map>',
    'Network ACLs blocking ICMP from a whole on-prem CIDR, one fix each: {filterIds, vswitchIds, cidrs, instances}',
  ),
  f(
    'networkAclBlocks',
    'list<map>',
    'On-prem CIDR → instance pairs the network ACL blocks (request or reply), same shape; filterIds = [acl id]',
  ),
];
