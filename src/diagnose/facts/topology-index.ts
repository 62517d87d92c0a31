// What depends only on one region's topology, computed once per diagnose() call and shared by every
// connection of the region (a VPC's route tables, security groups and ACLs serve many tunnels).
// One index per call and per topology object: a new snapshot gets a new index, so nothing is stale.
import type { Topology } from '../../model/snapshot.js';

export class TopologyIndex {
  private readonly memo = new Map<string, unknown>();
  private readonly byObject = new WeakMap<object, Map<string, unknown>>();

  constructor(readonly topo: Topology) {}

  /** The value under `key`, computed on first use. Results are shared: callers must not mutate them. */
  once<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /** `once` keyed by an object of the topology (two objects with the same id stay apart). */
  onceFor<T>(owner: object, key: string, compute: () => T): T {
    let m = this.byObject.get(owner);
    if (!m) {
      m = new Map();
      this.byObject.set(owner, m);
    }
    if (m.has(key)) return m.get(key) as T;
    const value = compute();
    m.set(key, value);
    return value;
  }
}

/** The index to use: the caller's when it has one for this topology, else a fresh one for this call. */
export const indexFor = (topo: Topology, index?: TopologyIndex | null): TopologyIndex =>
  index && index.topo === topo ? index : new TopologyIndex(topo);
