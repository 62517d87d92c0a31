// A real Prometheus + Alertmanager + webhook receiver on loopback, for end-to-end tests.
// Binaries come from the Debian packages `prometheus` (prometheus, promtool) and
// `prometheus-alertmanager` (prometheus-alertmanager, amtool). Every process started here is
// killed by `stop()`, and, as a last resort, when the test process exits or is signalled.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import YAML from 'yaml';

/** Debian names first, upstream names second. */
const BINARY_CANDIDATES = {
  prometheus: ['prometheus'],
  promtool: ['promtool'],
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
  amtool: ['amtool'],
} as const;
const DEBIAN_PACKAGE = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  alertmanager: 'prometheus-alertmanager',
  amtool: 'prometheus-alertmanager',
} as const;

export type PromBinary = keyof typeof BINARY_CANDIDATES;

/** Absolute path of a Prometheus tool on PATH; throws naming the Debian package when missing. */
export function findBinary(tool: PromBinary): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of BINARY_CANDIDATES[tool]) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this directory
      }
    }
  }
  throw new Error(
    `${BINARY_CANDIDATES[tool].join(' or ')} not found on PATH: install the Debian package ` +
      `'${DEBIAN_PACKAGE[tool]}' (apt-get install -y ${DEBIAN_PACKAGE[tool]})`,
  );
}

