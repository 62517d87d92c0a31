// Last-known values look last-known: how old one is, in words ("as of 17:02 UTC, 4 min ago",
// "17:02 UTC 時点、4 分前"), and what a connection of a region that cannot be read says instead of
// claiming its state or its findings are current.
import type { Lang } from '../model/finding.js';
import { t } from './i18n.js';
import type { ReportConnection } from './schema.js';

/** "4 min" / "4 分": the age of `at` at `now`, in the largest whole unit. */
export function formatAge(at: number, now: number, lang: Lang): string {
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 60) return t(lang, 'ageSeconds', { n: s });
  const min = Math.floor(s / 60);
  if (min < 60) return t(lang, 'ageMinutes', { n: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t(lang, 'ageHours', { n: h });
  return t(lang, 'ageDays', { n: Math.floor(h / 24) });
}

/** "17:02 UTC" on the day of `now`, else "2026-01-01 17:02 UTC". */
export function formatClock(at: number, now: number): string {
  const iso = new Date(at).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

/** "as of 17:02 UTC, 4 min ago"; empty when either time is missing or not a time. */
export function formatAsOf(asOf: string | undefined, generatedAt: string, lang: Lang): string {
  if (!asOf) return '';
  const at = Date.parse(asOf);
  const now = Date.parse(generatedAt);
  if (Number.isNaN(at) || Number.isNaN(now)) return '';
  return t(lang, 'asOf', { time: formatClock(at, now), age: formatAge(at, now, lang) });
}

/** Where a connection lives, as the region errors name it: "prod / cn-hangzhou". */
const where = (c: ReportConnection) => `${c.account} / ${c.region}`;

/** The one sentence that says a connection's state is the last known one; empty when it is current. */
export function lastKnownText(c: ReportConnection, generatedAt: string, lang: Lang): string {
  if (!c.stale) return '';
  return t(lang, 'lastKnownState', { asOf: formatAsOf(c.asOf, generatedAt, lang), where: where(c) });
}

/** What a connection without findings says: none only when that is known. */
export function noFindingsText(c: ReportConnection, lang: Lang): string {
  if (c.stale) return t(lang, 'findingsUnknownUnread', { where: where(c) });
  if (c.status === 'unknown') return t(lang, 'findingsUnknown');
  return t(lang, 'noFindings');
}
