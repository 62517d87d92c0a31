// Routing and filtering are judged on the topology. While a region's topology cannot be read, the
// rules of those layers cannot fire, and their open findings would be resolved (and their alerts
// cleared) on missing data. Unknown is not fixed: such findings stay as they were.
import { type Diagnosis, type Finding, findingKey } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import type { StoredFinding } from '../state/findings.js';

const TOPOLOGY_LAYERS: ReadonlySet<string> = new Set(['routing', 'filtering']);

/** `diagnosis` plus the open routing/filtering findings of connections whose topology is not known now. */
export function keepTopologyFindings(
  diagnosis: Diagnosis,
  snapshot: Snapshot,
  openFindings: () => readonly StoredFinding[],
): Diagnosis {
  const blind = new Set(
    snapshot.regions
      .filter((r) => r.topology !== null && !r.topology.complete)
      .flatMap((r) => r.connections.data.map((c) => c.id)),
  );
  if (blind.size === 0) return diagnosis;
  const present = new Set(diagnosis.findings.map(findingKey));
  const kept = openFindings()
    .filter((f) => blind.has(f.connectionId) && TOPOLOGY_LAYERS.has(f.layer) && !present.has(findingKey(f)))
    .map(asFinding);
  return kept.length === 0 ? diagnosis : { ...diagnosis, findings: [...diagnosis.findings, ...kept] };
}

/** A stored finding without the store's bookkeeping fields. */
function asFinding({
  key: _key,
  firstSeenMs: _first,
  lastSeenMs: _last,
  resolvedAtMs: _resolved,
  ...finding
}: StoredFinding): Finding {
  return finding;
}
