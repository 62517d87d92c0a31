// Security-group evaluation as ECS does it for inbound traffic: the ingress rules of every group of
// the instance apply together; among the rules that match, the lowest priority number wins; at equal
// priority `drop` beats `accept`; when no rule matches, inbound traffic is denied.
import type { SecurityGroup, SecurityGroupRule } from '../../model/snapshot.js';
import { formatIp } from './addressing.js';
import {
  type AddressVerdict,
  cidrTextContains,
  type Probe,
  portMatches,
  protocolMatches,
} from './filtering-probe.js';

interface OwnedRule {
  groupId: string;
  rule: SecurityGroupRule;
}

const isDrop = (r: SecurityGroupRule): boolean => r.policy.toLowerCase() === 'drop';

/** "sg-1: drop icmp -1/-1 from 0.0.0.0/0, priority 1 (desc)". */
export const describeSgRule = ({ groupId, rule }: OwnedRule): string =>
  `${groupId}: ${rule.policy.toLowerCase()} ${rule.protocol.toLowerCase()} ${rule.portRange} from ${rule.cidr}, priority ${rule.priority}${rule.description ? ` (${rule.description})` : ''}`;

/** Ingress rules that name a source CIDR (group and prefix-list sources cannot match on-prem addresses). */
export function ingressRules(groups: readonly SecurityGroup[]): OwnedRule[] {
  return groups.flatMap((g) =>
    g.rules
      .filter((rule) => rule.direction === 'ingress' && rule.cidr.trim() !== '')
      .map((rule) => ({ groupId: g.id, rule })),
  );
}

/** The verdict of the instance's groups on `probe` traffic from `src`. */
export function evaluateSecurityGroups(
  groups: readonly SecurityGroup[],
  src: number,
  probe: Probe,
): AddressVerdict {
  const matching = ingressRules(groups).filter(
    ({ rule }) =>
      protocolMatches(rule.protocol, probe) &&
      portMatches(rule.portRange, probe) &&
      cidrTextContains(rule.cidr, src),
  );
  if (matching.length === 0) {
    const ids = groups.map((g) => g.id).join(', ');
    return {
      allowed: false,
      by: `${ids}: no ingress rule matches ${formatIp(src)} (${probe.id}), so it is denied`,
    };
  }
  const top = Math.min(...matching.map((m) => m.rule.priority));
  const atTop = matching.filter((m) => m.rule.priority === top);
  const winner = atTop.find((m) => isDrop(m.rule)) ?? atTop[0]!;
  return { allowed: !isDrop(winner.rule), by: describeSgRule(winner) };
}
