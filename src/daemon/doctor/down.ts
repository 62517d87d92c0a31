// What "down" means for the daemon's scheduling and evidence decisions.
import type { RegionSnapshot } from '../../model/snapshot.js';

/** A tunnel that should be up and is not (EffectImmediately off negotiates only on traffic). */
export function hasDownTunnel(r: RegionSnapshot): boolean {
  return r.connections.data.some((c) => c.effectImmediately && c.tunnels.some((t) => !t.ipsecSaUp));
}
