// Reads one strongSwan device: version, list-conns (loaded config), list-sas (IKE and CHILD SAs),
// completed by its swanctl.conf when configured (proposals and PSK fingerprints). Every failure is
// caught and turned into `reachable: false` with the reason: a peer never throws into the cloud side.
import type {
  PeerAlgorithms,
  PeerChildConfig,
  PeerChildSa,
  PeerConnConfig,
  PeerIkeSa,
  PeerSnapshot,
} from '../model/peer.js';
import { fromVici } from './algorithms.js';
import { readSwanctlConf, type SwanctlConn } from './swanctl-read.js';
import { ViciClient, type ViciClientOptions } from './vici/client.js';
import type { ViciValue } from './vici/codec.js';

export interface PeerTarget {
  name: string;
  vici: string;
  swanctlConf?: string | undefined;
}

type Section = Record<string, ViciValue>;

const s = (v: ViciValue | undefined): string => (typeof v === 'string' ? v : '');
const list = (v: ViciValue | undefined): string[] => (Array.isArray(v) ? v : []);
const sec = (v: ViciValue | undefined): Section => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const num = (v: ViciValue | undefined): number | null => {
  const t = s(v);
  return /^\d+$/.test(t) ? Number(t) : null;
};
const nonZero = (v: ViciValue | undefined): number | null => {
  const n = num(v);
  return n === null || n === 0 ? null : n;
};
const yes = (v: ViciValue | undefined) => s(v) === 'yes';
const count = (v: ViciValue | undefined): number => num(v) ?? 0;

/** `local-host` and `local_addrs` become localHost and localAddrs: our names are charon's, camel-cased. */
type Camel<K extends string> = K extends `${infer A}${'-' | '_'}${infer B}`
  ? `${A}${Capitalize<Camel<B>>}`
  : K;
const camel = (key: string) => key.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());

/** The VICI keys, read with one converter, each under its camel-cased name. */
function read<K extends string, T>(m: Section, as: (v: ViciValue | undefined) => T, ...keys: K[]) {
  return Object.fromEntries(keys.map((k) => [camel(k), as(m[k])])) as { [F in K as Camel<F>]: T };
}

function algorithms(m: Section): PeerAlgorithms {
  return fromVici({
    encr: s(m['encr-alg']),
    keysize: s(m['encr-keysize']),
    integ: s(m['integ-alg']),
    dh: s(m['dh-group']),
  });
}

/** The first `local…`/`remote…` auth round of a list-conn entry. */
function authRound(conn: Section, prefix: 'local' | 'remote'): Section {
  const key = Object.keys(conn).find((k) => k.startsWith(`${prefix}-`) && typeof conn[k] === 'object');
  return key ? sec(conn[key]) : {};
}

export function connFromVici(name: string, c: Section, conf: SwanctlConn | undefined): PeerConnConfig {
  const local = authRound(c, 'local');
  const remote = authRound(c, 'remote');
  const children: PeerChildConfig[] = Object.entries(sec(c['children'])).map(([childName, v]) => {
    const child = sec(v);
    const confChild = conf?.children.find((x) => x.name === childName);
    return {
      name: childName,
      ...read(child, s, 'mode', 'dpd_action'),
      rekeyTimeSeconds: nonZero(child['rekey_time']),
      ...read(child, list, 'local-ts', 'remote-ts'),
      espProposals: confChild ? confChild.espProposals : null,
    };
  });
  return {
    name,
    ...read(c, list, 'local_addrs', 'remote_addrs'),
    version: s(c['version']),
    rekeyTimeSeconds: nonZero(c['rekey_time']),
    reauthTimeSeconds: nonZero(c['reauth_time']),
    dpdDelaySeconds: nonZero(c['dpd_delay']),
    localId: s(local['id']),
    remoteId: s(remote['id']),
    localAuth: s(local['class']),
    remoteAuth: s(remote['class']),
    children,
    aggressive: conf ? conf.aggressive : null,
    encap: conf ? conf.encap : null,
    proposals: conf ? conf.proposals : null,
    pskFingerprint: conf ? conf.pskFingerprint : null,
  };
}

export function saFromVici(name: string, m: Section): PeerIkeSa {
  const children: PeerChildSa[] = Object.values(sec(m['child-sas'])).map((v) => {
    const c = sec(v);
    return {
      ...read(c, s, 'name', 'state', 'mode'),
      encap: yes(c['encap']),
      algorithms: algorithms(c),
      ...read(c, count, 'bytes-in', 'bytes-out', 'packets-in', 'packets-out'),
      rekeyInSeconds: num(c['rekey-time']),
      lifeTimeSeconds: num(c['life-time']),
      installedSeconds: num(c['install-time']),
      ...read(c, list, 'local-ts', 'remote-ts'),
    };
  });
  return {
    name,
    uniqueId: s(m['uniqueid']),
    ...read(m, s, 'version', 'state', 'local-host', 'remote-host', 'local-id', 'remote-id'),
    ...read(m, yes, 'initiator', 'nat-local', 'nat-remote'),
    algorithms: algorithms(m),
    establishedSeconds: num(m['established']),
    rekeyInSeconds: num(m['rekey-time']),
    reauthInSeconds: num(m['reauth-time']),
    children,
  };
}

/** Reads the device once over an open client (list-conns and list-sas are streamed). */
export async function readPeer(
  client: ViciClient,
  target: PeerTarget,
  now: () => number,
): Promise<Omit<PeerSnapshot, 'logs'>> {
  let conf: SwanctlConn[] = [];
  let swanctlError: string | null = null;
  if (target.swanctlConf) {
    try {
      conf = readSwanctlConf(target.swanctlConf);
    } catch (err) {
      swanctlError = err instanceof Error ? err.message : String(err);
    }
  }
  const version = await client.request('version');
  const conns: PeerConnConfig[] = [];
  await client.streamed('list-conns', 'list-conn', {}, (m) => {
    for (const [name, v] of Object.entries(m))
      conns.push(
        connFromVici(
          name,
          sec(v),
          conf.find((c) => c.name === name),
        ),
      );
  });
  const sas: PeerIkeSa[] = [];
  // noblock: do not wait for IKE_SAs busy in a long exchange (a hung peer must not stall us).
  await client.streamed('list-sas', 'list-sa', { noblock: 'yes' }, (m) => {
    for (const [name, v] of Object.entries(m)) sas.push(saFromVici(name, sec(v)));
  });
  return {
    name: target.name,
    vici: target.vici,
    collectedAt: now(),
    reachable: true,
    error: null,
    daemonVersion: `${s(version['daemon'])} ${s(version['version'])}`.trim() || null,
    conns,
    sas,
    swanctlError,
  };
}

/** One-shot read with its own connection; an unreachable or failing peer comes back `reachable: false`. */
export async function collectPeer(
  target: PeerTarget,
  opts: ViciClientOptions & { now?: () => number } = {},
): Promise<Omit<PeerSnapshot, 'logs'>> {
  const now = opts.now ?? Date.now;
  let client: ViciClient | null = null;
  try {
    client = await ViciClient.connect(target.vici, opts);
    return await readPeer(client, target, now);
  } catch (err) {
    return unreachable(target, err, now());
  } finally {
    client?.close();
  }
}

export function unreachable(target: PeerTarget, err: unknown, at: number): Omit<PeerSnapshot, 'logs'> {
  return {
    name: target.name,
    vici: target.vici,
    collectedAt: at,
    reachable: false,
    error: err instanceof Error ? err.message : String(err),
    daemonVersion: null,
    conns: [],
    sas: [],
    swanctlError: null,
  };
}
