// `peer-config --format swanctl`: the swanctl.conf an on-prem strongSwan needs for one Alibaba
// connection, from the cloud side's own settings. Alibaba's LocalId is its side (the tunnel IP by
// default) and RemoteId is the customer's (the customer gateway IP by default): they swap here.
// The PSK is a placeholder unless the caller passes it (`--include-psk`).
import type { Connection, Tunnel } from '../model/snapshot.js';
import { pfsDisabled, strongswanProposal } from './algorithms.js';

export interface SwanctlOptions {
  /** Tunnel indexes to emit (default: every tunnel of the connection). */
  tunnels?: readonly (1 | 2)[];
  /** Tunnel id → PSK; absent or missing a tunnel = placeholder. */
  psks?: Readonly<Record<string, string>> | null;
}

/** Section names for one tunnel: the connection id and tunnel index (both safe swanctl names). */
export const peerConnName = (connection: Connection, tunnel: Tunnel): string =>
  `${connection.id}-tun${tunnel.index}`;

const isAny = (cidr: string) => cidr === '0.0.0.0/0';

/** Destination-based routing: both sides 0.0.0.0/0 (or BGP), a route-based VPN on the device. */
export const routeBased = (c: Connection): boolean =>
  c.enableTunnelsBgp ||
  (c.localSubnets.length > 0 && c.localSubnets.every(isAny) && c.remoteSubnets.every(isAny));

/** The device's local ID: Alibaba's RemoteId, else the customer gateway IP. */
export const peerLocalId = (t: Tunnel): string => t.ike.remoteId || t.customerGatewayIp || '';
/** The device's remote ID: Alibaba's LocalId, else the tunnel IP. */
export const peerRemoteId = (t: Tunnel): string => t.ike.localId || t.ip;

