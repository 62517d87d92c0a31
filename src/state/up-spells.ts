// How long each tunnel stayed up before each of its recent failures, from stored tunnel_up /
// tunnel_down events: the input of the rekey-boundary check ("works for hours, then drops").
import type { VpnEvent } from '../model/events.js';

/** How far back failures are looked at. */
export const UP_SPELL_WINDOW_MS = 7 * 86_400_000;

/**
 * Seconds each tunnel was up before going down, oldest first, for every tunnel_down that follows a
 * tunnel_up of the same tunnel (a failure with no recorded recovery before it has no known spell).
 */
export function upSpellsBeforeFailure(events: readonly VpnEvent[]): Record<string, number[]> {
  const ordered = events
    .filter((e) => e.tunnelId && (e.kind === 'tunnel_up' || e.kind === 'tunnel_down'))
    .sort((a, b) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0));
  const upSince = new Map<string, number>();
  const out: Record<string, number[]> = {};
  for (const e of ordered) {
    const id = e.tunnelId!;
    if (e.kind === 'tunnel_up') upSince.set(id, e.at);
    else {
      const since = upSince.get(id);
      if (since !== undefined) out[id] = [...(out[id] ?? []), Math.round((e.at - since) / 1000)];
      upSince.delete(id);
    }
  }
  return out;
}
