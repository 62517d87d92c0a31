// Facts derived from a connection's tunnels, in one place so the tracker, metrics and report agree.
import type { Connection, NegotiationStatus, Tunnel } from './snapshot.js';

const PHASE1_UP: ReadonlySet<string> = new Set<NegotiationStatus>([
  'ike_sa_established',
  'ipsec_sa_not_established',
  'ipsec_sa_established',
]);

export const isIkeSaUp = (status: string): boolean => PHASE1_UP.has(status);
export const isIpsecSaUp = (status: string): boolean => status === 'ipsec_sa_established';

/**
 * The tunnel carrying traffic, as docs/architecture.md defines it: `master` when it is established,
 * else `slave` when it is, else none.
 */
export function activeTunnel(connection: Pick<Connection, 'tunnels'>): Tunnel | null {
  const master = connection.tunnels.find((t) => t.role === 'master');
  if (master?.ipsecSaUp) return master;
  const slave = connection.tunnels.find((t) => t.role === 'slave');
  if (slave?.ipsecSaUp) return slave;
  return null;
}

/** Traffic runs on the standby tunnel: the connection has failed over. */
export function isOnStandby(connection: Pick<Connection, 'tunnels'>): boolean {
  return activeTunnel(connection)?.role === 'slave';
}

/** Report role names for Alibaba's `master`/`slave`. */
export const reportRole = (role: Tunnel['role']): 'primary' | 'standby' =>
  role === 'master' ? 'primary' : 'standby';

/** One key per account × region, shared by every stage that groups by region. */
export const regionKey = (r: { account: string; region: string }): string => `${r.account}/${r.region}`;
