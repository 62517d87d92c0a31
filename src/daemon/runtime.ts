// Wires one running daemon from a config: logger, cloud clients, store, rules, the Doctor, the
// tier scheduler (with adaptive status polling) and the HTTP server. `serve`, `diagnose` and `demo`
// all start here, so they cannot drift apart.
import type { FastifyInstance } from 'fastify';
import { createRegionApis, InMemoryApiCallCounter, RequestBudgets, ThrottleBackoff } from '../cloud/index.js';
import type { ProbeFn } from '../collect/probes.js';
import type { AppConfig } from '../config/index.js';
import { type LoadedRules, loadRules } from '../diagnose/engine.js';
import { createLogger, type Logger, secretsOf } from '../log/logger.js';
import { secrets } from '../log/redact.js';
import type { Severity } from '../model/finding.js';
import { PeerWatcher } from '../peer/watcher.js';
import { buildServer } from '../server/app.js';
import { openStore, type Store } from '../state/store.js';
import { VERSION } from '../version.js';
import type { Diagnoser } from './doctor/evaluator.js';
import { Doctor } from './doctor.js';
import type { Front } from './front.js';
import { listenAnnounced } from './listen.js';
import { createTierScheduler, type TierScheduler } from './scheduler.js';

export interface DoctorParts {
  doctor: Doctor;
  store: Store;
  logger: Logger;
  close(): void;
}

export interface CreateOptions {
  logger?: Logger;
  now?: () => number;
  /** Answer through this listener (serve's, kept across reloads) instead of listening. */
  front?: Front;
  /** Listen here instead of `server.listen` (tests and the demo use port 0: any free port). */
  listen?: { host: string; port: number };
  /** The rule engine (tests wrap it to compare the incremental evaluation with a full one). */
  diagnose?: Diagnoser;
  /** The IKE probe (tests replace it); default: a real UDP probe. */
  probe?: ProbeFn;
}

/** Rules with the config's severity overrides applied; `off` removes a rule. */
export function rulesFor(config: AppConfig): LoadedRules {
  const severity: Record<string, Severity> = {};
  const off = new Set<string>();
  for (const [id, s] of Object.entries(config.rules.severity)) {
    if (s === 'off') off.add(id);
    else severity[id] = s;
  }
  const loaded = loadRules({ dirs: config.rules.dirs, severity });
  return off.size === 0 ? loaded : { ...loaded, rules: loaded.rules.filter((r) => !off.has(r.id)) };
}

export function loggerFor(config: AppConfig, name = 'alivpn-doctor'): Logger {
  return createLogger({ level: config.logging.level, name, secrets: secretsOf(config) });
}

/** The Doctor and what it owns; `close()` closes the store. */
export function createDoctor(config: AppConfig, opts: CreateOptions = {}): DoctorParts {
  secrets.learn(secretsOf(config)); // the one scrubber every sink uses (log, cloud errors, store, HTTP)
  const logger = opts.logger ?? loggerFor(config);
  const now = opts.now ?? Date.now;
  const counter = new InMemoryApiCallCounter();
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  // Request rates are wall-clock rates, whatever clock the Doctor reads (tests inject a simulated one).
  const budgets = new RequestBudgets(config.api.budget, { now: Date.now, sleep });
  const backoff = new ThrottleBackoff(config.api.throttleBackoff, now);
  const apis = createRegionApis(config, { counter, budgets, backoff, logger, now });
  const store = openStore(config.storage.path, { retentionDays: config.storage.retentionDays });
  const peers = config.peers.length > 0 ? new PeerWatcher(config.peers, { logger, now }) : undefined;
  const doctor = new Doctor({
    config,
    apis,
    store,
    rules: rulesFor(config),
    logger,
    counter,
    budgets,
    backoff,
    now,
    peers,
    ...(opts.diagnose && { diagnose: opts.diagnose }),
    ...(opts.probe && { probe: opts.probe }),
  });
  return {
    doctor,
    store,
    logger,
    close: () => {
      peers?.close();
      try {
        store.close();
      } catch (err) {
        // Closed all the same; what could not be written is lost as in a crash (state/availability-table.ts).
        logger.error({ err }, 'the store did not close cleanly');
      }
    },
  };
}

export interface Daemon extends DoctorParts {
  scheduler: TierScheduler;
  server: FastifyInstance;
  /** Base URL the HTTP server listens on. */
  url: string;
  /** Stop scheduling, wait for runs in flight (bounded), close the server and the store. */
  stop(): Promise<void>;
}

export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(listen.slice(i + 1)) };
}