/** A free TCP port on 127.0.0.1 (for tools that cannot report the port they bound). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

// ---- child processes: tracked so that nothing outlives the test run -------------------------------

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHooksInstalled = false;

/** Last resort on exit or signal: synchronous, so it also works where no await can run. */
function killAllNow(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllNow();
      process.removeListener(signal, onSignal);
      // Keep the default behaviour (terminate) unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** Everything the process wrote to stdout and stderr (for failure messages). */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

function startProcess(name: string, command: string, args: string[]): ManagedProcess {
  installExitHooks();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const chunks: string[] = [];
  const keep = (chunk: Buffer): void => {
    chunks.push(chunk.toString('utf8'));
    if (chunks.length > 400) chunks.splice(0, chunks.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let hasExited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      hasExited = true;
      running.delete(child);
      resolve();
    });
    child.once('error', (err) => {
      chunks.push(`spawn error: ${err.message}`);
      hasExited = true;
      running.delete(child);
      resolve();
    });
  });
  return {
    name,
    pid: child.pid,
    output: () => chunks.join(''),
    exited: () => hasExited,
    async stop() {
      if (hasExited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

// ---- HTTP helpers -------------------------------------------------------------------------------

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

async function waitReady(proc: ManagedProcess, url: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    `${proc.name} at ${url}`,
    async () => {
      if (proc.exited()) throw new Error(`${proc.name} exited early:\n${proc.output()}`);
      const res = await fetch(url).catch(() => undefined);
      return res?.ok ? true : undefined;
    },
    timeoutMs,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n--- ${proc.name} output ---\n${proc.output()}`);
  });
}

// ---- the webhook receiver -----------------------------------------------------------------------

/** One alert inside an Alertmanager webhook notification (payload version 4). */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface WebhookNotification {
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: WebhookAlert[];
}

export interface WebhookReceiver {
  url: string;
  notifications(): WebhookNotification[];
  /** Resolves with the first received alert (past or future) that matches. */
  waitForAlert(what: string, match: (a: WebhookAlert) => boolean, timeoutMs: number): Promise<WebhookAlert>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookNotification[] = [];
  const server: Server = createHttpServer((req, res) => {
    void readBody(req).then((body) => {
      try {
        received.push(JSON.parse(body) as WebhookNotification);
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end('bad json');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('webhook receiver has no address');
  return {
    url: `http://127.0.0.1:${address.port}/alerts`,
    notifications: () => [...received],
    waitForAlert: (what, match, timeoutMs) =>
      waitFor(
        `webhook alert: ${what}`,
        () => received.flatMap((n) => n.alerts).find(match),
        timeoutMs,
        200,
      ).catch((err: Error) => {
        const seen = received.flatMap((n) => n.alerts).map((a) => `${a.status} ${JSON.stringify(a.labels)}`);
        throw new Error(`${err.message}\nreceived so far:\n${seen.join('\n') || '(nothing)'}`);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- rule files ---------------------------------------------------------------------------------

interface RuleFile {
  groups: { name: string; interval?: string; rules: Record<string, unknown>[] }[];
}

/**
 * The same rules with every `for:` replaced, so an end-to-end test does not wait minutes.
 * Only `for:` changes; expressions, labels and annotations stay exactly as shipped.
 */
export function rewriteForDurations(rulesYaml: string, forDuration: string): string {
  const doc = YAML.parse(rulesYaml) as RuleFile;
  if (!doc || !Array.isArray(doc.groups)) throw new Error('rules file has no `groups` list');
  for (const group of doc.groups) {
    for (const rule of group.rules) {
      if ('alert' in rule) rule['for'] = forDuration;
    }
  }
  return YAML.stringify(doc, { lineWidth: 0 });
}

// ---- Prometheus HTTP API ------------------------------------------------------------------------

export interface PromSample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export interface PromQueryResult {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  result: PromSample[] | [number, string];
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
}

export class PromApi {
  constructor(readonly baseUrl: string) {}

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(params)}`;
    const res = await fetch(url);
    const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') {
      throw new Error(`Prometheus ${path} failed (${body.errorType ?? res.status}): ${body.error ?? ''}`);
    }
    return body.data;
  }

  query(expr: string, time?: number): Promise<PromQueryResult> {
    const params: Record<string, string> = { query: expr };
    if (time !== undefined) params.time = String(time);
    return this.get('/api/v1/query', params);
  }

  queryRange(expr: string, startSec: number, endSec: number, stepSec: number): Promise<PromQueryResult> {
    return this.get('/api/v1/query_range', {
      query: expr,
      start: String(startSec),
      end: String(endSec),
      step: String(stepSec),
    });
  }

  /** Values of one label across series matching `match` (what Grafana's label_values() does). */
  labelValues(label: string, match: string): Promise<string[]> {
    return this.get(`/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': match });
  }

  async alerts(): Promise<PromAlert[]> {
    const data = await this.get<{ alerts: PromAlert[] }>('/api/v1/alerts', {});
    return data.alerts;
  }

  async targetsUp(): Promise<boolean> {
    const data = await this.get<{ activeTargets: { health: string }[] }>('/api/v1/targets', {});
    return data.activeTargets.length > 0 && data.activeTargets.every((t) => t.health === 'up');
  }
}

// ---- the stack ----------------------------------------------------------------------------------

export interface PromStackOptions {
  /** host:port of every /metrics endpoint to scrape (job `alivpn-doctor`). */
  targets: string[];
  metricsPath?: string;
  /** Rule file content loaded into Prometheus (e.g. rewriteForDurations(alerts.yaml, '2s')). */
  rulesYaml?: string;
  scrapeInterval?: string;
  evaluationInterval?: string;
  /** Alertmanager route timings; short by default so tests see notifications within seconds. */
  groupWait?: string;
  groupInterval?: string;
}

export interface PromStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  prom: PromApi;
  webhook: WebhookReceiver;
  processes: ManagedProcess[];
  /** Waits until every scrape target is up. */
  waitForTargets(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function prometheusConfig(opts: PromStackOptions, amPort: number): string {
  const interval = opts.scrapeInterval ?? '1s';
  return YAML.stringify({
    global: {
      scrape_interval: interval,
      scrape_timeout: interval,
      evaluation_interval: opts.evaluationInterval ?? '1s',
    },
    rule_files: opts.rulesYaml ? ['rules.yaml'] : [],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
    scrape_configs: [
      {
        job_name: 'alivpn-doctor',
        metrics_path: opts.metricsPath ?? '/metrics',
        static_configs: [{ targets: opts.targets }],
      },
    ],
  });
}

function alertmanagerConfig(opts: PromStackOptions, webhookUrl: string): string {
  return YAML.stringify({
    global: { resolve_timeout: '5s' },
    route: {
      receiver: 'test-webhook',
      group_by: ['alertname', 'account', 'region', 'connection_id'],
      group_wait: opts.groupWait ?? '1s',
      group_interval: opts.groupInterval ?? '1s',
      repeat_interval: '1h',
    },
    receivers: [{ name: 'test-webhook', webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
  });
}

/** Starts webhook receiver, Alertmanager and Prometheus (in that order) in a fresh temp dir. */
export async function startPromStack(opts: PromStackOptions): Promise<PromStack> {
  const prometheusBin = findBinary('prometheus');
  const alertmanagerBin = findBinary('alertmanager');
  installExitHooks();
  const dir = await mkdtemp(join(tmpdir(), 'alivpn-prom-'));
  tempDirs.add(dir);
  const processes: ManagedProcess[] = [];
  let webhook: WebhookReceiver | undefined;

  const stop = async (): Promise<void> => {
    for (const proc of [...processes].reverse()) await proc.stop();
    await webhook?.close();
    await rm(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  };

  try {
    webhook = await startWebhookReceiver();

    const amPort = await freePort();
    await writeFile(join(dir, 'alertmanager.yml'), alertmanagerConfig(opts, webhook.url));
    const alertmanager = startProcess('alertmanager', alertmanagerBin, [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=', // no gossip port: a single instance
      '--log.level=warn',
    ]);
    processes.push(alertmanager);
    const alertmanagerUrl = `http://127.0.0.1:${amPort}`;
    await waitReady(alertmanager, `${alertmanagerUrl}/-/ready`);

    const promPort = await freePort();
    await writeFile(join(dir, 'prometheus.yml'), prometheusConfig(opts, amPort));
    if (opts.rulesYaml) await writeFile(join(dir, 'rules.yaml'), opts.rulesYaml);
    const prometheus = startProcess('prometheus', prometheusBin, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prom-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--rules.alert.resend-delay=1s', // re-send firing alerts every second, not every minute
      '--log.level=warn',
    ]);
    processes.push(prometheus);
    const prometheusUrl = `http://127.0.0.1:${promPort}`;
    await waitReady(prometheus, `${prometheusUrl}/-/ready`);

    const prom = new PromApi(prometheusUrl);
    return {
      prometheusUrl,
      alertmanagerUrl,
      prom,
      webhook,
      processes,
      waitForTargets: (timeoutMs = 20_000) =>
        waitFor(
          'scrape targets up',
          async () => ((await prom.targetsUp()) ? true : undefined),
          timeoutMs,
        ).then(() => undefined),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
