// Facts derived from a connection's tunnels, in one place so the tracker, metrics and report agree.
// Whether a tunnel is up or down is decided in ./tunnel-health.ts.
import type { Connection, Tunnel } from './snapshot.js';

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
