// `tsx bench/memory-probe.ts`: the daemon's memory alone, faster than the whole bench. Runs the
// compiled `serve` against the simulated fleet until the first whole-fleet topology, sampling
// VmRSS, and prints RSS at readiness, the peak (VmHWM) and RSS once settled.
//
//   tsx bench/memory-probe.ts [--connections N] [--node-options "…"] [--no-build] [--settle S]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILT_ENTRY, buildDaemon } from './build.js';
import {
  DEPLOYED_NODE_ARGS,
  DEPLOYED_NODE_OPTIONS,
  freePort,
  rssOf,
  serveConfigYaml,
} from './serve-phase.js';
import { spawnSim } from './sim-client.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '30' },
    qps: { type: 'string', default: '5' },
    'node-options': { type: 'string', default: DEPLOYED_NODE_OPTIONS },
    /** V8 flags Node refuses in NODE_OPTIONS (e.g. --optimize-for-size), given on the command line. */
    'node-args': { type: 'string', default: DEPLOYED_NODE_ARGS.join(' ') },
    'no-build': { type: 'boolean', default: false },
    settle: { type: 'string', default: '5' },
    /** How often /metrics is read to see the first topology finish (Prometheus scrapes every 15–60 s). */
    'poll-ms': { type: 'string', default: '250' },
  },
});
/** CPU seconds (user + system) the process has used so far (Linux /proc). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

const entry = values['no-build'] ? BUILT_ENTRY : buildDaemon();
const sim = await spawnSim({
  connections: Number(values.connections),
  latencyMs: Number(values.latency),
  qps: Number(values.qps),
});
const dir = mkdtempSync(join(tmpdir(), 'alivpn-memprobe-'));
const port = await freePort();
const config = join(dir, 'serve.yaml');
writeFileSync(config, serveConfigYaml(sim, { port, dataDir: dir, intervalS: 10, budgetScope: 'account' }));
const child = spawn(
  process.execPath,
  [...values['node-args'].split(' ').filter(Boolean), entry, 'serve', '--config', config],
  {
    env: { ...process.env, NODE_OPTIONS: values['node-options'] },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const url = `http://127.0.0.1:${port}`;
const regionsTotal = sim.layout.reduce((n, a) => n + a.regions.length, 0);
let maxRss = 0;
const sampler = setInterval(() => {
  maxRss = Math.max(maxRss, rssOf(child.pid!)?.currentBytes ?? 0);
}, 100);
try {
  const t0 = Date.now();
  while ((await fetch(`${url}/readyz`).catch(() => null))?.status !== 200) await sleep(100);
  const ready = rssOf(child.pid!)!;
  const readyMs = Date.now() - t0;
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const done = text.match(/^alivpn_collect_success\{[^}]*tier="topology"[^}]*\} 1$/gm)?.length ?? 0;
    if (done >= regionsTotal) break;
    await sleep(Number(values['poll-ms']));
  }
  const topologyMs = Date.now() - t0;
  await sleep(Number(values.settle) * 1000);
  const end = rssOf(child.pid!)!;
  const cpuS = cpuSecondsOf(child.pid!);
  process.stdout.write(
    `${JSON.stringify({
      nodeOptions: values['node-options'],
      nodeArgs: values['node-args'],
      cpuS,
      readyS: readyMs / 1000,
      firstTopologyS: topologyMs / 1000,
      rssAtReady: mb(ready.currentBytes),
      peakAtReady: mb(ready.peakBytes),
      peak: mb(end.peakBytes),
      rssSettled: mb(end.currentBytes),
    })}\n`,
  );
} finally {
  clearInterval(sampler);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
