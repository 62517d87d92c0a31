// How severities and statuses rank, in one place so the report, HTML and CLI exit code agree.
import type { Severity } from '../model/finding.js';
import type { ReportStatus } from './schema.js';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Ordered like `exitCodeFor`: a known critical outranks unknown, unknown outranks warning. */
const STATUS_RANK: Record<ReportStatus, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

export const severityRank = (s: Severity): number => SEVERITY_RANK[s];
export const statusRank = (s: ReportStatus): number => STATUS_RANK[s];

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
export const STATUSES: readonly ReportStatus[] = ['critical', 'unknown', 'warning', 'ok'];

export function severityStatus(s: Severity): ReportStatus {
  return s === 'info' ? 'ok' : s;
}

/** The worst of the given statuses; `ok` for none. */
export function worstStatus(statuses: Iterable<ReportStatus>): ReportStatus {
  let worst: ReportStatus = 'ok';
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
  return worst;
}
