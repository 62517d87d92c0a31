// The full fact catalogue: what every fact family (facts/providers.ts) documents, in the order the
// engine computes them. Used by `rules lint` to reject unknown fact names and by `rules facts`.
import type { FactDoc } from './facts/catalogue.js';
import { FACT_PROVIDERS } from './facts/providers.js';

export type Scope = 'tunnel' | 'connection';

export const FACT_CATALOGUE: FactDoc[] = FACT_PROVIDERS.flatMap((p) => p.catalogue);

/** Roots that exist only in tunnel scope, and only in connection scope (from the families' scopes). */
const TUNNEL_ONLY_ROOTS = FACT_PROVIDERS.filter((p) => p.scope === 'tunnel').map((p) => p.name);
const CONNECTION_ONLY_ROOTS = FACT_PROVIDERS.filter((p) => p.scope === 'connection').map((p) => p.name);

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
