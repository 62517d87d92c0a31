// Recorded incidents for `rules test`: a snapshot (full, or a compact change to the healthy world)
// plus the findings the rules must produce.
import { z } from 'zod';
import type { Snapshot, Tunnel } from '../../model/snapshot.js';
import { connection, evidence, logs, NOW, region, topology, tunnel } from './healthy-world.js';

const TunnelRef = z.union([
  z.literal(1),
  z.literal(2),
  z.string().regex(/^tun-/, 'a tunnel id (tun-…) or 1 or 2'),
]);

const DiagnosisRow = z.strictObject({
  failedReasonCode: z.string(),
  failedReason: z.string().optional(),
  mismatchLocal: z.string().optional(),
  mismatchRemote: z.string().optional(),
  sourceLog: z.string().optional(),
});

const EvidenceSpec = z.strictObject({
  /** null: DiagnoseVpnConnections unavailable. */
  diagnosis: z.array(DiagnosisRow).nullable().optional(),
  /** Messages, prefixed with a timestamp and level unless `rawLogs`. */
  logs: z.array(z.string()).optional(),
  rawLogs: z.boolean().optional(),
  errors: z.array(z.string()).optional(),
});

const TunnelSpec = z.record(z.string(), z.unknown());

export const WorldSpecSchema = z.strictObject({
  /** Connection field overrides (not tunnels). */
  connection: z.record(z.string(), z.unknown()).optional(),
  /** Tunnel overrides by index ("1", "2"); `ike`/`ipsec` merge into the healthy settings. */
  tunnels: z.partialRecord(z.enum(['1', '2']), TunnelSpec).optional(),
  /** Only tunnel 1 (a single-tunnel connection). */
  singleTunnel: z.boolean().optional(),
  gateway: z.record(z.string(), z.unknown()).optional(),
  /** false: no topology collected; "partial": collected incompletely. */
  topology: z.union([z.literal(false), z.literal('partial')]).optional(),
  connectionsComplete: z.boolean().optional(),
  evidence: z.partialRecord(z.enum(['1', '2']), EvidenceSpec).optional(),
  /** State changes by tunnel index, as the tracker would pass them. */
  stateChanges: z.partialRecord(z.enum(['1', '2']), z.number().int().nonnegative()).optional(),
});

export const ExpectedFinding = z.strictObject({ rule: z.string(), tunnel: TunnelRef.nullable().optional() });

export const IncidentSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    world: WorldSpecSchema.optional(),
    snapshot: z
      .custom<Snapshot>(
        (v) => typeof v === 'object' && v !== null && Array.isArray((v as Snapshot).regions),
        {
          message: 'a Snapshot object with regions[]',
        },
      )
      .optional(),
    history: z.strictObject({ stateChanges: z.record(z.string(), z.number()).optional() }).optional(),
    expect: z.array(ExpectedFinding),
    /** Rules that must not fire (anywhere). */
    absent: z.array(z.string()).optional(),
    /** No warning or critical finding beyond the expected ones. */
    only: z.boolean().optional(),
    /** First failing ladder layer per tunnel (null = none). */
    ladder: z.record(z.string(), z.string().nullable()).optional(),
  })
  .refine((v) => (v.world ? 1 : 0) + (v.snapshot ? 1 : 0) === 1, {
    message: 'give exactly one of "world" or "snapshot"',
  });

export type Incident = z.infer<typeof IncidentSchema>;
export type WorldSpec = z.infer<typeof WorldSpecSchema>;

function tunnelFrom(index: 1 | 2, spec: Record<string, unknown> | undefined): Tunnel {
  return tunnel({ ...(spec as Partial<Tunnel>), index });
}

/** The snapshot a compact world spec describes, and the tracker history it implies. */
export function buildWorld(w: WorldSpec): { snapshot: Snapshot; stateChanges: Record<string, number> } {
  const tunnels = [tunnelFrom(1, w.tunnels?.['1'])];
  if (!w.singleTunnel) tunnels.push(tunnelFrom(2, w.tunnels?.['2']));
  const conn = connection({
    ...(w.connection ?? {}),
    tunnels,
    ...(w.singleTunnel ? { dualTunnel: false } : {}),
  });
  const topo = topology();
  if (w.gateway) topo.gateways = topo.gateways.map((g) => ({ ...g, ...w.gateway }));
  const byIndex = (i: string) => tunnels.find((t) => String(t.index) === i);
  const ev = Object.entries(w.evidence ?? {}).flatMap(([i, e]) => {
    const t = byIndex(i);
    if (!t) return [];
    return [
      evidence(t.id, {
        diagnosis: e.diagnosis === null ? null : (e.diagnosis ?? []),
        logs: e.logs ? logs(t.id, e.logs, { raw: e.rawLogs ?? false }) : null,
        errors: e.errors ?? [],
      }),
    ];
  });
  const r = region({
    connections: [conn],
    connectionsComplete: w.connectionsComplete ?? true,
    topology: w.topology === false ? null : topo,
    topologyComplete: w.topology !== 'partial',
    evidence: ev,
  });
  const stateChanges: Record<string, number> = {};
  for (const [i, n] of Object.entries(w.stateChanges ?? {})) {
    const t = byIndex(i);
    if (t) stateChanges[t.id] = n;
  }
  return { snapshot: { takenAt: NOW, regions: [r] }, stateChanges };
}