/** Start the daemon: first status cycle at once, then the tiers on their schedules, and HTTP. */
export async function startDaemon(config: AppConfig, opts: CreateOptions = {}): Promise<Daemon> {
  const parts = createDoctor(config, opts);
  const { doctor, logger, store } = parts;
  let handler: Parameters<Front['use']>[0] | undefined;
  const server = buildServer(doctor, {
    version: VERSION,
    ...(config.server.authToken && { authToken: config.server.authToken }),
    logger: false,
    metrics: { objectives: config.objectives },
    ...(opts.front && { serverFactory: opts.front.factory((h) => (handler = h)) }),
  });
  const probeStop = new AbortController();
  // A status run holds its tier until the status is published; its evidence capture goes on as the
  // run's tail, so a slow capture (a big outage, a busy host) never makes the next slot skip.
  const statusRun = (only?: ReadonlySet<string>) =>
    new Promise<{ tail: Promise<unknown> }>((resolve, reject) => {
      const tail: Promise<unknown> = doctor.runStatus(only, () => resolve({ tail }));
      tail.then(() => resolve({ tail }), reject);
    });
  const scheduler = createTierScheduler(
    [
      { name: 'status', schedule: config.poll.status, run: () => statusRun() },
      {
        // Adaptive polling: only regions with an unhealthy tunnel, on the faster schedule.
        name: 'status-fast',
        schedule: config.poll.adaptive.status,
        run: async () => {
          if (!config.poll.adaptive.enabled) return;
          // At a slot both schedules share (every 30 s by default), the full run reads these regions.
          await new Promise((r) => setImmediate(r));
          if (scheduler.running().includes('status')) return;
          const unhealthy = doctor.unhealthyRegions();
          if (unhealthy.size > 0) return statusRun(unhealthy);
        },
      },
      { name: 'topology', schedule: config.poll.topology, run: () => doctor.runTopology() },
      { name: 'traffic', schedule: config.poll.traffic, run: () => doctor.runTraffic() },
      { name: 'prune', schedule: '17 3 * * *', run: async () => void store.prune(Date.now()) },
      // On-prem devices over VICI: a tier of its own, so a silent peer never holds the cloud side back.
      { name: 'peers', schedule: config.poll.peers, run: () => doctor.runPeers() },
      // Off by default: each probe leaves a half-open SA on the peer (docs/probe.md).
      ...(config.probe.enabled
        ? [{ name: 'probe', schedule: config.probe.schedule, run: () => doctor.runProbes(probeStop.signal) }]
        : []),
    ],
    {
      onError: (tier, err) => logger.error({ tier, err }, 'tier run failed'),
      onSkip: (tier) => logger.debug({ tier }, 'previous run still in progress; skipped'),
      onMissed: (tier, slot) =>
        logger.warn(
          { tier, slot: slot.toISOString() },
          'cron slot missed (the process was busy past it); the tier runs now',
        ),
      logger,
    },
  );
  // A transition changes what matters (routes move, evidence appears): refresh topology at once.
  doctor.onTransitions = (regions) => void doctor.runTopology(new Set(regions)).catch(() => undefined);

  const { host, port } = opts.listen ?? parseListen(config.server.listen);
  let url: string;
  try {
    if (opts.front) {
      // serve's listener stays; this app answers its requests from now on.
      await server.ready();
      if (handler) opts.front.use(handler);
      url = opts.front.url;
    } else {
      url = await listenAnnounced(server, { host, port }, logger, {
        version: VERSION,
        accounts: config.accounts.map((a) => a.name),
        hasToken: Boolean(config.server.authToken),
      });
    }
  } catch (err) {
    // Nothing started yet: release the store so a caller can fall back (SIGHUP reload).
    await scheduler.stop(0);
    parts.close();
    throw err;
  }

  // First cycle right away (not at the first cron tick), topology and traffic right behind it.
  void scheduler
    .trigger('status')
    .then(() =>
      Promise.all([
        // Probes need the customer gateways' IPs, which the topology brings.
        scheduler.trigger('topology').then(() => scheduler.trigger('probe')),
        scheduler.trigger('traffic'),
      ]),
    )
    .catch((err: unknown) => logger.error({ err }, 'first cycle failed'));
  // The peers are read beside the first cycle, not behind it.
  if (config.peers.length > 0)
    void scheduler.trigger('peers').catch((err: unknown) => logger.error({ err }, 'first peer read failed'));
  scheduler.start();

  let stopping: Promise<void> | undefined;
  return {
    ...parts,
    scheduler,
    server,
    url,
    stop() {
      stopping ??= (async () => {
        probeStop.abort();
        const clean = await scheduler.stop(15_000);
        if (!clean) logger.warn({ running: scheduler.running() }, 'stopping with a collection still running');
        await server.close();
        parts.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
