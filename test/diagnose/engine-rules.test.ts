// Every negotiation/redundancy/config rule fires on its evidence and stays silent on near misses.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { buildWorld, type WorldSpec } from '../../src/diagnose/incidents/spec.js';
import type { Finding } from '../../src/model/finding.js';

const P1 = { status: 'ike_sa_not_established' };
const P2 = { status: 'ipsec_sa_not_established' };

function run(w: WorldSpec): Finding[] {
  const { snapshot, stateChanges } = buildWorld(w);
  const errors: string[] = [];
  const d = diagnose(snapshot, {
    history: { stateChanges },
    onRuleError: (r, s, m) => errors.push(`${r} ${s} ${m}`),
  });
  expect(errors).toEqual([]);
  return d.findings;
}
const on = (fs: Finding[], rule: string, tunnel?: 1 | 2) =>
  fs.some(
    (f) => f.rule === rule && (tunnel === undefined || f.tunnelId?.endsWith(`tunnel${tunnel}000000001`)),
  );
const logs1 = (tunnel: Record<string, unknown>, lines: string[], codes: string[] = []): WorldSpec => ({
  tunnels: { '1': tunnel },
  evidence: { '1': { logs: lines, diagnosis: codes.map((failedReasonCode) => ({ failedReasonCode })) } },
});

interface Case {
  rule: string;
  tunnel?: 1 | 2;
  fires: WorldSpec;
  silent: [string, WorldSpec][];
}

