// Security-group evaluation as ECS does it for inbound traffic: the ingress rules of every group of
// the instance apply together; among the rules that match, the lowest priority number wins; at equal
// priority `drop` beats `accept`; when no rule matches, inbound traffic is denied.

import { type Cidr, cachedCidr, cidrContainsIp, cidrsOverlap, formatIp } from '../../model/addressing.js';
import type { SecurityGroup, SecurityGroupRule } from '../../model/snapshot.js';
import { type AddressVerdict, type Probe, portMatches, protocolMatches } from './filtering-probe.js';

interface OwnedRule {
  groupId: string;
  rule: SecurityGroupRule;
}

const isDrop = (r: SecurityGroupRule): boolean => r.policy.toLowerCase() === 'drop';

/** "sg-1: drop icmp -1/-1 from 0.0.0.0/0, priority 1 (desc)". */
export const describeSgRule = ({ groupId, rule }: OwnedRule): string =>
  `${groupId}: ${rule.policy.toLowerCase()} ${rule.protocol.toLowerCase()} ${rule.portRange} from ${rule.cidr}, priority ${rule.priority}${rule.description ? ` (${rule.description})` : ''}`;

/** "sg-1: icmp -1/-1 を 0.0.0.0/0 から drop、優先度 1 (desc)". */
export const describeSgRuleJa = ({ groupId, rule }: OwnedRule): string =>
  `${groupId}: ${rule.protocol.toLowerCase()} ${rule.portRange} を ${rule.cidr} から ${rule.policy.toLowerCase()}、優先度 ${rule.priority}${rule.description ? ` (${rule.description})` : ''}`;

/** Ingress rules that name a source CIDR (group and prefix-list sources cannot match on-prem addresses). */
export function ingressRules(groups: readonly SecurityGroup[]): OwnedRule[] {
  return groups.flatMap((g) =>
    g.rules
      .filter((rule) => rule.direction === 'ingress' && rule.cidr.trim() !== '')
      .map((rule) => ({ groupId: g.id, rule })),
  );
}

interface Candidate {
  owned: OwnedRule;
  cidr: Cidr | null;
}

/** The ingress rules of one set of groups, parsed once: shared by every instance and connection. */
export interface SgRuleSet {
  groups: readonly SecurityGroup[];
  /** Source CIDRs of the rules (parsable ones), for cutting an on-prem CIDR into pieces. */
  ruleCidrs: Cidr[];
  /** Per probe id: the rules whose protocol and ports match the probe. */
  candidates: Map<string, Candidate[]>;
}

export function sgRuleSet(groups: readonly SecurityGroup[], probes: readonly Probe[]): SgRuleSet {
  const rules = ingressRules(groups);
  const ruleCidrs = rules.map((r) => cachedCidr(r.rule.cidr)).filter((c): c is Cidr => c !== null);
  const candidates = new Map<string, Candidate[]>();
  for (const probe of probes) {
    candidates.set(
      probe.id,
      rules
        .filter(({ rule }) => protocolMatches(rule.protocol, probe) && portMatches(rule.portRange, probe))
        .map((owned) => ({ owned, cidr: cachedCidr(owned.rule.cidr) })),
    );
  }
  return { groups, ruleCidrs, candidates };
}

function evaluatorOf(
  groups: readonly SecurityGroup[],
  candidates: readonly Candidate[],
  probe: Probe,
): (src: number, source?: string) => AddressVerdict {
  const ids = groups.map((g) => g.id).join(', ');
  return (src, source) => {
    const matching = candidates
      .filter((c) => c.cidr !== null && cidrContainsIp(c.cidr, src))
      .map((c) => c.owned);
    if (matching.length === 0) {
      return {
        allowed: false,
        by: `${ids}: no ingress rule accepts ${probe.id} from ${source ?? formatIp(src)} (unmatched inbound traffic is denied)`,
        byJa: `${ids}: ${source ?? formatIp(src)} からの ${probe.id} を許可するインバウンドルールがありません (一致しないインバウンドトラフィックは拒否されます)`,
      };
    }
    const top = Math.min(...matching.map((m) => m.rule.priority));
    const atTop = matching.filter((m) => m.rule.priority === top);
    const winner = atTop.find((m) => isDrop(m.rule)) ?? atTop[0]!;
    return { allowed: !isDrop(winner.rule), by: describeSgRule(winner), byJa: describeSgRuleJa(winner) };
  };
}

/**
 * The rule set's verdict function for `probe` on addresses inside `within`: only rules overlapping
 * that block can match, so the others are dropped before any address is checked.
 */
export function sgSetEvaluator(
  set: SgRuleSet,
  probe: Probe,
  within: Cidr,
): (src: number, source?: string) => AddressVerdict {
  const all = set.candidates.get(probe.id) ?? [];
  const near = all.filter((c) => c.cidr !== null && cidrsOverlap(c.cidr, within));
  return evaluatorOf(set.groups, near, probe);
}

/**
 * The groups' verdict function for `probe`: rules are filtered by protocol and port once, so each
 * source address only needs the CIDR check.
 */
export function sgEvaluator(
  groups: readonly SecurityGroup[],
  probe: Probe,
): (src: number, source?: string) => AddressVerdict {
  return evaluatorOf(groups, sgRuleSet(groups, [probe]).candidates.get(probe.id) ?? [], probe);
}

/** The verdict of the instance's groups on `probe` traffic from `src`. */
export const evaluateSecurityGroups = (
  groups: readonly SecurityGroup[],
  src: number,
  probe: Probe,
): AddressVerdict => sgEvaluator(groups, probe)(src);
