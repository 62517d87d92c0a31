import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createDoctor, rulesFor } from '../src/daemon/runtime.js';
import { diagnose } from '../src/diagnose/engine.js';
import { createMetrics } from '../src/metrics/registry.js';
import { DEFAULT_FLAP_WINDOW_MS } from '../src/state/tracker.js';
import { benchConfig } from './phases.js';
import { spawnSim } from './sim-client.js';

const sim = await spawnSim({ connections: 2000, regions: 10, accounts: 2, latencyMs: 30, qps: 5 });
const dataDir = mkdtempSync(join(tmpdir(), 'prof-'));
const config = benchConfig(sim, dataDir);
const { doctor, close } = createDoctor(config, { logger: pino({ level: 'silent' }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await doctor.runStatus();
await sleep(2100);
const victims = sim.layout.flatMap((a) =>
  a.regions.flatMap((r) => r.connections.filter((_, i) => i % 10 === 9)),
);
for (const id of victims) await sim.fail(id, 1, 'PskMismatch');
await doctor.runStatus();
await sleep(2100);
await doctor.runStatus();
await Promise.all([doctor.runTopology(), doctor.runTraffic()]);
doctor.evaluate();
const snapshot = doctor.snapshot()!;
const rules = rulesFor(config);
const what = process.argv[2] ?? 'rules';
const prof = process.env.PROF === '1';
const session = new Session();
session.connect();
if (prof) {
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const ratios: number[] = [];
const cr: number[] = [];
const rt: number[] = [];
const st: number[] = [];
const metrics = createMetrics(doctor, { version: 'x' });
for (let i = 0; i < 15; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (what === 'rules')
    diagnose(snapshot, {
      rules,
      now: Date.now(),
      history: { stateChanges: {}, flapWindowSeconds: DEFAULT_FLAP_WINDOW_MS / 1000 },
    });
  else if (what === 'metrics') await metrics.render();
  else if (what === 'status') {
    await doctor.runStatus();
  }
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  (globalThis as { gc?: () => void }).gc?.();
  const d0 = process.cpuUsage();
  const s0 = performance.now();
  JSON.stringify(snapshot);
  const s1 = performance.now();
  const d1 = process.cpuUsage(d0);
  cr.push((c1.user + c1.system) / (d1.user + d1.system));
  ratios.push((t1 - t0) / (s1 - s0));
  rt.push(t1 - t0);
  st.push(s1 - s0);
  if (what === 'status') await sleep(2100);
}
ratios.sort((a, b) => a - b);
cr.sort((a, b) => a - b);
console.log('cpu ratio median', cr[7]!.toFixed(2), cr.map((r) => r.toFixed(1)).join(' '));
console.log(
  'min ratio',
  (Math.min(...rt) / Math.min(...st)).toFixed(2),
  'min rules',
  Math.min(...rt).toFixed(0),
  'min str',
  Math.min(...st).toFixed(1),
);
console.log(what, 'median ratio', ratios[7]!.toFixed(2), ratios.map((r) => r.toFixed(1)).join(' '));
if (prof) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(`/tmp/prof/${what}.cpuprofile`, JSON.stringify(profile));
}
close();
await sim.close();
