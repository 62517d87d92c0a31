// `rules test`: replays recorded incidents through the engine and compares the findings.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Diagnosis, Finding } from '../../model/finding.js';
import type { Snapshot } from '../../model/snapshot.js';
import { diagnose } from '../engine.js';
import type { LoadedRules } from '../rules-loader.js';
import { buildWorld, type Incident, IncidentSchema } from './spec.js';

export interface IncidentResult {
  file: string;
  name: string;
  passed: boolean;
  /** What was wrong, one line each (empty when passed). */
  failures: string[];
  /** rule@tunnel of every finding produced. */
  got: string[];
}

export function incidentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export function readIncident(file: string): Incident {
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(
      `${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
  const parsed = IncidentSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${basename(file)}: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** Resolve a tunnel reference (1, 2 or an id) against the snapshot's first connection. */
function tunnelId(ref: number | string | null | undefined, snapshot: Snapshot): string | null {
  if (ref === null || ref === undefined) return null;
  if (typeof ref === 'string') return ref;
  const conn = snapshot.regions[0]?.connections.data[0];
  return conn?.tunnels.find((t) => t.index === ref)?.id ?? `tunnel ${ref}`;
}

const label = (f: Pick<Finding, 'rule' | 'tunnelId'>) => (f.tunnelId ? `${f.rule}@${f.tunnelId}` : f.rule);

function compare(incident: Incident, snapshot: Snapshot, d: Diagnosis): string[] {
  const failures: string[] = [];
  const expected = incident.expect.map((e) => ({ rule: e.rule, tunnelId: tunnelId(e.tunnel, snapshot) }));
  for (const e of expected) {
    const hit = d.findings.some(
      (f) => f.rule === e.rule && (e.tunnelId === null || f.tunnelId === e.tunnelId),
    );
    if (!hit) failures.push(`missing ${label(e)}`);
  }
  for (const rule of incident.absent ?? [])
    for (const f of d.findings.filter((x) => x.rule === rule)) failures.push(`unexpected ${label(f)}`);
  if (incident.only)
    for (const f of d.findings) {
      if (f.severity === 'info') continue;
      const wanted = expected.some(
        (e) => e.rule === f.rule && (e.tunnelId === null || e.tunnelId === f.tunnelId),
      );
      if (!wanted) failures.push(`unexpected ${label(f)} (${f.severity})`);
    }
  for (const [ref, layer] of Object.entries(incident.ladder ?? {})) {
    const id = tunnelId(/^\d$/.test(ref) ? Number(ref) : ref, snapshot);
    const ladder = d.ladders.find((l) => l.tunnelId === id);
    if (!ladder) failures.push(`no ladder for ${ref}`);
    else if (ladder.firstFailingLayer !== layer)
      failures.push(
        `tunnel ${ref}: first failing layer ${ladder.firstFailingLayer ?? 'none'}, expected ${layer ?? 'none'}`,
      );
  }
  return failures;
}

/** Run one incident file. Errors in the file itself are reported as a failure, not thrown. */
export function runIncident(file: string, rules?: LoadedRules): IncidentResult {
  let incident: Incident;
  try {
    incident = readIncident(file);
  } catch (e) {
    return { file, name: basename(file), passed: false, failures: [(e as Error).message], got: [] };
  }
  const built = incident.world ? buildWorld(incident.world) : null;
  const snapshot = built?.snapshot ?? (incident.snapshot as Snapshot);
  const stateChanges = { ...(built?.stateChanges ?? {}), ...(incident.history?.stateChanges ?? {}) };
  const d = diagnose(snapshot, { ...(rules ? { rules } : {}), history: { stateChanges } });
  const failures = compare(incident, snapshot, d);
  return { file, name: incident.name, passed: failures.length === 0, failures, got: d.findings.map(label) };
}

export function runIncidents(dir: string, rules?: LoadedRules): IncidentResult[] {
  return incidentFiles(dir).map((f) => runIncident(f, rules));
}
