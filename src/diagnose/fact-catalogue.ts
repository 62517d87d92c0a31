// The full fact catalogue: the engine's own facts plus routing, filtering and BGP facts documented
// beside their code. Used by `rules lint` to reject unknown fact names.
import { BGP_FACTS } from './facts/bgp.js';
import { CONNECTION_ONLY_ROOTS, CORE_FACTS, type FactDoc, TUNNEL_ONLY_ROOTS } from './facts/catalogue.js';
import { FILTERING_FACTS } from './facts/filtering.js';
import { PROBE_FACTS } from './facts/probe.js';
import { ROUTING_FACTS } from './facts/routing.js';

export type Scope = 'tunnel' | 'connection';

export const FACT_CATALOGUE: FactDoc[] = [
  ...CORE_FACTS,
  ...ROUTING_FACTS,
  ...FILTERING_FACTS,
  ...BGP_FACTS,
  ...PROBE_FACTS,
];

const NAMES = new Set(FACT_CATALOGUE.map((f) => f.name));
const PREFIXES = new Set(
  FACT_CATALOGUE.flatMap((f) => f.name.split('.').map((_, i, a) => a.slice(0, i + 1).join('.'))),
);
const OPEN_MAPS = FACT_CATALOGUE.filter((f) => f.type === 'map' || f.type.startsWith('map<')).map(
  (f) => `${f.name}.`,
);

/** Why `path` is not a fact in `scope`, or null when it is one. */
export function unknownFact(path: string, scope: Scope): string | null {
  const root = path.split('.')[0] ?? path;
  if (scope === 'connection' && TUNNEL_ONLY_ROOTS.includes(root))
    return `"${path}" exists only in tunnel scope (connection scope has "tunnels", a list)`;
  if (scope === 'tunnel' && CONNECTION_ONLY_ROOTS.includes(root))
    return `"${path}" exists only in connection scope`;
  if (NAMES.has(path) || PREFIXES.has(path)) return null;
  // Facts documented as a bare `map` have open contents (e.g. a nested object without its own docs).
  if (OPEN_MAPS.some((p) => path.startsWith(p) && !FACT_CATALOGUE.some((f) => f.name.startsWith(p))))
    return null;
  return `unknown fact "${path}"`;
}
