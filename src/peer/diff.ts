// The two-sided diff of one tunnel: what Alibaba is configured with against what the device is
// configured with (list-conns, swanctl.conf) and negotiated (list-sas). Each difference carries the
// catalogue's rule id, both values, and when it bites on a tunnel that is still up.
import type { PeerProposal } from '../model/peer.js';
import { pfsDisabled } from './algorithms.js';
import type { PeerTunnelMatch } from './match.js';
import { peerLocalId, peerRemoteId, routeBased } from './swanctl-generate.js';

export type DiffField =
  | 'ike-version'
  | 'ike-mode'
  | 'ike-encryption'
  | 'ike-integrity'
  | 'ike-dh-group'
  | 'ike-lifetime'
  | 'local-id'
  | 'remote-id'
  | 'psk'
  | 'esp-encryption'
  | 'esp-integrity'
  | 'pfs'
  | 'ipsec-lifetime'
  | 'local-ts'
  | 'remote-ts'
  | 'dpd'
  | 'nat-traversal';

export interface SideBySide {
  field: DiffField;
  /** Alibaba's value, in Alibaba's names. */
  cloud: string;
  /** The device's value in Alibaba's names where one exists; null when the device does not say. */
  peer: string | null;
  agree: boolean | null;
}

export interface PeerDifference extends SideBySide {
  agree: false;
  peer: string;
  rule: string;
  /** On a tunnel that is up: when the difference breaks it (en). */
  bites: string;
  /** The same in Japanese. */
  bitesJa: string;
}

const RULE: Record<DiffField, string | null> = {
  'ike-version': 'ike-version-mismatch',
  'ike-mode': 'ike-mode-mismatch',
  'ike-encryption': 'ike-algorithm-mismatch',
  'ike-integrity': 'ike-algorithm-mismatch',
  'ike-dh-group': 'dh-group-mismatch',
  'ike-lifetime': 'lifetime-mismatch',
  'local-id': 'peer-id-mismatch',
  'remote-id': 'peer-id-mismatch',
  psk: 'psk-mismatch',
  'esp-encryption': 'ipsec-proposal-mismatch',
  'esp-integrity': 'ipsec-proposal-mismatch',
  pfs: 'pfs-mismatch',
  'ipsec-lifetime': 'lifetime-mismatch',
  'local-ts': 'traffic-selector-mismatch',
  'remote-ts': 'traffic-selector-mismatch',
  dpd: null, // shown side by side; no catalogue cause (a missing DPD only delays failover)
  'nat-traversal': 'nat-traversal-mismatch',
};

export const ruleOf = (field: DiffField): string | null => RULE[field];

const hours = (s: number | null) =>
  s === null
    ? ''
    : s >= 5400
      ? ` in ~${Math.round(s / 3600)} h`
      : ` in ~${Math.max(1, Math.round(s / 60))} min`;

/** A proposal list "offers" a value when some proposal lists it (strongSwan takes any combination). */
const offers = (proposals: PeerProposal[], part: 'enc' | 'auth' | 'dh', value: string) =>
  proposals.some((p) => p[part].includes(value));
const known = (proposals: PeerProposal[] | null): proposals is PeerProposal[] =>
  proposals !== null && proposals.length > 0 && !proposals.some((p) => p.enc.includes('default'));
const first = (proposals: PeerProposal[], part: 'enc' | 'auth' | 'dh') =>
  proposals[0]?.[part].join('/') || 'none';

const sortedSet = (a: readonly string[]) => [...new Set(a)].sort().join(', ');

