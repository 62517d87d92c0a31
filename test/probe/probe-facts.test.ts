// Probe results in the diagnosis: the collector's round (targets, one probe per address and port,
// pacing, concurrency), and how a probe moves `peer-unreachable`, `negotiation-failed` and the
// ladder's reachability rung. The probe function is replaced by recorded results here; the real
// probe against charon is in charon.test.ts.
import { describe, expect, it } from 'vitest';
import { collectProbes, type ProbeFn, probeTargets } from '../../src/collect/probes.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { ADDR, IDS, NOW } from '../../src/diagnose/incidents/healthy-world.js';
import { buildWorld, type WorldSpec } from '../../src/diagnose/incidents/spec.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { ProbeResult } from '../../src/probe/index.js';

const P1 = { status: 'ike_sa_not_established' };

/** A ProbeResult as probeIke returns it (shape recorded from a run against charon). */
function result(port: number, o: Partial<ProbeResult>): ProbeResult {
  return {
    host: ADDR.customerGatewayIp,
    address: ADDR.customerGatewayIp,
    port,
    ike: 'v2',
    outcome: 'no-answer',
    answered: false,
    answer: null,
    rttMs: null,
    attempts: 3,
    timeoutMs: 2000,
    elapsedMs: 6004,
    ignored: 0,
    error: null,
    startedAt: NOW,
    ...o,
  };
}

const NO_PROPOSAL = {
  kind: 'notify' as const,
  version: 2 as const,
  exchange: 'IKE_SA_INIT',
  notify: 'NO_PROPOSAL_CHOSEN',
  notifyType: 14,
  notifies: ['NO_PROPOSAL_CHOSEN'],
  payloads: ['Notify'],
  responderSpi: '0000000000000000',
  proposal: null,
  wantsDhGroup: null,
  malformed: null,
};

const silent500 = result(500, {});
const answered4500 = result(4500, {
  outcome: 'answered',
  answered: true,
  answer: NO_PROPOSAL,
  rttMs: 41,
  attempts: 1,
  elapsedMs: 41,
});
const silent4500 = result(4500, {});

const SETTINGS = {
  target: 'customer-gateway' as const,
  ports: [500, 4500],
  timeoutMs: 2000,
  retries: 2,
  concurrency: 4,
  ratePerSecond: 1000,
};

/** A world with probes of tunnel 1's peer answering as `byPort` says. */
async function probed(spec: WorldSpec, byPort: Record<number, ProbeResult>): Promise<Snapshot> {
  const { snapshot } = buildWorld(spec);
  const fake: ProbeFn = async (o) => byPort[o.port!] ?? result(o.port!, {});
  const rounds = await collectProbes(
    probeTargets(snapshot.regions, 'customer-gateway').filter((t) => t.tunnelId === IDS.tunnel1),
    SETTINGS,
    { probe: fake, now: () => NOW },
  );
  const region = snapshot.regions[0]!;
  region.probes = rounds.get(`${region.account}/${region.region}`);
  return snapshot;
}

function run(snapshot: Snapshot) {
  const errors: string[] = [];
  const d = diagnose(snapshot, { now: NOW, onRuleError: (r, s, m) => errors.push(`${r} ${s} ${m}`) });
  expect(errors).toEqual([]);
  const t1 = d.findings.filter((f) => f.tunnelId === IDS.tunnel1);
  const ladder = d.ladders.find((l) => l.tunnelId === IDS.tunnel1)!;
  return { rules: t1.map((f) => f.rule), findings: t1, reachability: ladder.layers[0]! };
}

