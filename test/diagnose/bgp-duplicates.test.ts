// The gateway index for duplicate tunnel CIDRs gives exactly what scanning every tunnel on the
// gateway gives: the same tunnels, in the same order, with the same owners.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bgpFacts } from '../../src/diagnose/facts/bgp.js';
import { gatewayTunnels } from '../../src/diagnose/facts/bgp-duplicates.js';
import type { Connection } from '../../src/model/snapshot.js';
import { connection, topology, tunnel } from '../fixtures/snapshot.js';

// Nested and disjoint blocks, a repeat, and unparsable or empty ones.
const CIDRS = [
  '169.254.10.0/30',
  '169.254.10.4/30',
  '169.254.10.0/29',
  '169.254.10.0/24',
  '169.254.11.0/30',
  '169.254.0.0/16',
  '',
  'bad',
] as const;

const fleet = fc
  .array(fc.tuple(fc.constantFrom(...CIDRS), fc.constantFrom(...CIDRS)), { minLength: 1, maxLength: 8 })
  .map((pairs): Connection[] =>
    pairs.map(([a, b], i) =>
      connection({
        id: `vco-${i}`,
        enableTunnelsBgp: true,
        tunnels: [a, b].map((cidr, k) =>
          tunnel({
            id: `tun-${i}-${k}`,
            index: k === 0 ? 1 : 2,
            bgp: bgpOf(cidr),
          }),
        ),
      }),
    ),
  );

describe('duplicate tunnel CIDRs through the gateway index', () => {
  it('match the scan of every tunnel on the gateway', () => {
    const topo = topology();
    fc.assert(
      fc.property(fleet, (conns) => {
        const index = gatewayTunnels(conns);
        for (const conn of conns) {
          for (const t of conn.tunnels) {
            const scanned = bgpFacts(conn, t, topo, conns);
            const indexed = bgpFacts(conn, t, topo, conns, index);
            expect(indexed.duplicateTunnelIds).toEqual(scanned.duplicateTunnelIds);
            expect(indexed.duplicateTunnelCidrWith).toEqual(scanned.duplicateTunnelCidrWith);
            expect(indexed.configProblems).toEqual(scanned.configProblems);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds a containing block and a block inside, own tunnels first', () => {
    const [a, b] = [
      connection({
        id: 'vco-a',
        tunnels: [
          tunnel({ id: 'tun-a1', bgp: bgpOf('169.254.10.0/30') }),
          tunnel({ id: 'tun-a2', bgp: bgpOf('169.254.10.0/29') }),
        ],
      }),
      connection({ id: 'vco-b', tunnels: [tunnel({ id: 'tun-b1', bgp: bgpOf('169.254.10.4/30') })] }),
    ];
    const index = gatewayTunnels([b, a]);
    const facts = bgpFacts(a, a.tunnels[1]!, topology(), [b, a], index);
    expect(facts.duplicateTunnelIds).toEqual(['tun-a1', 'tun-b1']);
    expect(facts.duplicateTunnelCidrWith).toEqual([
      'tun-a1 of vco-a (169.254.10.0/30)',
      'tun-b1 of vco-b (169.254.10.4/30)',
    ]);
  });
});

function bgpOf(tunnelCidr: string) {
  return {
    up: true,
    rawStatus: 'success',
    localAsn: 45104,
    localBgpIp: '169.254.10.1',
    peerAsn: 65001,
    peerBgpIp: '169.254.10.2',
    tunnelCidr,
  };
}