/** Every compared field of the tunnel, agreeing or not (the side-by-side view). */
export function compare(m: PeerTunnelMatch): SideBySide[] {
  const { tunnel: t, connection: c, conn, sa } = m;
  const rows: SideBySide[] = [];
  const row = (field: DiffField, cloud: string, peer: string | null, agree?: boolean) =>
    rows.push({ field, cloud, peer, agree: peer === null ? null : (agree ?? cloud === peer) });

  const cloudVersion = t.ike.version.toLowerCase() === 'ikev2' ? 'ikev2' : 'ikev1';
  const peerVersion =
    conn.version === 'IKEv1'
      ? 'ikev1'
      : conn.version === 'IKEv2'
        ? 'ikev2'
        : sa
          ? `ikev${sa.version}`
          : 'any';
  row('ike-version', cloudVersion, peerVersion, peerVersion === 'any' || peerVersion === cloudVersion);
  if (cloudVersion === 'ikev1')
    row(
      'ike-mode',
      t.ike.mode || 'main',
      conn.aggressive === null ? null : conn.aggressive ? 'aggressive' : 'main',
    );

  const saUp = sa?.state === 'ESTABLISHED';
  if (known(conn.proposals)) {
    row(
      'ike-encryption',
      t.ike.encAlg,
      first(conn.proposals, 'enc'),
      offers(conn.proposals, 'enc', t.ike.encAlg),
    );
    row(
      'ike-integrity',
      t.ike.authAlg,
      first(conn.proposals, 'auth'),
      offers(conn.proposals, 'auth', t.ike.authAlg),
    );
    row(
      'ike-dh-group',
      t.ike.dhGroup,
      first(conn.proposals, 'dh'),
      offers(conn.proposals, 'dh', t.ike.dhGroup),
    );
  } else if (saUp && sa) {
    row('ike-encryption', t.ike.encAlg, sa.algorithms.enc);
    row('ike-integrity', t.ike.authAlg, sa.algorithms.auth);
    row('ike-dh-group', t.ike.dhGroup, sa.algorithms.dh);
  }
  const ikeLife =
    cloudVersion === 'ikev1' ? (conn.reauthTimeSeconds ?? conn.rekeyTimeSeconds) : conn.rekeyTimeSeconds;
  if (t.ike.lifetimeSeconds)
    row('ike-lifetime', `${t.ike.lifetimeSeconds}s`, ikeLife === null ? null : `${ikeLife}s`);

  const localId = conn.localId || sa?.localId || '';
  const remoteId = conn.remoteId || sa?.remoteId || '';
  row('local-id', peerLocalId(t), localId || null, !localId || localId === peerLocalId(t));
  row(
    'remote-id',
    peerRemoteId(t),
    remoteId || null,
    !remoteId || remoteId === '%any' || remoteId === peerRemoteId(t),
  );
  if (t.ike.pskFingerprint)
    row(
      'psk',
      `sha256:${t.ike.pskFingerprint}`,
      conn.pskFingerprint ? `sha256:${conn.pskFingerprint}` : null,
    );

  const child = conn.children[0];
  const childSa = sa?.children.find((x) => x.state === 'INSTALLED') ?? null;
  if (child && known(child.espProposals)) {
    const esp = child.espProposals;
    row('esp-encryption', t.ipsec.encAlg, first(esp, 'enc'), offers(esp, 'enc', t.ipsec.encAlg));
    row('esp-integrity', t.ipsec.authAlg, first(esp, 'auth'), offers(esp, 'auth', t.ipsec.authAlg));
    const peerPfs = esp.every((p) => p.dh.length === 0) ? 'disabled' : first(esp, 'dh');
    const pfsAgrees = pfsDisabled(t.ipsec.pfs)
      ? esp.some((p) => p.dh.length === 0)
      : offers(esp, 'dh', t.ipsec.pfs);
    row('pfs', pfsDisabled(t.ipsec.pfs) ? 'disabled' : t.ipsec.pfs, peerPfs, pfsAgrees);
  } else if (childSa) {
    row('esp-encryption', t.ipsec.encAlg, childSa.algorithms.enc);
    row('esp-integrity', t.ipsec.authAlg, childSa.algorithms.auth);
    // The first CHILD_SA reuses the IKE keys: its missing group says nothing about PFS until a rekey.
    if (childSa.algorithms.dh !== 'disabled')
      row('pfs', pfsDisabled(t.ipsec.pfs) ? 'disabled' : t.ipsec.pfs, childSa.algorithms.dh);
  }
  if (t.ipsec.lifetimeSeconds && child)
    row(
      'ipsec-lifetime',
      `${t.ipsec.lifetimeSeconds}s`,
      child.rekeyTimeSeconds === null ? null : `${child.rekeyTimeSeconds}s`,
    );

  const wantLocal = routeBased(c) ? ['0.0.0.0/0'] : c.remoteSubnets;
  const wantRemote = routeBased(c) ? ['0.0.0.0/0'] : c.localSubnets;
  if (child) {
    const local = conn.children.flatMap((x) => x.localTs);
    const remote = conn.children.flatMap((x) => x.remoteTs);
    row('local-ts', sortedSet(wantLocal), sortedSet(local));
    row('remote-ts', sortedSet(wantRemote), sortedSet(remote));
  }
  row('dpd', t.enableDpd ? 'on' : 'off', conn.dpdDelaySeconds ? 'on' : 'off');
  if (sa) {
    const behindNat = sa.natLocal;
    row(
      'nat-traversal',
      t.enableNatTraversal ? 'on' : 'off',
      behindNat ? 'needed (device behind NAT)' : 'not needed',
      t.enableNatTraversal || !behindNat,
    );
  }
  return rows;
}

