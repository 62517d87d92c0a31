import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createDoctor } from '../src/daemon/runtime.js';
import { historyFacts } from '../src/diagnose/facts/basic.js';
import { mergeFacts } from '../src/diagnose/facts/localized.js';
import { negotiationFacts } from '../src/diagnose/facts/negotiation.js';
import { rekeyFacts } from '../src/diagnose/facts/rekey.js';
import { benchConfig } from './phases.js';
import { spawnSim } from './sim-client.js';

const sim = await spawnSim({ connections: 2000, regions: 10, accounts: 2, latencyMs: 30, qps: 5 });
const config = benchConfig(sim, mkdtempSync(join(tmpdir(), 'prof-')));
const { doctor, close } = createDoctor(config, { logger: pino({ level: 'silent' }) });
await doctor.runStatus();
const snapshot = doctor.snapshot()!;
const tunnels = snapshot.regions.flatMap((r) =>
  r.connections.data.flatMap((c) => c.tunnels.map((t) => ({ t, r }))),
);
const g = (globalThis as { gc?: () => void }).gc!;
for (let k = 0; k < 5; k++) {
  g();
  let t0 = performance.now();
  for (const { t, r } of tunnels) negotiationFacts(t, r.evidence[t.id], Date.now());
  const neg = performance.now() - t0;
  g();
  t0 = performance.now();
  for (const { t } of tunnels) mergeFacts(historyFacts([t.id], {}, 600), rekeyFacts(t, undefined));
  const mf = performance.now() - t0;
  g();
  t0 = performance.now();
  for (const { t } of tunnels) ({ ...historyFacts([t.id], {}, 600), ...rekeyFacts(t, undefined) });
  const sp = performance.now() - t0;
  console.log(
    'tunnels',
    tunnels.length,
    'negotiation',
    neg.toFixed(1),
    'merge',
    mf.toFixed(1),
    'spread',
    sp.toFixed(1),
  );
}
close();
await sim.close();
