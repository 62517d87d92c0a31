// The strongSwan lab: two real charon daemons in their own network namespaces (the cloud gateway
// responds, the on-prem peer initiates), joined by a veth pair or through a NAT namespace.
// Everything it creates carries a per-run id and is removed by stop(), at process exit, or on
// SIGINT/SIGTERM; nothing else on the host is touched. See src/lab/README.md.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AddressPlan,
  CONNECTION_NAME,
  defaultIke,
  GATEWAY_HOST,
  type IkeSettings,
  PEER_HOST,
  renderStrongswan,
  renderSwanctl,
  SIDES,
  type Side,
  type StrongswanSettings,
} from './config.js';
import {
  bestEffortSync,
  CHARON_BIN,
  LabCommandError,
  labUnavailableReason,
  must,
  type RunResult,
  run,
} from './system.js';

export type Topology = 'direct' | 'nat';

export interface SideOptions {
  /** Overrides of the side's default IKE settings (ignored when swanctlConf is given). */
  ike?: Partial<IkeSettings>;
  /** A whole swanctl.conf of your own instead of the rendered one. */
  swanctlConf?: string;
  /** Extra strongswan.conf settings, dotted keys (e.g. `charon.cookie_threshold`). */
  strongswan?: StrongswanSettings;
  /** Use kernel-libipsec for ESP (default true). Without it CHILD_SAs fail on kernels lacking XFRM ESP. */
  kernelLibipsec?: boolean;
  /** Load the swanctl.conf at start (default true). */
  load?: boolean;
}

export interface LabOptions {
  /** `direct`: one veth pair. `nat`: the peer sits behind a MASQUERADE namespace. */
  topology?: Topology;
  gateway?: SideOptions;
  peer?: SideOptions;
  /** Keep the run directory (configs, logs) after stop(). */
  keep?: boolean;
  /** How long to wait for each charon's VICI socket to answer. */
  readyTimeoutMs?: number;
  /**
   * Link this process's own network namespace to a side with a veth pair (a /30 of 198.19.200.0/21
   * no host interface uses yet), so code running here (the IKE probe, `serve`) reaches that side's
   * charon at `addresses.hostLink.remote`. Removed with the lab.
   */
  hostLink?: Side;
}

export interface LabAddresses {
  /** The gateway's (Alibaba tunnel) address. */
  gateway: string;
  /** The peer's own address (private when behind the NAT). */
  peer: string;
  /** The peer as the gateway sees it (the NAT's outside address in the `nat` topology). */
  peerPublic: string;
  gatewayHost: string;
  peerHost: string;
  /** With `hostLink`: this namespace's end (`local`) and the linked side's address (`remote`). */
  hostLink?: { side: Side; local: string; remote: string };
}

export interface LabSide {
  side: Side;
  namespace: string;
  /** `unix://…/charon.vici`, for swanctl --uri or a VICI client. */
  viciUri: string;
  viciSocket: string;
  logPath: string;
  swanctlConfPath: string;
  strongswanConfPath: string;
  /** Connection and CHILD_SA name in swanctl.conf. */
  connection: string;
  pid: number | undefined;
  running: boolean;
}

export interface InitiateResult {
  ok: boolean;
  output: string;
}

