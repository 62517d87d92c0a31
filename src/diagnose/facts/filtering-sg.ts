// Security-group evaluation as ECS does it for inbound traffic: the ingress rules of every group of
// the instance apply together; among the rules that match, the lowest priority number wins; at equal
// priority `drop` beats `accept`; when no rule matches, inbound traffic is denied.
import type { SecurityGroup, SecurityGroupRule } from '../../model/snapshot.js';
import { cachedCidr, cidrContainsIp, formatIp } from './addressing.js';
import { type AddressVerdict, type Probe, portMatches, protocolMatches } from './filtering-probe.js';

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

/**
 * The groups' verdict function for `probe`: rules are filtered by protocol and port once, so each
 * source address only needs the CIDR check.
 */
export function sgEvaluator(
  groups: readonly SecurityGroup[],
  probe: Probe,
): (src: number, source?: string) => AddressVerdict {
  const candidates = ingressRules(groups)
    .filter(({ rule }) => protocolMatches(rule.protocol, probe) && portMatches(rule.portRange, probe))
    .map((owned) => ({ owned, cidr: cachedCidr(owned.rule.cidr) }));
  const ids = groups.map((g) => g.id).join(', ');
  return (src, source) => {
    const matching = candidates
      .filter((c) => c.cidr !== null && cidrContainsIp(c.cidr, src))
      .map((c) => c.owned);
    if (matching.length === 0) {
      return {
        allowed: false,
        by: `${ids}: no ingress rule accepts ${probe.id} from ${source ?? formatIp(src)} (unmatched inbound traffic is denied)`,
      };
    }
    const top = Math.min(...matching.map((m) => m.rule.priority));
    const atTop = matching.filter((m) => m.rule.priority === top);
    const winner = atTop.find((m) => isDrop(m.rule)) ?? atTop[0]!;
    return { allowed: !isDrop(winner.rule), by: describeSgRule(winner) };
  };
}

/** The verdict of the instance's groups on `probe` traffic from `src`. */
export const evaluateSecurityGroups = (
  groups: readonly SecurityGroup[],
  src: number,
  probe: Probe,
): AddressVerdict => sgEvaluator(groups, probe)(src);
