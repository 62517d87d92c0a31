// "What changed before it broke": a finding on a connection that failed after a configuration
// change on it (its tunnels, routes, tables, ACLs or groups) names the change, with before/after.
import type { VpnEvent } from '../../model/events.js';
import type { Diagnosis, Finding, Lang } from '../../model/finding.js';
import type { Snapshot } from '../../model/snapshot.js';
import { describeChange, minutesBefore } from './describe.js';

export interface ChangeContext {
  /** Stored `config_change` events (any order); only those within the window before a failure count. */
  changes: readonly VpnEvent[];
  /** When each down tunnel went down (Unix ms); a connection-scoped finding uses `now`. */
  downSince: ReadonlyMap<string, number>;
  now: number;
  windowMs: number;
}

const LEAD: Record<Lang, (ago: string) => string> = {
  en: (ago) => `Changed ${ago} before the failure: `,
  ja: (ago) => `障害の ${ago} 前に変更: `,
};

/** Only findings of something that broke (critical or warning) are tied to a change. */
const failure = (f: Finding) => f.severity === 'critical' || f.severity === 'warning';

export function withRecentChanges(diagnosis: Diagnosis, snapshot: Snapshot, ctx: ChangeContext): Diagnosis {
  if (ctx.changes.length === 0) return diagnosis;
  const byConnection = new Map<string, VpnEvent[]>();
  for (const e of ctx.changes)
    byConnection.set(e.connectionId, [...(byConnection.get(e.connectionId) ?? []), e]);
  const tunnelIndex = new Map<string, number>();
  for (const r of snapshot.regions)
    for (const c of r.connections.data) for (const t of c.tunnels) tunnelIndex.set(t.id, t.index);

  const findings = diagnosis.findings.map((f) => {
    const mine = byConnection.get(f.connectionId);
    if (!mine || !failure(f)) return f;
    const failedAt = (f.tunnelId && ctx.downSince.get(f.tunnelId)) || ctx.now;
    // Changes on this tunnel or connection-wide (routes, tables, ACLs, groups), not the other tunnel's.
    const relevant = mine
      .filter((e) => e.tunnelId === null || e.tunnelId === f.tunnelId || f.tunnelId === null)
      .filter((e) => e.at <= failedAt && failedAt - e.at <= ctx.windowMs)
      .sort((a, b) => b.at - a.at)
      .slice(0, 3);
    if (relevant.length === 0) return f;
    const lines = (lang: Lang) =>
      relevant.map(
        (e) =>
          LEAD[lang](minutesBefore(failedAt - e.at, lang)) +
          describeChange(e, lang, (id) => tunnelIndex.get(id)),
      );
    return {
      ...f,
      text: {
        en: { ...f.text.en, evidence: [...lines('en'), ...f.text.en.evidence] },
        ja: { ...f.text.ja, evidence: [...lines('ja'), ...f.text.ja.evidence] },
      },
    };
  });
  return { ...diagnosis, findings };
}