describe('the probe round', () => {
  it('probes each address once per port, with the tunnel’s IKE version and DH group', async () => {
    const { snapshot } = buildWorld({ tunnels: { '2': { ike: { version: 'ikev1', dhGroup: 'group2' } } } });
    const targets = probeTargets(snapshot.regions, 'customer-gateway');
    expect(targets.map((t) => [t.tunnelId, t.address, t.ike, t.dhGroup])).toEqual([
      [IDS.tunnel1, ADDR.customerGatewayIp, 'v2', 14],
      [IDS.tunnel2, ADDR.customerGatewayIp, 'v1', 2],
    ]);
    expect(probeTargets(snapshot.regions, 'gateway').map((t) => t.address)).toEqual([
      ADDR.gatewayIp,
      ADDR.gatewayDrIp,
    ]);
    const calls: string[] = [];
    let inFlight = 0;
    let most = 0;
    const fake: ProbeFn = async (o) => {
      calls.push(`${o.host}:${o.port}:${o.ike}:${o.dhGroup}`);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return result(o.port!, { ike: o.ike! });
    };
    const twice = [...targets, { ...targets[0]!, tunnelId: 'tun-other' }];
    const started = performance.now();
    const rounds = await collectProbes(
      twice,
      { ...SETTINGS, concurrency: 2, ratePerSecond: 20 },
      { probe: fake },
    );
    // Four distinct probes (tun-other shares tunnel 1's peer): paced 50 ms apart, two at a time.
    expect(calls.sort()).toEqual([
      '203.0.113.10:4500:v1:2',
      '203.0.113.10:4500:v2:14',
      '203.0.113.10:500:v1:2',
      '203.0.113.10:500:v2:14',
    ]);
    expect(most).toBeLessThanOrEqual(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const region = rounds.get('prod/cn-hangzhou')!;
    expect(Object.keys(region).sort()).toEqual([IDS.tunnel1, IDS.tunnel2, 'tun-other'].sort());
    expect(region['tun-other']!.ports).toEqual(region[IDS.tunnel1]!.ports);
    expect(region[IDS.tunnel2]!.summary).toBe(
      'UDP 500 to 203.0.113.10: no answer to 3 Main Mode in 6 s; UDP 4500: no answer to 3 Main Mode in 6 s',
    );
  });

  it('keeps nothing from a round stopped by shutdown', async () => {
    const { snapshot } = buildWorld({});
    const stop = new AbortController();
    stop.abort();
    const rounds = await collectProbes(probeTargets(snapshot.regions, 'customer-gateway'), SETTINGS, {
      probe: async (o) => result(o.port!, { outcome: 'aborted' }),
      signal: stop.signal,
    });
    expect(rounds.size).toBe(0);
  });
});

describe('probe evidence in the diagnosis', () => {
  it('a tunnel down and every port silent: peer-unreachable is definite, with the probe as evidence', async () => {
    const r = run(await probed({ tunnels: { '1': P1 } }, { 500: silent500, 4500: silent4500 }));
    expect(r.rules).toContain('peer-unreachable');
    expect(r.rules).not.toContain('negotiation-failed');
    const f = r.findings.find((x) => x.rule === 'peer-unreachable')!;
    expect(f.text.en.evidence).toContain(
      'IKE probe (0 s ago): UDP 500 to 203.0.113.10: no answer to 3 IKE_SA_INIT in 6 s; UDP 4500: no answer to 3 IKE_SA_INIT in 6 s',
    );
    expect(r.reachability).toMatchObject({ state: 'fail', rules: ['peer-unreachable'] });
    expect(r.reachability.note).toMatch(/^IKE probe: UDP 500 to 203\.0\.113\.10: no answer/);
  });

  it('500 silent but 4500 answering: the peer is reachable, and the evidence says how', async () => {
    const r = run(await probed({ tunnels: { '1': P1 } }, { 500: silent500, 4500: answered4500 }));
    expect(r.rules).not.toContain('peer-unreachable');
    expect(r.rules).toContain('negotiation-failed');
    const f = r.findings.find((x) => x.rule === 'negotiation-failed')!;
    expect(f.text.en.evidence).toContain(
      'IKE probe (0 s ago): UDP 500 to 203.0.113.10: no answer to 3 IKE_SA_INIT in 6 s; UDP 4500: answered NO_PROPOSAL_CHOSEN in 41 ms',
    );
    expect(r.reachability.state).toBe('ok');
    expect(r.reachability.note).toContain('UDP 4500: answered NO_PROPOSAL_CHOSEN in 41 ms');
  });

  it('logs reading as "no answer" are set aside when the peer answers the probe', async () => {
    const spec: WorldSpec = {
      tunnels: { '1': P1 },
      evidence: {
        '1': { logs: ['sending retransmit 1 of request message ID 0', 'giving up after 5 retransmits'] },
      },
    };
    expect(run(buildWorld(spec).snapshot).rules).toContain('peer-unreachable');
    const r = run(await probed(spec, { 500: answered4500, 4500: answered4500 }));
    expect(r.rules).not.toContain('peer-unreachable');
    expect(r.rules).toContain('negotiation-failed');
    const f = r.findings.find((x) => x.rule === 'negotiation-failed')!;
    expect(f.text.en.evidence).toContain(
      'Set aside: the evidence reads as no answer from the peer, but the peer answers the IKE probe',
    );
    expect(f.text.en.summary).not.toMatch(/: \.$/);
    expect(r.reachability.state).toBe('ok');
  });

  it('a silent probe proves nothing about a tunnel that is up, or about phase 2', async () => {
    expect(run(await probed({}, { 500: silent500, 4500: silent4500 })).rules).toEqual([]);
    const p2 = run(
      await probed(
        { tunnels: { '1': { status: 'ipsec_sa_not_established' } } },
        { 500: silent500, 4500: silent4500 },
      ),
    );
    expect(p2.rules).not.toContain('peer-unreachable');
  });

  it('an old probe (over 10 minutes) proves nothing either way', async () => {
    const snapshot = await probed({ tunnels: { '1': P1 } }, { 500: silent500, 4500: silent4500 });
    const d = diagnose(snapshot, { now: NOW + 11 * 60_000 });
    const rules = d.findings.filter((f) => f.tunnelId === IDS.tunnel1).map((f) => f.rule);
    expect(rules).toContain('negotiation-failed');
    expect(rules).not.toContain('peer-unreachable');
  });
});
