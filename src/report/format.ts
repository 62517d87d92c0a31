// Small formatting helpers shared by the text, Markdown and HTML renderers.

import { secrets } from '../log/redact.js';
import type { VpnEvent } from '../model/events.js';
import { logTimesInUtc } from '../model/log-time.js';

/** "2026-01-01 00:00:00 UTC": one unambiguous zone for people in different offices. */
export function formatTime(at: number | string | null | undefined): string {
  if (at === null || at === undefined) return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Event detail keys shown apart from the one-line summary. */
const EVIDENCE_KEYS = new Set(['evidence', 'logs', 'diagnosis', 'lines']);

/** Detail values worth one line each: primitives, except the evidence lists. */
export function eventFacts(e: VpnEvent): Array<[string, string]> {
  const detail = secrets.clean(e.detail);
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(detail)) {
    if (EVIDENCE_KEYS.has(k)) continue;
    // A time the daemon stored as Unix ms (`diagnosisCapturedAt`) reads in the one zone, UTC.
    if (typeof v === 'number' && /At$/.test(k) && v > 1e12) out.push([k, formatTime(v)]);
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out.push([k, String(v)]);
  }
  return out;
}

/**
 * Evidence captured with the event (log lines, diagnosis reasons), flattened to strings, with
 * Alibaba's zoneless UTC+8 log times shown in UTC (the event's `detail` keeps the lines as logged).
 */
export function eventEvidence(e: VpnEvent): string[] {
  return eventEvidenceQuotes(e).map((q) => q.text);
}

/** The same lines, each with its raw quote as Alibaba logged it. */
export function eventEvidenceQuotes(e: VpnEvent): Array<{ text: string; raw: string }> {
  const detail = secrets.clean(e.detail);
  const out: string[] = [];
  for (const k of EVIDENCE_KEYS) flatten(detail[k], out);
  return out.slice(0, 50).map((raw) => ({ text: logTimesInUtc(raw), raw }));
}

function flatten(v: unknown, out: string[]): void {
  if (v === null || v === undefined) return;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  else if (Array.isArray(v)) for (const item of v) flatten(item, out);
  else if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== '' && x !== null && typeof x !== 'object')
      .map(([k, x]) => `${k}: ${String(x)}`);
    if (parts.length > 0) out.push(parts.join(', '));
  }
}