const CASES: Case[] = [
  {
    rule: 'peer-unreachable',
    tunnel: 1,
    fires: logs1(P1, [
      'sending retransmit 1 of request message ID 0, seq 1',
      'giving up after 5 retransmits',
    ]),
    silent: [
      [
        'retransmits ending in NO_PROPOSAL_CHOSEN',
        logs1(P1, ['sending retransmit 1 of request', 'received NO_PROPOSAL_CHOSEN notify error']),
      ],
      [
        'retransmits on a tunnel whose phase 1 is up',
        logs1(P2, ['sending retransmit 1 of request message ID 5']),
      ],
    ],
  },
  {
    rule: 'wrong-customer-gateway-ip',
    tunnel: 1,
    fires: logs1(P1, [], ['PeerMismatch']),
    silent: [['PeerMismatch on an established tunnel', logs1({}, [], ['PeerMismatch'])]],
  },
  {
    rule: 'dpd-timeout',
    tunnel: 1,
    fires: logs1(P1, ['DPD: remote 203.0.113.10 seems to be dead, closing IKE_SA']),
    silent: [
      ['DPD line while up', logs1({}, ['DPD: remote seems to be dead'])],
      ['DPD enabled notice', logs1(P1, ['DPD enabled, interval 10s'])],
    ],
  },
  {
    rule: 'psk-mismatch',
    tunnel: 1,
    fires: logs1(P1, ['Decryption failed! mismatch of preshared secrets']),
    silent: [
      ['auth failure beside HASH mismatch', logs1(P1, ['HASH mismatched', 'authentication failure'])],
      ['MAC failure on a phase-2 tunnel', logs1(P2, ['MAC mismatched'])],
    ],
  },
  {
    rule: 'ike-version-mismatch',
    tunnel: 1,
    fires: logs1(P1, [], ['IkeVersionMismatch']),
    silent: [['code on a tunnel past phase 1', logs1(P2, [], ['IkeVersionMismatch'])]],
  },
  {
    rule: 'ike-mode-mismatch',
    tunnel: 1,
    fires: logs1(P1, ['in Identity not acceptable Aggressive mode']),
    silent: [
      ['the normal mode banner', logs1(P1, ['begin Identity Protection mode.', 'begin Aggressive mode.'])],
    ],
  },
  {
    rule: 'ike-algorithm-mismatch',
    tunnel: 1,
    fires: logs1(P1, ['no acceptable ENCRYPTION_ALGORITHM found']),
    silent: [
      ['the same in phase 2 is an IPsec mismatch', logs1(P2, ['no acceptable ENCRYPTION_ALGORITHM found'])],
    ],
  },
  {
    rule: 'dh-group-mismatch',
    tunnel: 1,
    fires: logs1(P1, ['no acceptable KEY_EXCHANGE_METHOD found']),
    silent: [
      ['the same in phase 2 is a PFS mismatch', logs1(P2, ['no acceptable KEY_EXCHANGE_METHOD found'])],
    ],
  },
  {
    rule: 'peer-id-mismatch',
    tunnel: 1,
    fires: logs1(P1, ['no matching peer config found']),
    silent: [
      [
        'a normal ID line',
        logs1(P1, [
          'received ID_I(203.0.113.10)',
          'authentication of 203.0.113.10 with pre-shared key successful',
        ]),
      ],
    ],
  },
  {
    rule: 'nat-traversal-mismatch',
    tunnel: 1,
    fires: logs1(P1, [], ['NatTMismatch']),
    silent: [['NAT detection notice', logs1(P1, ['local host is behind NAT, sending keep alives'])]],
  },
  {
    rule: 'lifetime-mismatch',
    tunnel: 1,
    fires: logs1(P1, ['long lifetime proposed: my:86400 peer:172800']),
    silent: [
      [
        'a lifetime notice',
        logs1(P1, ['scheduling reauthentication in 86400s', 'maximum IKE_SA lifetime 86400s']),
      ],
    ],
  },
  {
    rule: 'ipsec-proposal-mismatch',
    tunnel: 1,
    fires: logs1(P2, [], ['EncryptionAlgorithmMismatch']),
    silent: [['the same code in phase 1 is an IKE mismatch', logs1(P1, [], ['EncryptionAlgorithmMismatch'])]],
  },
  {
    rule: 'pfs-mismatch',
    tunnel: 1,
    fires: logs1(P2, ['pfs group mismatched: my:group14 peer:group2']),
    silent: [['on a tunnel stuck in phase 1', logs1(P1, ['pfs group mismatched'])]],
  },
  {
    rule: 'traffic-selector-mismatch',
    tunnel: 1,
    fires: logs1(P2, ['traffic selectors 10.0.0.0/16 === 192.168.0.0/24 unacceptable']),
    silent: [['phase-2 code on a phase-1 tunnel', logs1(P1, [], ['TrafficSelectorMismatch'])]],
  },
  {
    rule: 'peer-deleted-sa',
    tunnel: 1,
    fires: logs1(P1, ['received DELETE for IKE_SA vco-x[3]']),
    silent: [['we sent the delete', logs1(P1, ['sending DELETE for IKE_SA vco-x[3]'])]],
  },
  {
    rule: 'negotiation-failed',
    tunnel: 1,
    fires: { tunnels: { '1': P1 } },
    silent: [
      ['a cause is named', logs1(P1, [], ['PskMismatch'])],
      ['EffectImmediately off', { connection: { effectImmediately: false }, tunnels: { '1': P1 } }],
      [
        'gateway financially locked',
        { gateway: { businessStatus: 'FinancialLocked' }, tunnels: { '1': P1 } },
      ],
      ['tunnel updating', { tunnels: { '1': { ...P1, state: 'updating' } } }],
    ],
  },
  {
    rule: 'failover-active',
    fires: { tunnels: { '1': P1 } },
    silent: [
      ['both down', { tunnels: { '1': P1, '2': P1 } }],
      ['only the standby down', { tunnels: { '2': P1 } }],
    ],
  },
  {
    rule: 'connection-down',
    fires: { tunnels: { '1': P1, '2': P2 } },
    silent: [
      ['one tunnel up', { tunnels: { '1': P1 } }],
      ['not negotiated yet', { connection: { effectImmediately: false }, tunnels: { '1': P1, '2': P1 } }],
    ],
  },
  {
    rule: 'standby-tunnel-down',
    tunnel: 2,
    fires: { tunnels: { '2': P1 } },
    silent: [
      ['both down (connection-down covers it)', { tunnels: { '1': P1, '2': P1 } }],
      ['the primary is the one down', { tunnels: { '1': P1 } }],
    ],
  },
  { rule: 'single-tunnel', fires: { singleTunnel: true }, silent: [['dual tunnel', {}]] },
  {
    rule: 'tunnels-same-zone',
    fires: { tunnels: { '2': { zone: 'cn-hangzhou-h' } } },
    silent: [
      ['two zones', {}],
      ['single tunnel', { singleTunnel: true }],
    ],
  },
  {
    rule: 'tunnel-flapping',
    tunnel: 1,
    fires: { stateChanges: { '1': 4 } },
    silent: [
      ['three changes', { stateChanges: { '1': 3 } }],
      ['no history', {}],
    ],
  },
  {
    rule: 'multi-cidr-requires-ikev2',
    tunnel: 1,
    fires: {
      connection: { localSubnets: ['10.0.0.0/16', '10.1.0.0/16'] },
      tunnels: { '1': { ike: { version: 'ikev1' } } },
    },
    silent: [
      ['IKEv2', { connection: { localSubnets: ['10.0.0.0/16', '10.1.0.0/16'] } }],
      [
        'destination-based',
        {
          connection: { localSubnets: ['0.0.0.0/0'], remoteSubnets: ['0.0.0.0/0'] },
          tunnels: { '1': { ike: { version: 'ikev1' } } },
        },
      ],
    ],
  },
  {
    rule: 'gateway-not-active',
    fires: { gateway: { status: 'deleting' } },
    silent: [
      ['gateway unknown (no topology)', { topology: false }],
      ['gateway applying a configuration change', { gateway: { status: 'updating' } }],
    ],
  },
  {
    rule: 'connection-not-effective',
    fires: { connection: { effectImmediately: false }, tunnels: { '1': P1 } },
    silent: [['all tunnels up anyway', { connection: { effectImmediately: false } }]],
  },
  {
    rule: 'weak-crypto',
    tunnel: 1,
    fires: { tunnels: { '1': { ipsec: { encAlg: '3des' } } } },
    silent: [['aes256/sha256/group14', {}]],
  },
];

describe.each(CASES)('$rule', (c) => {
  it('fires on its evidence', () => {
    expect(on(run(c.fires), c.rule, c.tunnel)).toBe(true);
  });
  it.each(c.silent)('stays silent: %s', (_, w) => {
    expect(on(run(w), c.rule)).toBe(false);
  });
});
