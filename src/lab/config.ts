// Renders each charon's strongswan.conf and swanctl.conf from a small, typed description of one side.
// The defaults mirror an Alibaba Cloud IPsec-VPN tunnel and its on-prem peer that agree on everything.

export type Side = 'gateway' | 'peer';
export const SIDES: readonly Side[] = ['gateway', 'peer'];

/** One side's IKE connection, in swanctl terms. */
export interface IkeSettings {
  /** 1 = IKEv1, 2 = IKEv2, 0 = either (swanctl `version`). */
  version: 0 | 1 | 2;
  /** IKEv1 aggressive mode (initiator side; charon answers both modes as responder). */
  aggressive: boolean;
  /** IKE proposals, e.g. `aes128-sha1-modp2048`. */
  proposals: string[];
  /** ESP proposals; a DH group here means PFS. */
  espProposals: string[];
  /** The pre-shared key (lab keys only; they are written to the lab's own files). */
  psk: string;
  /** IKE identities; default: this side's own address and the address of the other side as configured. */
  localId?: string;
  remoteId?: string;
  localTs: string;
  remoteTs: string;
  /** swanctl durations (`4h`, `30s`…), omitted when undefined: charon's defaults apply. */
  rekeyTime?: string;
  overTime?: string;
  childRekeyTime?: string;
  childLifeTime?: string;
  dpdDelay?: string;
  /** IKEv1 only: how long without an answer before the DPD action (charon default 150 s). */
  dpdTimeout?: string;
  dpdAction?: 'clear' | 'trap' | 'restart';
  /** remote_addrs instead of the other side's address (e.g. a wrong customer gateway IP). */
  remoteAddrs?: string;
  /** Force UDP encapsulation (NAT-T) even without a NAT. */
  encap?: boolean;
  /**
   * MOBIKE (IKEv2), off by default: with kernel-libipsec, charon sends a MOBIKE address update
   * right after establishing, which would stand in for DPD when the other side dies.
   */
  mobike?: boolean;
}

/** Extra strongswan.conf settings as dotted keys, e.g. `{ 'charon.cookie_threshold': 0 }`. */
export type StrongswanSettings = Record<string, string | number | boolean>;

export const DEFAULT_PSK = 'lab-only-psk-not-a-secret';

export function defaultIke(side: Side): IkeSettings {
  return {
    version: 2,
    aggressive: false,
    proposals: ['aes128-sha256-modp2048'],
    espProposals: ['aes128-sha256'],
    psk: DEFAULT_PSK,
    localTs: side === 'gateway' ? GATEWAY_SUBNET : PEER_SUBNET,
    remoteTs: side === 'gateway' ? PEER_SUBNET : GATEWAY_SUBNET,
  };
}

/** The VPC behind the gateway and the on-prem network behind the peer (198.18.0.0/15 only). */
export const GATEWAY_SUBNET = '198.19.1.0/24';
export const PEER_SUBNET = '198.19.2.0/24';
/** One address of each subnet lives on the namespace's `lo`: kernel-libipsec routes need a local source. */
export const GATEWAY_HOST = '198.19.1.1';
export const PEER_HOST = '198.19.2.1';

/** Connection (and CHILD_SA) names on each side: the gateway's reads like an Alibaba connection id. */
export const CONNECTION_NAME: Record<Side, string> = { gateway: 'vco-lab', peer: 'to-alibaba' };

export interface AddressPlan {
  /** This side's own address. */
  local: string;
  /** The other side as this side configures it (for the gateway behind a NAT: the NAT's address). */
  remote: string;
  /** The identity the other side uses by default (its own address). */
  remoteDefaultId: string;
}

const ws = (n: number) => '  '.repeat(n);

