// CloudMonitor `Datapoints` (a JSON string) → the last rate per connection.

/** One acs_vpn datapoint; the statistic for acs_vpn is `Value`. */
export interface RatePoint {
  connectionId: string;
  at: number;
  value: number;
}

/**
 * Parse a Datapoints string. Entries without an `ipsecId` or a numeric `Value` are skipped;
 * a string that is not a JSON array is an error naming the metric.
 */
export function parseDatapoints(metric: string, datapoints: string | undefined): RatePoint[] {
  if (datapoints === undefined || datapoints.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(datapoints);
  } catch {
    throw new Error(`${metric}: Datapoints is not valid JSON (${datapoints.slice(0, 80)})`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${metric}: Datapoints is not a JSON array`);
  const out: RatePoint[] = [];
  for (const p of parsed) {
    if (typeof p !== 'object' || p === null) continue;
    const rec = p as Record<string, unknown>;
    const id = rec.ipsecId;
    const value = typeof rec.Value === 'string' ? Number(rec.Value) : rec.Value;
    const at = typeof rec.timestamp === 'string' ? Number(rec.timestamp) : rec.timestamp;
    if (typeof id !== 'string' || typeof value !== 'number' || !Number.isFinite(value)) continue;
    out.push({ connectionId: id, at: typeof at === 'number' && Number.isFinite(at) ? at : 0, value });
  }
  return out;
}

/** The newest point per connection. */
export function latestByConnection(points: RatePoint[]): Map<string, RatePoint> {
  const out = new Map<string, RatePoint>();
  for (const p of points) {
    const seen = out.get(p.connectionId);
    if (!seen || p.at >= seen.at) out.set(p.connectionId, p);
  }
  return out;
}