/** When a difference breaks a tunnel that is up. */
function bites(field: DiffField, m: PeerTunnelMatch): string {
  const sa = m.sa;
  const childSa = sa?.children.find((x) => x.state === 'INSTALLED') ?? null;
  switch (field) {
    case 'pfs':
    case 'esp-encryption':
    case 'esp-integrity':
      return `breaks at the next CHILD_SA rekey${hours(childSa?.rekeyInSeconds ?? null)}`;
    case 'ike-encryption':
    case 'ike-integrity':
    case 'ike-dh-group':
      return `breaks at the next IKE rekey${hours(sa?.rekeyInSeconds ?? null)} or when the tunnel is re-established`;
    case 'psk':
    case 'local-id':
    case 'remote-id':
    case 'ike-version':
    case 'ike-mode':
      return `breaks when the IKE SA is next re-authenticated${hours(sa?.reauthInSeconds ?? null)} or re-established (restart, DPD, failover)`;
    case 'ike-lifetime':
    case 'ipsec-lifetime':
      return 'the sides rekey at different times; IKEv1 peers may refuse the proposed lifetime at the next negotiation';
    case 'local-ts':
    case 'remote-ts':
      return 'traffic outside the narrowed selectors is not carried now, and a re-negotiation may fail';
    case 'nat-traversal':
      return 'breaks when the tunnel is next re-established through the NAT';
    case 'dpd':
      return 'a dead tunnel is noticed late, delaying failover';
  }
}

const hoursJa = (s: number | null) =>
  s === null
    ? ''
    : s >= 5400
      ? ` (約 ${Math.round(s / 3600)} 時間後)`
      : ` (約 ${Math.max(1, Math.round(s / 60))} 分後)`;

/** bites() in Japanese. */
function bitesJa(field: DiffField, m: PeerTunnelMatch): string {
  const sa = m.sa;
  const childSa = sa?.children.find((x) => x.state === 'INSTALLED') ?? null;
  switch (field) {
    case 'pfs':
    case 'esp-encryption':
    case 'esp-integrity':
      return `次の CHILD_SA のキー再生成${hoursJa(childSa?.rekeyInSeconds ?? null)}で切断されます`;
    case 'ike-encryption':
    case 'ike-integrity':
    case 'ike-dh-group':
      return `次の IKE のキー再生成${hoursJa(sa?.rekeyInSeconds ?? null)}、またはトンネルの再確立時に切断されます`;
    case 'psk':
    case 'local-id':
    case 'remote-id':
    case 'ike-version':
    case 'ike-mode':
      return `次の IKE SA の再認証${hoursJa(sa?.reauthInSeconds ?? null)}、または再確立時 (再起動、DPD、フェールオーバー) に切断されます`;
    case 'ike-lifetime':
    case 'ipsec-lifetime':
      return '両側のキー再生成の時期がずれます。IKEv1 のピアは次のネゴシエーションで提案されたライフタイムを拒否することがあります';
    case 'local-ts':
    case 'remote-ts':
      return '狭められたセレクタ外のトラフィックは現在転送されず、再ネゴシエーションが失敗することがあります';
    case 'nat-traversal':
      return '次に NAT 越しにトンネルを再確立するときに切断されます';
    case 'dpd':
      return '停止したトンネルの検出が遅れ、フェールオーバーが遅れます';
  }
}

/** The differences that name a catalogue cause. */
export function differences(m: PeerTunnelMatch, rows: SideBySide[] = compare(m)): PeerDifference[] {
  return rows.flatMap((r) => {
    const rule = ruleOf(r.field);
    if (r.agree !== false || r.peer === null || !rule) return [];
    return [
      {
        ...r,
        agree: false as const,
        peer: r.peer,
        rule,
        bites: bites(r.field, m),
        bitesJa: bitesJa(r.field, m),
      },
    ];
  });
}
