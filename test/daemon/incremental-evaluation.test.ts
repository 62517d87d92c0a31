// The incremental evaluation (src/diagnose/incremental.ts) against a full one, over many cycles of
// the real daemon: simulator scenarios (a multi-region fleet with scripted failovers, a PSK rotation
// and a standby failure; configuration changes before failures; causes that change within an
// outage; failures at the rekey boundary) played with random clock steps (from a fraction of a second
// to past the flapping window and the probe's freshness), random failures and recoveries, evidence
// refreshes, topology, traffic and probe rounds. Every evaluation the daemon makes is checked: the
// incremental result must equal the engine's over the whole snapshot with the same inputs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeFn } from '../../src/collect/probes.js';
import type { Diagnoser } from '../../src/daemon/doctor/evaluator.js';
import { createDoctor, type DoctorParts } from '../../src/daemon/runtime.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { IncrementalDiagnosis } from '../../src/diagnose/incremental.js';
import { loadScenario } from '../../src/sim/index.js';
import { FAILED_REASON_CODES } from '../../src/sim/world/types.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { configFor } from './helpers.js';

/** A small seeded PRNG (mulberry32): a failing run can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

/** Every probe goes unanswered (or, for some addresses, is refused): no packet leaves the host. */
const silentProbe: ProbeFn = async (o) => ({
  host: o.host,
  address: o.host,
  port: o.port ?? 500,
  ike: o.ike ?? 'v2',
  outcome: o.host.endsWith('0') ? 'refused' : 'no-answer',
  answered: false,
  answer: null,
  rttMs: null,
  attempts: 1,
  timeoutMs: 100,
  elapsedMs: 100,
  ignored: 0,
  error: null,
  startedAt: Date.now(),
});

/** Seconds the clock moves between two actions: same second, one cycle, past the flap window, … */
const STEPS = [0.2, 0.6, 1, 2, 5, 10, 10, 30, 30, 90, 200, 400, 700];

let sim: TestSimulator | undefined;
let parts: DoctorParts | undefined;
let dir: string | undefined;
afterEach(async () => {
  parts?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = parts = dir = undefined;
});

async function play(scenario: string, seed: number, actions: number) {
  sim = await startTestSimulator({ scenario: loadScenario(scenario) });
  dir = mkdtempSync(join(tmpdir(), 'alivpn-incremental-'));
  const config = configFor(sim, dir, { probe: { enabled: true, timeoutMs: 100, retries: 0 } });
  const incremental = new IncrementalDiagnosis();
  const seen = { checks: 0, evaluated: 0, reused: 0, connections: 0 };
  const checked: Diagnoser = (snapshot, opts) => {
    const fast = incremental.diagnose(snapshot, opts);
    const full = diagnose(snapshot, opts);
    expect(fast, `evaluation ${seen.checks + 1} of ${scenario} (seed ${seed})`).toStrictEqual(full);
    seen.checks++;
    seen.evaluated += incremental.lastStats().evaluated;
    seen.reused += incremental.lastStats().reused;
    seen.connections += incremental.lastStats().connections;
    return fast;
  };
  const s = sim;
  parts = createDoctor(config, {
    logger: pino({ level: 'silent' }),
    now: () => s.now(),
    diagnose: checked,
    probe: silentProbe,
  });
  const { doctor } = parts;
  const tunnels = s.world.accounts.flatMap((a) =>
    a.regions.flatMap((r) => r.connections.flatMap((c) => [[c.id, 1] as const, [c.id, 2] as const])),
  );
  const random = prng(seed);
  await doctor.collectOnce();
  for (let i = 0; i < actions; i++) {
    s.advance(random.pick(STEPS));
    const roll = random.next();
    if (roll < 0.12) {
      const [id, tunnel] = random.pick(tunnels);
      await s.control.fail(id, tunnel, random.pick(FAILED_REASON_CODES));
    } else if (roll < 0.22) {
      const [id, tunnel] = random.pick(tunnels);
      await s.control.recover(id, tunnel);
    }
    const act = random.next();
    if (act < 0.55) await doctor.runStatus();
    else if (act < 0.65) await doctor.runTopology();
    else if (act < 0.72) await doctor.runTraffic();
    else if (act < 0.82) await doctor.runProbes();
    else if (act < 0.9) await doctor.refreshEvidence(random.pick(tunnels)[0]).catch(() => undefined);
    else if (act < 0.95) await doctor.collectOnce();
    else doctor.evaluate();
  }
  return seen;
}

describe('incremental evaluation', () => {
  it.each([
    ['demo', 11],
    ['change-then-failure', 12],
    ['cause-changes', 13],
    ['rekey-boundary', 14],
  ])(
    'gives the full evaluation’s findings and ladders at every evaluation (%s, seed %i)',
    async (scenario, seed) => {
      const seen = await play(scenario, seed, 60);
      // Not vacuous: many evaluations, some regions reused and some evaluated again after the first.
      expect(seen.checks).toBeGreaterThan(60);
      expect(seen.reused).toBeGreaterThan(0);
      expect(seen.evaluated).toBeGreaterThan(sim!.world.accounts.flatMap((a) => a.regions).length);
      expect(seen.connections).toBeGreaterThan(0);
    },
    120_000,
  );

  it('re-evaluates nothing when nothing changed, and a region once its evidence ages', async () => {
    sim = await startTestSimulator({ scenario: loadScenario('demo') });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-incremental-'));
    const config = configFor(sim, dir);
    const incremental = new IncrementalDiagnosis();
    const s = sim;
    parts = createDoctor(config, {
      logger: pino({ level: 'silent' }),
      now: () => s.now(),
      diagnose: incremental.diagnose,
    });
    const { doctor } = parts;
    await doctor.collectOnce();
    const regions = doctor.snapshot()!.regions.length;
    expect(regions).toBeGreaterThan(1);
    s.advance(10);
    await doctor.runStatus();
    expect(incremental.lastStats()).toEqual({ evaluated: 0, reused: regions, connections: 0 });
    // A failure: its region is evaluated again (new status, then its evidence), the others are not.
    s.advance(50); // the demo's first incident (t+60 s): hz-to-tokyo tunnel 1 stops answering
    await doctor.runStatus();
    expect(incremental.lastStats()).toMatchObject({ evaluated: 1, reused: regions - 1 });
    // The evidence's age is quoted in the findings: one second later, that connection alone.
    s.advance(1);
    doctor.evaluate();
    expect(incremental.lastStats()).toEqual({ evaluated: 0, reused: regions - 1, connections: 1 });
    const unchanged = doctor.evaluate();
    expect(incremental.lastStats()).toEqual({ evaluated: 0, reused: regions, connections: 0 });
    incremental.reset();
    expect(doctor.evaluate()).toStrictEqual(unchanged);
    expect(incremental.lastStats()).toMatchObject({ evaluated: regions, reused: 0 });
  }, 60_000);
});
