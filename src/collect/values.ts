// Coercions from Alibaba's loosely typed wire values to the snapshot's types, in one place so that
// every normaliser agrees on what "true", "86400" or "10.0.0.0/8, 172.16.0.0/12" mean.

/** A string field, '' when absent. */
export const text = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '' : String(v);

/** Alibaba booleans arrive as booleans or as the strings "true"/"false" (tunnel EnableDpd, Enable…). */
export function flag(v: boolean | string | null | undefined): boolean {
  if (typeof v === 'boolean') return v;
  return typeof v === 'string' && v.trim().toLowerCase() === 'true';
}

/** A number from a number or a numeric string (lifetimes and ASNs are strings inside tunnel configs); null when absent or not numeric. */
export function numberOrNull(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = v.trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Comma-separated CIDR lists (LocalSubnet, RemoteSubnet) as trimmed entries, empty ones dropped. */
export const cidrList = (v: string | null | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** `{Tag: [{Key, Value}]}` → `{key: value}`; entries without a key are dropped. */
export function tagMap(
  tags: ReadonlyArray<{ key?: string; value?: string }> | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.key) out[t.key] = t.value ?? '';
  return out;
}

/** The ids once each, in first-seen order, empty ones dropped. */
export const uniqueIds = (ids: Iterable<string | null | undefined>): string[] => [
  ...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== '')),
];

/** Split a list into chunks of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
