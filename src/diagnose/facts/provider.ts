// One interface for every fact family. A family is a root of the facts rules read (`routing`,
// `bgp`, `history` …): it computes a typed object from what the snapshot knows about one subject (a
// connection, or one of its tunnels) and documents each of its facts. The engine runs the families
// in facts/providers.ts and nothing else, `rules lint` and `rules facts` read the same catalogue, and
// test/scenarios/facts.test.ts checks over every shipped scenario that what the families compute and
// what they document are the same set of names.
//
// How a fact is documented (one convention for every family): a FactDoc per dotted name, written
// next to the code that computes it, with `const f = factDoc(root)`: `f('', 'map', …)` for the
// root itself, then `f('field', 'type', 'what it means')`. Types are CEL's: bool, int, double, string,
// list<string>, list<int>, list<map> (say the map's fields in the text: `{a, b, c}`), map, and
// `…|null` when the value may be null. A nested map documents its fields (`ike.version`), unless it
// is open (a bare `map` with no field listed).
import type { Connection, RegionSnapshot, Topology, Tunnel } from '../../model/snapshot.js';
import type { CauseRegistry } from '../causes/registry.js';
import type { GatewayTunnels } from './bgp-duplicates.js';
import type { FactDoc } from './catalogue.js';
import type { TopologyIndex } from './topology-index.js';

/**
 * Where a family's root exists: `shared` is computed once per connection and read in both scopes;
 * `tunnel` and `connection` only in that scope; `each` in both, computed per subject.
 */
export type FactScope = 'shared' | 'tunnel' | 'connection' | 'each';

/** What a family may read about its subject. */
export interface FactContext {
  region: RegionSnapshot;
  connection: Connection;
  /** The tunnel in tunnel scope; null in connection scope and for shared families. */
  tunnel: Tunnel | null;
  /** Unix ms of the evaluation. */
  now: number;
  causes: CauseRegistry;
  history: {
    stateChanges: Record<string, number> | undefined;
    windowSeconds: number;
    upSpells: Record<string, number[]> | undefined;
  };
  /** The region's topology when complete enough to reason about routes and filters, else null. */
  topology: Topology | null;
  /** Whatever topology was collected: gateway and peer presence is real even when partial. */
  anyTopology: Topology | null;
  topologyIndex: TopologyIndex | null;
  /** The connections on this connection's VPN gateway (this one included). */
  gatewayConnections: Connection[];
  /** Their tunnels' BGP CIDRs indexed (built once per gateway, on first call). */
  gatewayTunnels(): GatewayTunnels;
}

export interface FactProvider<T> {
  /** The root rules write, e.g. 'routing'. */
  name: string;
  scope: FactScope;
  /** Every fact of the family (the root and its dotted fields). */
  catalogue: readonly FactDoc[];
  compute(ctx: FactContext): T;
  /**
   * The family's value when computing it threw (a fact bug must not stop the fleet): unknown, with
   * the reason. Families without it are plain reads that do not throw.
   */
  unknown?(reason: string, ctx: FactContext): T;
}

/** Declares a provider (the type parameter is inferred from `compute`). */
export const factProvider = <T>(p: FactProvider<T>): FactProvider<T> => p;

/** The convention above: `factDoc(root)('', type, doc)` is the root, other names its dotted fields. */
export const factDoc =
  (root: string) =>
  (name: string, type: string, doc: string): FactDoc => ({
    name: name ? `${root}.${name}` : root,
    type,
    doc,
  });

/** The documented facts of `root` among `docs` (the root itself and its dotted fields). */
export const docsOf = (root: string, docs: readonly FactDoc[]): FactDoc[] =>
  docs.filter((d) => d.name === root || d.name.startsWith(`${root}.`));

/** A family's value in facts the engine filled from it (the record is keyed by provider name). */
export const familyValue = <T>(facts: Readonly<Record<string, unknown>>, p: FactProvider<T>): T =>
  facts[p.name] as T;
