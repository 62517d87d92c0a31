// The daemon as deployed: `alivpn-doctor serve` as its own process (with the Kubernetes manifest's
// NODE_OPTIONS), status tier every 10 s, real clock. Measures failover detection latency (from the
// simulator's change to the daemon's answer), how long a mass outage (5% of tunnels) takes to show
// on /metrics, and the process's peak RSS (VmHWM) over start-up, the first whole-fleet topology,
// incidents and the storm.
//
// The bench must not be the load it measures: /metrics at 4,000 tunnels is ~6 MB, and reading it
// four times a second (as this phase once did) cost the daemon more CPU than its own status tier.
// A scraper reads /metrics every 15 s as Prometheus does (docs/integration.md); detection is
// watched on the one connection's API answer (the same snapshot, a few kB) and then confirmed on
// /metrics. With `load`, a child process keeps one core busy from the first detection sample to the
// end of the mass outage, so the verdicts cover a daemon that shares its machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { cpuSecondsOf, spinCore } from './load.js';
import { REPO_ROOT } from './paths.js';
import type { SimChild } from './sim-client.js';

const BIN = join(REPO_ROOT, 'bin', 'alivpn-doctor.js');
/** Results name the entry relative to the repository, never a path of the machine that ran. */
const REPO = REPO_ROOT;
/** deploy/kubernetes/deployment.yaml */
export const DEPLOYED_NODE_OPTIONS = '--max-old-space-size=384 --max-semi-space-size=4';
/** The image's ENTRYPOINT (Dockerfile): Node refuses --optimize-for-size in NODE_OPTIONS. */
export const DEPLOYED_NODE_ARGS = ['--optimize-for-size'];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** Peak and current RSS of a process (Linux /proc); null elsewhere. */
export function rssOf(pid: number): { peakBytes: number; currentBytes: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peakBytes: kb('VmHWM') * 1024, currentBytes: kb('VmRSS') * 1024 };
  } catch {
    return null;
  }
}

