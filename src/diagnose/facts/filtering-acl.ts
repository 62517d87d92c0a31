// Network-ACL evaluation: entries are read in order and the first that matches decides; system
// entries come after the custom ones. ACLs are stateless, so the reply (egress towards on-prem) is
// checked as well as the request (ingress from on-prem).

import { cachedCidr, cidrContainsIp, formatIp } from '../../model/addressing.js';
import type { AclEntry, NetworkAcl } from '../../model/snapshot.js';
import { type AddressVerdict, type Probe, portRangeContains, protocolMatches } from './filtering-probe.js';

export type AclDirection = 'ingress' | 'egress';

/** Custom entries in their order, then system entries in theirs. */
export function orderedEntries(entries: readonly AclEntry[]): AclEntry[] {
  const isSystem = (e: AclEntry): boolean => e.entryType.toLowerCase() === 'system';
  return [...entries.filter((e) => !isSystem(e)), ...entries.filter(isSystem)];
}

/**
 * The ports an entry must cover for the probe. Ingress: the probe's destination port. Egress (the
 * reply): an ephemeral port we cannot know, so only entries covering all of 1024–65535 are taken to
 * match; narrower egress entries are passed over.
 */
function portsMatch(entry: AclEntry, probe: Probe, direction: AclDirection): boolean {
  if (probe.port === null || entry.protocol.trim().toLowerCase() === 'all') return true; // ports do not apply
  if (direction === 'ingress') return portRangeContains(entry.port, probe.port);
  return portRangeContains(entry.port, 1024) && portRangeContains(entry.port, 65535);
}

export const describeAclEntry = (
  aclId: string,
  direction: AclDirection,
  e: AclEntry,
  index: number,
): string =>
  `${aclId} ${direction} entry #${index + 1} "${e.name}" (${e.entryType}): ${e.policy.toLowerCase()} ${e.protocol.toLowerCase()} ${e.port} ${direction === 'ingress' ? 'from' : 'to'} ${e.cidr}`;

const DIRECTION_JA: Record<AclDirection, string> = { ingress: 'インバウンド', egress: 'アウトバウンド' };

/** describeAclEntry in Japanese. */
export const describeAclEntryJa = (
  aclId: string,
  direction: AclDirection,
  e: AclEntry,
  index: number,
): string =>
  `${aclId} ${DIRECTION_JA[direction]} エントリ #${index + 1} "${e.name}" (${e.entryType}): ${e.protocol.toLowerCase()} ${e.port} ${direction === 'ingress' ? 'を次の送信元から' : 'を次の宛先へ'} ${e.cidr} ${e.policy.toLowerCase()}`;

/**
 * The ACL's verdict function for `probe` traffic in `direction`: entries are ordered, parsed and
 * filtered by protocol and ports once, so each on-prem address only needs the CIDR check.
 */
export function aclEvaluator(
  acl: NetworkAcl,
  direction: AclDirection,
  probe: Probe,
): (peer: number, source?: string) => AddressVerdict {
  const candidates = orderedEntries(direction === 'ingress' ? acl.ingress : acl.egress)
    .map((entry, index) => ({ entry, index, cidr: cachedCidr(entry.cidr) }))
    .filter(({ entry }) => protocolMatches(entry.protocol, probe) && portsMatch(entry, probe, direction));
  return (peer, source) => {
    const hit = candidates.find((c) => c.cidr !== null && cidrContainsIp(c.cidr, peer));
    if (!hit) {
      return {
        allowed: false,
        by: `${acl.id} ${direction}: no entry matches ${probe.id} ${direction === 'ingress' ? 'from' : 'to'} ${source ?? formatIp(peer)} (denied)`,
        byJa: `${acl.id} ${DIRECTION_JA[direction]}: ${source ?? formatIp(peer)} ${direction === 'ingress' ? 'からの' : 'への'} ${probe.id} に一致するエントリがありません (拒否)`,
      };
    }
    return {
      allowed: hit.entry.policy.toLowerCase() === 'accept',
      by: describeAclEntry(acl.id, direction, hit.entry, hit.index),
      byJa: describeAclEntryJa(acl.id, direction, hit.entry, hit.index),
    };
  };
}

/** The ACL's verdict on `probe` traffic between the instance and on-prem address `peer`. */
export const evaluateAcl = (
  acl: NetworkAcl,
  direction: AclDirection,
  peer: number,
  probe: Probe,
  source?: string,
): AddressVerdict => aclEvaluator(acl, direction, probe)(peer, source);

/** CIDRs of the entries of one direction, for cutting an on-prem CIDR into evaluable pieces. */
export const aclCidrs = (acl: NetworkAcl, direction: AclDirection): string[] =>
  (direction === 'ingress' ? acl.ingress : acl.egress).map((e) => e.cidr);