export interface Lab {
  id: string;
  dir: string;
  topology: Topology;
  namespaces: { gateway: string; peer: string; nat?: string };
  addresses: LabAddresses;
  sides: Record<Side, LabSide>;
  /** Runs argv inside a side's network namespace (or the NAT's). */
  exec(side: Side | 'nat', argv: string[], timeoutMs?: number): Promise<RunResult>;
  /** Runs swanctl against a side's charon. */
  swanctl(side: Side, args: string[], timeoutMs?: number): Promise<RunResult>;
  /** Loads (or reloads) a side's swanctl.conf; `text` replaces the file first. */
  load(side: Side, text?: string): Promise<void>;
  dropUdp(side: Side, port: number): Promise<void>;
  allowUdp(side: Side, port: number): Promise<void>;
  /** Signals a side's charon (default SIGKILL) and waits for it to exit. */
  kill(side: Side, signal?: NodeJS.Signals): Promise<void>;
  /** Kills a side's charon if it runs, starts it again on the same sockets and (by default) reloads its swanctl.conf. */
  restart(side: Side, opts?: { load?: boolean }): Promise<void>;
  /** The peer initiates its CHILD_SA (and so the IKE_SA); resolves when charon reports the outcome. */
  initiate(opts?: { timeoutS?: number }): Promise<InitiateResult>;
  listSas(side: Side): Promise<string>;
  readLog(side: Side): string;
  waitForLog(side: Side, pattern: RegExp, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export class LabError extends Error {
  override name = 'LabError';
}

interface Charon {
  child: ChildProcess;
  exited: Promise<void>;
  running: boolean;
}

// ---- cleanup of everything still alive when the process ends -------------------------------

const live = new Map<string, () => void>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onSignal(signal: NodeJS.Signals): void {
  cleanupAllSync();
  process.kill(process.pid, signal);
}
const signalHandlers = new Map(SIGNALS.map((s) => [s, () => onSignal(s)] as const));

function cleanupAllSync(): void {
  for (const cleanup of [...live.values()]) cleanup();
  live.clear();
  unregister();
}

function register(id: string, cleanup: () => void): void {
  if (live.size === 0) {
    process.on('exit', cleanupAllSync);
    for (const [s, h] of signalHandlers) process.once(s, h);
  }
  live.set(id, cleanup);
}

function unregister(id?: string): void {
  if (id) live.delete(id);
  if (live.size > 0) return;
  process.off('exit', cleanupAllSync);
  for (const [s, h] of signalHandlers) process.off(s, h);
}

// ---- the lab ---------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const OWNER_FILE = 'owner.json';

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes what labs of dead processes left behind (a SIGKILLed test worker cannot clean up):
 * their charons, namespaces and run directories. Only runs whose owner file names a process that
 * no longer exists are touched. Returns the namespaces removed.
 */
export async function sweepStaleLabs(parent = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith('alivpn-lab-')) continue;
    const dir = join(parent, entry);
    let owner: { pid: number; namespaces: string[] };
    try {
      owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (pidAlive(owner.pid)) continue;
    for (const n of owner.namespaces.filter((x) => /^alivpn-lab-[0-9a-f]+-(gw|peer|nat)$/.test(x))) {
      const pids = await run('ip', ['netns', 'pids', n]);
      for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) await run('kill', ['-9', pid]);
      if ((await run('ip', ['netns', 'del', n])).code === 0) removed.push(n);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return removed;
}

/** Brings up both namespaces and both charons with their configs loaded. */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const reason = labUnavailableReason();
  if (reason) throw new LabError(reason);
  await sweepStaleLabs();
  const topology = options.topology ?? 'direct';
  const id = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), `alivpn-lab-${id}-`));
  const ns = {
    gateway: `alivpn-lab-${id}-gw`,
    peer: `alivpn-lab-${id}-peer`,
    ...(topology === 'nat' ? { nat: `alivpn-lab-${id}-nat` } : {}),
  };
  const veth = {
    gw: `avl${id}g`,
    peer: `avl${id}p`,
    natOut: `avl${id}o`,
    natIn: `avl${id}i`,
    hostIn: `avl${id}h`,
    hostOut: `avl${id}x`,
  };
  const addresses: LabAddresses =
    topology === 'nat'
      ? {
          gateway: '198.18.0.1',
          peer: '198.18.1.2',
          peerPublic: '198.18.0.2',
          gatewayHost: GATEWAY_HOST,
          peerHost: PEER_HOST,
        }
      : {
          gateway: '198.18.0.1',
          peer: '198.18.0.2',
          peerPublic: '198.18.0.2',
          gatewayHost: GATEWAY_HOST,
          peerHost: PEER_HOST,
        };

  // Who owns this run: a later lab removes it if this process dies without cleaning up (SIGKILL).
  writeFileSync(
    join(dir, OWNER_FILE),
    `${JSON.stringify({ pid: process.pid, namespaces: Object.values(ns) })}\n`,
  );
  const createdNs: string[] = [];
  const charons = new Map<Side, Charon>();
  let stopped = false;

  const cleanupSync = () => {
    for (const c of charons.values())
      if (c.running && c.child.pid) bestEffortSync('kill', ['-9', String(c.child.pid)]);
    for (const n of createdNs) bestEffortSync('ip', ['netns', 'del', n]);
    // A veth still in the host namespace (setup failed before moving it).
    for (const v of [veth.gw, veth.natIn, veth.hostIn])
      if (existsSync(`/sys/class/net/${v}`)) bestEffortSync('ip', ['link', 'del', v]);
    if (options.keep) rmSync(join(dir, OWNER_FILE), { force: true });
    else rmSync(dir, { recursive: true, force: true });
  };
  register(id, cleanupSync);

  const ip = (args: string[]) => must('ip', args);
  const nsExec = (name: string, argv: string[], timeoutMs?: number) =>
    run('ip', ['netns', 'exec', name, ...argv], timeoutMs);
  const nsMust = (name: string, argv: string[]) => must('ip', ['netns', 'exec', name, ...argv]);

  const sides = {} as Record<Side, LabSide>;
  try {
    for (const n of Object.values(ns)) {
      await ip(['netns', 'add', n]);
      createdNs.push(n);
      await ip(['-n', n, 'link', 'set', 'lo', 'up']);
    }
    if (topology === 'direct') {
      await wire(veth.gw, ns.gateway, '198.18.0.1/24', veth.peer, ns.peer, '198.18.0.2/24');
    } else {
      const nat = ns.nat!;
      await wire(veth.gw, ns.gateway, '198.18.0.1/24', veth.natOut, nat, '198.18.0.2/24');
      await wire(veth.natIn, nat, '198.18.1.1/24', veth.peer, ns.peer, '198.18.1.2/24');
      await ip(['-n', ns.peer, 'route', 'add', 'default', 'via', '198.18.1.1']);
      await nsMust(nat, ['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
      await nsMust(nat, [
        'iptables',
        '-t',
        'nat',
        '-A',
        'POSTROUTING',
        '-o',
        veth.natOut,
        '-j',
        'MASQUERADE',
      ]);
    }
    await ip(['-n', ns.gateway, 'addr', 'add', `${GATEWAY_HOST}/32`, 'dev', 'lo']);
    await ip(['-n', ns.peer, 'addr', 'add', `${PEER_HOST}/32`, 'dev', 'lo']);
    if (options.hostLink) {
      const side = options.hostLink;
      const net = await freeHostLinkNet();
      await ip(['link', 'add', veth.hostIn, 'type', 'veth', 'peer', 'name', veth.hostOut]);
      await ip(['link', 'set', veth.hostOut, 'netns', ns[side]]);
      await ip(['addr', 'add', `${net.local}/30`, 'dev', veth.hostIn]);
      await ip(['-n', ns[side], 'addr', 'add', `${net.remote}/30`, 'dev', veth.hostOut]);
      await ip(['link', 'set', veth.hostIn, 'up']);
      await ip(['-n', ns[side], 'link', 'set', veth.hostOut, 'up']);
      addresses.hostLink = { side, ...net };
    }

    const plans: Record<Side, AddressPlan> = {
      gateway: { local: addresses.gateway, remote: addresses.peerPublic, remoteDefaultId: addresses.peer },
      peer: { local: addresses.peer, remote: addresses.gateway, remoteDefaultId: addresses.gateway },
    };
    for (const side of SIDES) {
      const opts = options[side] ?? {};
      const sideDir = join(dir, side);
      const runDir = join(sideDir, 'run');
      mkdirSync(runDir, { recursive: true });
      const s: LabSide = {
        side,
        namespace: ns[side],
        viciSocket: join(runDir, 'charon.vici'),
        viciUri: `unix://${join(runDir, 'charon.vici')}`,
        logPath: join(sideDir, 'charon.log'),
        swanctlConfPath: join(sideDir, 'swanctl.conf'),
        strongswanConfPath: join(sideDir, 'strongswan.conf'),
        connection: CONNECTION_NAME[side],
        pid: undefined,
        running: false,
      };
      sides[side] = s;
      const ike: IkeSettings = { ...defaultIke(side), ...opts.ike };
      writeFileSync(s.swanctlConfPath, opts.swanctlConf ?? renderSwanctl(side, ike, plans[side]));
      writeFileSync(
        s.strongswanConfPath,
        renderStrongswan(
          { viciSocket: s.viciSocket, logFile: s.logPath },
          opts.kernelLibipsec ?? true,
          opts.strongswan,
        ),
      );
      const charon = startCharon(s, runDir, join(sideDir, 'charon.stdout'));
      charons.set(side, charon);
      s.pid = charon.child.pid;
    }
    for (const side of SIDES) {
      await waitReady(sides[side], charons.get(side)!, options.readyTimeoutMs ?? 10_000);
      if (options[side]?.load !== false) await loadConf(sides[side]);
    }
  } catch (err) {
    cleanupSync();
    unregister(id);
    throw err;
  }

  async function wire(a: string, nsA: string, addrA: string, b: string, nsB: string, addrB: string) {
    await ip(['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
    await ip(['link', 'set', a, 'netns', nsA]);
    await ip(['link', 'set', b, 'netns', nsB]);
    await ip(['-n', nsA, 'addr', 'add', addrA, 'dev', a]);
    await ip(['-n', nsB, 'addr', 'add', addrB, 'dev', b]);
    await ip(['-n', nsA, 'link', 'set', a, 'up']);
    await ip(['-n', nsB, 'link', 'set', b, 'up']);
  }

  function startCharon(s: LabSide, runDir: string, stdoutPath: string): Charon {
    const fd = openSync(stdoutPath, 'w');
    // The pidfile path /var/run/charon.pid is compiled in: each charon gets its own /run.
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        s.namespace,
        'sh',
        '-c',
        'mount --bind "$1" /run && exec "$2"',
        'sh',
        runDir,
        CHARON_BIN,
      ],
      { env: { ...process.env, STRONGSWAN_CONF: s.strongswanConfPath }, stdio: ['ignore', fd, fd] },
    );
    closeSync(fd);
    const c: Charon = { child, running: true, exited: Promise.resolve() };
    c.exited = new Promise((resolve) => {
      child.once('exit', () => {
        c.running = false;
        s.running = false;
        resolve();
      });
      child.once('error', () => {
        c.running = false;
        s.running = false;
        resolve();
      });
    });
    s.running = true;
    return c;
  }

  async function waitReady(s: LabSide, c: Charon, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!c.running) break;
      if (existsSync(s.viciSocket)) {
        const r = await run('swanctl', ['--stats', '--uri', s.viciUri], 5_000);
        if (r.code === 0) return;
      }
      await sleep(100);
    }
    const tail = existsSync(s.logPath)
      ? readFileSync(s.logPath, 'utf8').split('\n').slice(-10).join('\n')
      : '';
    throw new LabError(
      `lab: charon of the ${s.side} (namespace ${s.namespace}) ${c.running ? `did not answer on ${s.viciUri} within ${timeoutMs} ms` : 'exited at start'}${tail ? `; last log lines:\n${tail}` : ''}`,
    );
  }

  async function loadConf(s: LabSide) {
    const r = await run('swanctl', ['--load-all', '--file', s.swanctlConfPath, '--uri', s.viciUri]);
    if (
      r.code !== 0 ||
      /failed|error/i.test(
        r.stdout
          .split('\n')
          .filter((l) => !/^no (authorities|pools)/.test(l))
          .join('\n'),
      )
    )
      throw new LabCommandError(`swanctl --load-all --file ${s.swanctlConfPath}`, r.code, r.stdout, r.stderr);
  }

  const charonOf = (side: Side) => charons.get(side)!;

  const lab: Lab = {
    id,
    dir,
    topology,
    namespaces: ns,
    addresses,
    sides,
    exec: (side, argv, timeoutMs) =>
      nsExec(side === 'nat' ? (ns.nat ?? fail('this lab has no NAT namespace')) : ns[side], argv, timeoutMs),
    swanctl: (side, args, timeoutMs) => run('swanctl', [...args, '--uri', sides[side].viciUri], timeoutMs),
    async load(side, text) {
      if (text !== undefined) writeFileSync(sides[side].swanctlConfPath, text);
      await loadConf(sides[side]);
    },
    async dropUdp(side, port) {
      await nsMust(ns[side], ['iptables', '-I', 'INPUT', '-p', 'udp', '--dport', String(port), '-j', 'DROP']);
    },
    async allowUdp(side, port) {
      await nsMust(ns[side], ['iptables', '-D', 'INPUT', '-p', 'udp', '--dport', String(port), '-j', 'DROP']);
    },
    async kill(side, signal = 'SIGKILL') {
      const c = charonOf(side);
      if (!c.running) return;
      c.child.kill(signal);
      await c.exited;
    },
    async restart(side, opts = {}) {
      await lab.kill(side);
      const s = sides[side];
      const runDir = join(dir, side, 'run');
      const charon = startCharon(s, runDir, join(dir, side, 'charon.stdout'));
      charons.set(side, charon);
      s.pid = charon.child.pid;
      await waitReady(s, charon, options.readyTimeoutMs ?? 10_000);
      if (opts.load !== false) await loadConf(s);
    },
    async initiate(opts = {}) {
      const timeoutS = opts.timeoutS ?? 30;
      const r = await run(
        'swanctl',
        [
          '--initiate',
          '--child',
          sides.peer.connection,
          '--timeout',
          String(timeoutS),
          '--uri',
          sides.peer.viciUri,
        ],
        (timeoutS + 10) * 1000,
      );
      return { ok: r.code === 0, output: `${r.stdout}${r.stderr}` };
    },
    async listSas(side) {
      if (!charonOf(side).running) return '';
      const r = await run('swanctl', ['--list-sas', '--uri', sides[side].viciUri], 10_000);
      return r.stdout;
    },
    readLog: (side) => (existsSync(sides[side].logPath) ? readFileSync(sides[side].logPath, 'utf8') : ''),
    async waitForLog(side, pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (pattern.test(lab.readLog(side))) return true;
        if (Date.now() >= deadline) return false;
        await sleep(100);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const c of charons.values()) if (c.running) c.child.kill('SIGTERM');
      await Promise.race([Promise.all([...charons.values()].map((c) => c.exited)), sleep(3_000)]);
      for (const c of charons.values()) if (c.running) c.child.kill('SIGKILL');
      await Promise.all([...charons.values()].map((c) => c.exited));
      for (const n of createdNs) await run('ip', ['netns', 'del', n]);
      if (options.keep) rmSync(join(dir, OWNER_FILE), { force: true });
      else rmSync(dir, { recursive: true, force: true });
      unregister(id);
    },
  };
  return lab;
}

/** A /30 in 198.19.200.0/21 that no interface of this namespace has an address in. */
async function freeHostLinkNet(): Promise<{ local: string; remote: string }> {
  const used = (await must('ip', ['-4', '-o', 'addr', 'show'])).stdout;
  for (let tries = 0; tries < 64; tries++) {
    const third = 200 + Math.floor(Math.random() * 8);
    const fourth = Math.floor(Math.random() * 64) * 4;
    const prefix = `198.19.${third}.`;
    const taken = [...used.matchAll(/inet (198\.19\.\d+)\.(\d+)\//g)].some(
      (m) => `${m[1]}.` === prefix && Math.floor(Number(m[2]) / 4) * 4 === fourth,
    );
    if (!taken) return { local: `${prefix}${fourth + 1}`, remote: `${prefix}${fourth + 2}` };
  }
  throw new LabError('lab: no free /30 in 198.19.200.0/21 for the host link');
}

function fail(message: string): never {
  throw new LabError(`lab: ${message}`);
}