async function until(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = POLL_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`serve phase: timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** serve's config for the simulated fleet: status every `intervalS`, topology hourly, traffic each minute. */
export function serveConfigYaml(
  sim: Pick<SimChild, 'layout' | 'keys' | 'url'>,
  o: { port: number; dataDir: string; intervalS: number; budgetScope: 'account' | 'region' },
): string {
  return [
    `server: { listen: "127.0.0.1:${o.port}" }`,
    `poll: { status: "*/${o.intervalS} * * * * *", topology: "0 0 * * * *", traffic: "0 * * * * *" }`,
    `api: { budget: { scope: ${o.budgetScope} } }`,
    'logging: { level: warn }',
    `storage: { path: ${join(o.dataDir, 'serve.db')} }`,
    'accounts:',
    ...sim.layout.map((a) => {
      const key = sim.keys.find((k) => k.account === a.account)!;
      return `  - { name: ${a.account}, accessKeyId: ${key.id}, accessKeySecret: ${key.secret}, regions: [${a.regions.map((r) => r.id).join(', ')}], endpoint: "${sim.url}" }`;
    }),
    '',
  ].join('\n');
}

export interface ServePhaseOptions {
  /** The CLI to run: bin/alivpn-doctor.js (TypeScript through tsx) or a compiled dist/cli/main.js. */
  entry?: string;
  intervalS: number;
  budgetScope: 'account' | 'region';
  /** Node flags to compare against the deployed ones (default DEPLOYED_NODE_ARGS / _OPTIONS). */
  nodeArgs?: string[];
  nodeOptions?: string;
  /** One connection per sample; its active tunnel fails at a different phase of the interval. */
  detectionVictims: string[];
  /** Tunnel 1 of each fails at once (the mass outage). */
  stormVictims: string[];
  /** Keep one core busy (a child process) through the detection samples and the mass outage. */
  load?: boolean;
  log: (s: string) => void;
}

/** Prometheus' usual scrape interval (docs/integration.md). */
const SCRAPE_INTERVAL_MS = 15_000;
/** How often the bench looks for a change it waits on. */
const POLL_MS = 250;

export async function servePhase(sim: SimChild, dataDir: string, opts: ServePhaseOptions) {
  const port = await freePort();
  const config = join(dataDir, 'serve.yaml');
  const nodeArgs = opts.nodeArgs ?? DEPLOYED_NODE_ARGS;
  const nodeOptions = opts.nodeOptions ?? DEPLOYED_NODE_OPTIONS;
  const regionsTotal = sim.layout.reduce((n, a) => n + a.regions.length, 0);
  writeFileSync(
    config,
    serveConfigYaml(sim, { port, dataDir, intervalS: opts.intervalS, budgetScope: opts.budgetScope }),
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, opts.entry ?? BIN, 'serve', '--config', config],
    {
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // The daemon's log (JSON lines, level warn): cron slots it missed, and the last lines if it fails.
  const missedSlots: Record<string, number> = {};
  const tail: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    if (!line.includes('cron slot missed')) return;
    const tier = (JSON.parse(line) as { tier?: string }).tier ?? 'unknown';
    missedSlots[tier] = (missedSlots[tier] ?? 0) + 1;
  });
  const url = `http://127.0.0.1:${port}`;
  // A request the daemon failed (e.g. a reset connection) is counted, and the poll goes on: a
  // scraper retries at its next interval, and the count says whether it happened.
  const requestErrors: string[] = [];
  const get = async (path: string) => {
    try {
      const res = await fetch(`${url}${path}`);
      return { ok: res.ok, text: await res.text() };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      requestErrors.push(`${path}: ${cause}`);
      return { ok: false, text: '' };
    }
  };
  const metrics = async () => (await get('/metrics')).text;
  const onStandby = async (connectionId: string) => {
    const res = await get(`/api/v1/connections/${encodeURIComponent(connectionId)}`);
    return res.ok && (JSON.parse(res.text) as { onStandby?: boolean }).onStandby === true;
  };
  const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;
  // Prometheus' share of the daemon's work, for the whole phase.
  let scrapes = 0;
  const scraper = setInterval(() => {
    void metrics().then((text) => {
      if (text) scrapes++;
    });
  }, SCRAPE_INTERVAL_MS);
  let spinner: ReturnType<typeof spinCore> | undefined;
  try {
    const started = Date.now();
    await until(
      'readiness',
      async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200,
      120_000,
    );
    const readyMs = Date.now() - started;
    // VmHWM only grows: read at each stage, it shows which stage set the peak.
    const peakBy: Record<string, number> = { ready: rssOf(child.pid!)?.peakBytes ?? Number.NaN };
    opts.log(
      `  serve ready after ${(readyMs / 1000).toFixed(1)} s; waiting for the first whole-fleet topology…`,
    );
    await until(
      'the first topology of every region',
      async () =>
        count(await metrics(), /^alivpn_collect_success\{[^}]*tier="topology"[^}]*\} 1$/gm) >= regionsTotal,
      300_000,
      5000, // a whole /metrics read each time: no faster than a scraper would
    );
    const settledMs = Date.now() - started;
    peakBy.firstTopology = rssOf(child.pid!)?.peakBytes ?? Number.NaN;

    const samplesMs: number[] = [];
    const intervalMs = opts.intervalS * 1000;
    const missedBefore = Object.values(missedSlots).reduce((a, b) => a + b, 0);
    const serveCpu0 = cpuSecondsOf(child.pid!);
    const loadStarted = Date.now();
    if (opts.load) {
      spinner = spinCore();
      opts.log(`  one core kept busy by pid ${spinner.pid} until the end of the mass outage`);
    }
    for (const [i, connectionId] of opts.detectionVictims.entries()) {
      // Spread the incidents over the interval: right after a tick, mid-way, just before the next.
      const phase = ((i * 0.37 + 0.15) % 1) * intervalMs;
      await sleep((phase - (Date.now() % intervalMs) + intervalMs) % intervalMs);
      await sim.fail(connectionId, 1, 'PskMismatch');
      const t0 = Date.now();
      const standby = new RegExp(
        `^alivpn_connection_on_standby\\{[^}]*connection_id="${connectionId}"[^}]*\\} 1$`,
        'm',
      );
      await until(`the failover of ${connectionId}`, () => onStandby(connectionId), 6 * intervalMs);
      // The API and /metrics read the same snapshot; /metrics is where an alert sees it.
      await until(
        `the failover of ${connectionId} on /metrics`,
        async () => standby.test(await metrics()),
        6 * intervalMs,
      );
      samplesMs.push(Date.now() - t0);
      opts.log(`  detection sample ${i + 1}: ${(samplesMs.at(-1)! / 1000).toFixed(1)} s`);
    }

    peakBy.detection = rssOf(child.pid!)?.peakBytes ?? Number.NaN;
    opts.log(`  mass outage: ${opts.stormVictims.length} tunnels fail at once…`);
    const onStandbyBefore = count(await metrics(), /^alivpn_connection_on_standby\{[^}]*\} 1$/gm);
    for (const id of opts.stormVictims) await sim.fail(id, 1, 'PskMismatch');
    const stormAt = Date.now();
    // Watched on the last victim's answer, then counted on /metrics (all of them, every poll).
    const last = opts.stormVictims.at(-1);
    if (last) await until('the mass outage', () => onStandby(last), 300_000);
    await until(
      'the mass outage on /metrics',
      async () =>
        count(await metrics(), /^alivpn_connection_on_standby\{[^}]*\} 1$/gm) >=
        onStandbyBefore + opts.stormVictims.length,
      300_000,
    );
    const stormVisibleMs = Date.now() - stormAt;
    opts.log(`  mass outage visible after ${(stormVisibleMs / 1000).toFixed(1)} s`);
    await sleep(2 * intervalMs); // the hunt for causes goes on for a few cycles
    const loadWallS = (Date.now() - loadStarted) / 1000;
    await spinner?.stop();
    const load = {
      enabled: Boolean(opts.load),
      wallSeconds: loadWallS,
      /** CPU seconds the spinner got over the loaded span (≈ wallSeconds: one core taken). */
      spinnerCpuSeconds: spinner?.cpuSeconds() ?? 0,
      /** CPU seconds serve used over the same span. */
      serveCpuSeconds: cpuSecondsOf(child.pid!) - serveCpu0,
      /** Cron slots the daemon logged as missed over the span (the event loop blocked past a slot). */
      missedSlots: Object.values(missedSlots).reduce((a, b) => a + b, 0) - missedBefore,
    };
    const rss = rssOf(child.pid!);
    peakBy.massOutage = rss?.peakBytes ?? Number.NaN;
    opts.log(
      `  peak RSS by stage (MB): ${Object.entries(peakBy)
        .map(([k, v]) => `${k} ${(v / 1024 / 1024).toFixed(0)}`)
        .join(', ')}`,
    );
    return {
      entry: relative(REPO, opts.entry ?? BIN),
      nodeOptions,
      nodeArgs: nodeArgs.join(' '),
      readyMs,
      firstTopologyMs: settledMs,
      detection: { intervalMs, samplesMs },
      storm: { tunnels: opts.stormVictims.length, visibleAfterMs: stormVisibleMs },
      peakRssBytes: rss?.peakBytes ?? Number.NaN,
      peakRssByStageBytes: peakBy,
      rssAtEndBytes: rss?.currentBytes ?? Number.NaN,
      load,
      missedSlots,
      scrapes,
      requestErrors,
    };
  } catch (err) {
    opts.log(`serve phase failed; the daemon's last log lines:\n${tail.join('\n')}`);
    throw err;
  } finally {
    clearInterval(scraper);
    await spinner?.stop();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000); // serve's own grace is 15 s
    await exited;
    clearTimeout(killer);
  }
}