function secretLiteral(psk: string): string {
  // Quoted when it is plain printable text; strongSwan's base64 form (0s…) for anything else.
  if (/^[\x20-\x7e]+$/.test(psk) && !/["\\]/.test(psk)) return `"${psk}"`;
  return `0s${Buffer.from(psk, 'utf8').toString('base64')}`;
}

function children(c: Connection, t: Tunnel, name: string, ikev1: boolean): string[] {
  const esp = strongswanProposal(
    t.ipsec.encAlg,
    t.ipsec.authAlg,
    pfsDisabled(t.ipsec.pfs) ? null : t.ipsec.pfs,
    `tunnel ${t.index} IPsec config`,
  );
  const local = routeBased(c) ? ['0.0.0.0/0'] : c.remoteSubnets;
  const remote = routeBased(c) ? ['0.0.0.0/0'] : c.localSubnets;
  // IKEv1 negotiates one selector pair per CHILD_SA: one child per pair (IKEv2 takes lists).
  const pairs: [string[], string[]][] =
    ikev1 && (local.length > 1 || remote.length > 1)
      ? local.flatMap((l) => remote.map((r): [string[], string[]] => [[l], [r]]))
      : [[local, remote]];
  const out: string[] = [];
  pairs.forEach(([l, r], i) => {
    out.push(
      `      ${pairs.length > 1 ? `${name}-${i + 1}` : name} {`,
      `        local_ts = ${l.join(', ')}   # on-prem side (Alibaba RemoteSubnet)`,
      `        remote_ts = ${r.join(', ')}   # cloud side (Alibaba LocalSubnet)`,
      `        esp_proposals = ${esp}${pfsDisabled(t.ipsec.pfs) ? '   # IpsecPfs disabled: no PFS group' : ''}`,
    );
    if (t.ipsec.lifetimeSeconds)
      out.push(`        rekey_time = ${t.ipsec.lifetimeSeconds}s   # IpsecLifetime`);
    if (t.enableDpd) out.push('        dpd_action = restart');
    out.push('        start_action = start', '        close_action = start', '      }');
  });
  return out;
}

function tunnelSection(c: Connection, t: Tunnel): string[] {
  const name = peerConnName(c, t);
  const version = t.ike.version.toLowerCase() === 'ikev2' ? 2 : 1;
  const ikev1 = version === 1;
  const ike = strongswanProposal(t.ike.encAlg, t.ike.authAlg, t.ike.dhGroup, `tunnel ${t.index} IKE config`);
  const lines = [
    `  # Tunnel ${t.index} (${t.role === 'master' ? 'primary' : 'standby'}): ${t.id}, Alibaba side ${t.ip}`,
    `  ${name} {`,
    `    version = ${version}`,
  ];
  if (ikev1 && t.ike.mode.toLowerCase() === 'aggressive') lines.push('    aggressive = yes');
  lines.push(
    t.customerGatewayIp
      ? `    # local_addrs = ${t.customerGatewayIp}   # the customer gateway IP: set it when this device owns it (not behind NAT)`
      : '    # local_addrs = <this device’s public address>',
    `    remote_addrs = ${t.ip}`,
    `    proposals = ${ike}`,
  );
  if (t.ike.lifetimeSeconds) {
    // IKEv1 has no IKE rekeying: strongSwan re-authenticates instead.
    lines.push(`    ${ikev1 ? 'reauth_time' : 'rekey_time'} = ${t.ike.lifetimeSeconds}s   # IkeLifetime`);
  }
  if (t.enableDpd) lines.push('    dpd_delay = 30s');
  if (!t.enableNatTraversal)
    lines.push('    # NAT traversal is off on the Alibaba side: this device must not be behind NAT');
  const localId = peerLocalId(t);
  lines.push(
    '    local {',
    '      auth = psk',
    ...(localId ? [`      id = ${localId}`] : []),
    '    }',
    '    remote {',
    '      auth = psk',
    `      id = ${peerRemoteId(t)}`,
    '    }',
    '    children {',
    ...children(c, t, name, ikev1),
    '    }',
    '  }',
  );
  return lines;
}

function secretSection(c: Connection, t: Tunnel, psks: SwanctlOptions['psks']): string[] {
  const psk = psks?.[t.id];
  const localId = peerLocalId(t);
  return [
    `  ike-${peerConnName(c, t)} {`,
    ...(localId ? [`    id-local = ${localId}`] : []),
    `    id-remote = ${peerRemoteId(t)}`,
    psk !== undefined
      ? `    secret = ${secretLiteral(psk)}`
      : `    secret = "<PSK of ${t.id}: from the Alibaba console, or peer-config --include-psk>"`,
    '  }',
  ];
}

/** The swanctl.conf text for the connection (both tunnels unless `tunnels` narrows it). */
export function generateSwanctlConf(c: Connection, opts: SwanctlOptions = {}): string {
  const tunnels = c.tunnels.filter((t) => !opts.tunnels || opts.tunnels.includes(t.index));
  if (tunnels.length === 0)
    throw new Error(
      `connection ${c.id} has no tunnel ${opts.tunnels?.join(' or ')} (it has ${c.tunnels.length})`,
    );
  const header = [
    `# swanctl.conf for Alibaba Cloud VPN connection ${c.id}${c.name ? ` (${c.name})` : ''}`,
    `# account ${c.account}, region ${c.region}, VPN gateway ${c.vpnGatewayId}; generated by alivpn-doctor peer-config`,
    ...(routeBased(c)
      ? [
          '# Destination-based routing: the selectors are 0.0.0.0/0; route the cloud CIDRs into the tunnel',
          '# with an XFRM interface (if_id_in/if_id_out) or a VTI on this device.',
        ]
      : []),
    '',
  ];
  return [
    ...header,
    'connections {',
    ...tunnels.flatMap((t, i) => [...(i > 0 ? [''] : []), ...tunnelSection(c, t)]),
    '}',
    '',
    'secrets {',
    ...tunnels.flatMap((t) => secretSection(c, t, opts.psks)),
    '}',
    '',
  ].join('\n');
}