/** A swanctl.conf for one side: responder-only on the gateway, initiator on the peer. */
export function renderSwanctl(side: Side, ike: IkeSettings, addr: AddressPlan): string {
  const name = CONNECTION_NAME[side];
  const lines: string[] = [
    `# swanctl.conf of the lab's ${side === 'gateway' ? 'cloud gateway (responder)' : 'on-prem peer (initiator)'}`,
    'connections {',
    `${ws(1)}${name} {`,
    `${ws(2)}version = ${ike.version}`,
  ];
  if (ike.version !== 2) lines.push(`${ws(2)}aggressive = ${ike.aggressive ? 'yes' : 'no'}`);
  lines.push(
    `${ws(2)}local_addrs = ${addr.local}`,
    `${ws(2)}remote_addrs = ${ike.remoteAddrs ?? addr.remote}`,
    `${ws(2)}proposals = ${ike.proposals.join(',')}`,
  );
  if (ike.rekeyTime) lines.push(`${ws(2)}rekey_time = ${ike.rekeyTime}`);
  if (ike.overTime) lines.push(`${ws(2)}over_time = ${ike.overTime}`);
  if (ike.dpdDelay) lines.push(`${ws(2)}dpd_delay = ${ike.dpdDelay}`);
  if (ike.dpdTimeout) lines.push(`${ws(2)}dpd_timeout = ${ike.dpdTimeout}`);
  if (ike.encap) lines.push(`${ws(2)}encap = yes`);
  if (ike.version !== 1) lines.push(`${ws(2)}mobike = ${ike.mobike ? 'yes' : 'no'}`);
  lines.push(
    `${ws(2)}local {`,
    `${ws(3)}auth = psk`,
    `${ws(3)}id = ${ike.localId ?? addr.local}`,
    `${ws(2)}}`,
    `${ws(2)}remote {`,
    `${ws(3)}auth = psk`,
    `${ws(3)}id = ${ike.remoteId ?? addr.remoteDefaultId}`,
    `${ws(2)}}`,
    `${ws(2)}children {`,
    `${ws(3)}${name} {`,
    `${ws(4)}local_ts = ${ike.localTs}`,
    `${ws(4)}remote_ts = ${ike.remoteTs}`,
    `${ws(4)}esp_proposals = ${ike.espProposals.join(',')}`,
  );
  if (ike.childRekeyTime) lines.push(`${ws(4)}rekey_time = ${ike.childRekeyTime}`);
  if (ike.childLifeTime) lines.push(`${ws(4)}life_time = ${ike.childLifeTime}`);
  if (ike.dpdAction) lines.push(`${ws(4)}dpd_action = ${ike.dpdAction}`);
  lines.push(`${ws(3)}}`, `${ws(2)}}`, `${ws(1)}}`, '}', 'secrets {', `${ws(1)}ike-lab {`);
  lines.push(`${ws(2)}secret = "${ike.psk.replace(/["\\]/g, '\\$&')}"`, `${ws(1)}}`, '}', '');
  return lines.join('\n');
}

/** The plugins each charon loads (load_modular = no): crypto, sockets, kernel interfaces, VICI. */
export function pluginList(kernelLibipsec: boolean): string[] {
  const base = ['random', 'nonce', 'openssl', 'aes', 'sha1', 'sha2', 'md5', 'hmac', 'gmp', 'curve25519'];
  const rest = ['kdf', 'pem', 'pkcs1', 'x509', 'pubkey', 'socket-default'];
  // kernel-libipsec must come before kernel-netlink, or netlink's IPsec backend wins and installing
  // a CHILD_SA fails on kernels without XFRM ESP.
  const kernel = kernelLibipsec ? ['kernel-libipsec', 'kernel-netlink'] : ['kernel-netlink'];
  return [...base, ...rest, ...kernel, 'vici'];
}

export interface CharonFiles {
  viciSocket: string;
  logFile: string;
}

/** strongswan.conf for one charon: own VICI socket, own file log, short retransmits, extra settings. */
export function renderStrongswan(
  files: CharonFiles,
  kernelLibipsec: boolean,
  extra: StrongswanSettings = {},
): string {
  const settings: StrongswanSettings = {
    'charon.load_modular': 'no',
    'charon.load': pluginList(kernelLibipsec).join(' '),
    // A dead peer is declared after ~8 s instead of charon's default ~165 s.
    'charon.retransmit_timeout': 0.5,
    'charon.retransmit_base': 1.4,
    'charon.retransmit_tries': 5,
    // Aggressive mode with PSK is refused by a charon responder unless this is set (Alibaba accepts it).
    'charon.i_dont_care_about_security_and_use_aggressive_mode_psk': 'yes',
    'charon.plugins.vici.socket': `unix://${files.viciSocket}`,
    'charon.filelog.lab.path': files.logFile,
    'charon.filelog.lab.time_format': '%b %e %T',
    'charon.filelog.lab.ike_name': 'yes',
    'charon.filelog.lab.append': 'no',
    'charon.filelog.lab.flush_line': 'yes',
    'charon.filelog.lab.default': 1,
    'charon.filelog.lab.ike': 2,
    'charon.filelog.lab.cfg': 2,
    'charon.filelog.lab.knl': 1,
    ...extra,
  };
  return `${renderTree(settings)}\n`;
}

interface Tree {
  [key: string]: Tree | string;
}

function renderTree(settings: StrongswanSettings): string {
  const root: Tree = {};
  for (const [dotted, value] of Object.entries(settings)) {
    const parts = dotted.split('.');
    if (parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p)))
      throw new Error(`lab: strongswan.conf key "${dotted}" is not a dotted list of names`);
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next === 'string')
        throw new Error(`lab: strongswan.conf key "${dotted}" nests under the value of "${part}"`);
      if (next === undefined) {
        const child: Tree = {};
        node[part] = child;
        node = child;
      } else node = next;
    }
    const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    if (/[\n{}]/.test(text))
      throw new Error(`lab: strongswan.conf value of "${dotted}" has a newline or brace`);
    node[parts[parts.length - 1]!] = text;
  }
  const out: string[] = [];
  const walk = (node: Tree, depth: number) => {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string') out.push(`${ws(depth)}${k} = ${v}`);
      else {
        out.push(`${ws(depth)}${k} {`);
        walk(v, depth + 1);
        out.push(`${ws(depth)}}`);
      }
    }
  };
  walk(root, 0);
  return out.join('\n');
}
