// Negotiation facts for one tunnel: which cause the evidence names, from DiagnoseVpnConnections codes
// and the tunnel's logs, checked against the phase the tunnel reached. A cause is named only on evidence.
import type { Tunnel, TunnelDiagnosis, TunnelEvidence } from '../../model/snapshot.js';
import { labelJa, noteJa } from '../causes/labels-ja.js';
import { type CauseRegistry, SHIPPED } from '../causes/registry.js';
import { evidenceAgeSeconds } from '../clock.js';
import { type Cause, type PhasedCause, phaseAgrees, resolvePhased } from './causes.js';
import { withJa } from './localized.js';
import { classifyLogs, type LogSignal } from './log-classifier.js';
import { SILENCE_WEIGHT } from './log-patterns.js';
import { missingEvidence, rejection } from './negotiation-notes.js';
import { mismatchKind, remoteIsStronger } from './params.js';

export interface NegotiationFacts {
  /** Some evidence (a diagnosis row or log lines) was collected for the tunnel. */
  known: boolean;
  /** The named cause (a rule id), or '' when the evidence names none or the tunnel is up. */
  cause: string;
  /** The phase that failed: 'phase1' | 'phase2' | '' (up). */
  phase: string;
  /** Where the cause came from: 'DiagnoseVpnConnections' | 'logs' | ''. */
  source: string;
  /** The FailedReasonCode behind the cause (or the latest code seen when no cause). */
  code: string;
  codes: string[];
  reason: string;
  /** Why a code maps to a neighbouring id, when it does. */
  codeNote: string;
  sourceLog: string;
  matchedLine: string;
  matchedLabel: string;
  /** Alibaba's value and the peer's value of the mismatching parameter, when known. */
  local: string;
  remote: string;
  /** dh-group | encryption | authentication | lifetime | ike-version | ike-mode | ''. */
  param: string;
  /** The peer's value is the stronger one: change Alibaba's side rather than the peer's. */
  recommendAlibabaSide: boolean;
  /** The peer answered (any non-timeout signal). */
  peerAnswered: boolean;
  /** Evidence set aside because its phase contradicts the tunnel status. */
  rejected: string[];
  rejectedJa: string[];
  /** What evidence was missing or silent, when no cause is named. */
  missing: string[];
  missingJa: string[];
  evidenceAgeSeconds: number | null;
  logLinesSeen: number;
}

interface Candidate {
  cause: Cause;
  weight: number;
  source: 'DiagnoseVpnConnections' | 'logs';
  recency: number;
  code: string;
  note: string;
  line: string;
  label: string;
  local: string;
  remote: string;
}

const phaseName = (ikeSaUp: boolean) => (ikeSaUp ? 'phase2' : 'phase1');

/** Refine a generic proposal code by the kind of parameter that differs. */
function refineByParam(
  cause: PhasedCause,
  weight: number,
  local: string,
  remote: string,
): [PhasedCause, number] {
  if (cause !== 'proposal') return [cause, weight];
  switch (mismatchKind(local, remote)) {
    case 'dh-group':
      return ['dh', Math.max(weight, 90)];
    case 'ike-version':
      return ['ike-version-mismatch', Math.max(weight, 90)];
    case 'ike-mode':
      return ['ike-mode-mismatch', Math.max(weight, 90)];
    case 'lifetime':
      return ['lifetime-mismatch', Math.max(weight, 90)];
    default:
      return [cause, weight];
  }
}

function codeCandidates(
  rows: TunnelDiagnosis[],
  tunnel: Tunnel,
  rejected: [string, string][],
  registry: CauseRegistry,
): Candidate[] {
  const out: Candidate[] = [];
  for (const row of rows) {
    const m = registry.mapCode(row.failedReasonCode);
    if (!m.cause) continue;
    const [phased, weight] = refineByParam(m.cause, m.weight, row.mismatchLocal, row.mismatchRemote);
    const cause = resolvePhased(phased, tunnel.ikeSaUp);
    if (!phaseAgrees(cause, tunnel.ikeSaUp, registry)) {
      rejected.push(
        rejection(`DiagnoseVpnConnections code ${row.failedReasonCode}`, cause, tunnel, registry),
      );
      continue;
    }
    out.push({
      cause,
      weight,
      source: 'DiagnoseVpnConnections',
      recency: row.failedTime ?? 0,
      code: row.failedReasonCode,
      note: m.note ?? '',
      line: row.sourceLog,
      label: row.failedReason,
      local: row.mismatchLocal,
      remote: row.mismatchRemote,
    });
  }
  return out;
}

function logCandidates(
  signals: LogSignal[],
  tunnel: Tunnel,
  rejected: [string, string][],
  registry: CauseRegistry,
): Candidate[] {
  const out: Candidate[] = [];
  for (const s of signals) {
    if (s.cause === 'generic') continue;
    const cause = resolvePhased(s.cause, tunnel.ikeSaUp);
    if (!phaseAgrees(cause, tunnel.ikeSaUp, registry)) {
      rejected.push(rejection(`Log line "${s.line.slice(0, 160)}"`, cause, tunnel, registry));
      continue;
    }
    out.push({
      cause,
      weight: s.weight,
      source: 'logs',
      recency: s.position,
      code: '',
      note: '',
      line: s.line,
      label: s.label,
      local: s.local ?? '',
      remote: s.remote ?? '',
    });
  }
  return out;
}

/** Highest weight wins; on a tie Alibaba's own code beats our log reading, then the most recent. */
function best(candidates: Candidate[]): Candidate | null {
  let top: Candidate | null = null;
  for (const c of candidates) {
    if (
      !top ||
      c.weight > top.weight ||
      (c.weight === top.weight && c.source === 'DiagnoseVpnConnections' && top.source === 'logs') ||
      (c.weight === top.weight && c.source === top.source && c.recency >= top.recency)
    )
      top = c;
  }
  return top;
}

const EMPTY: Omit<NegotiationFacts, 'known' | 'evidenceAgeSeconds' | 'logLinesSeen' | 'codes'> = {
  cause: '',
  phase: '',
  source: '',
  code: '',
  reason: '',
  codeNote: '',
  sourceLog: '',
  matchedLine: '',
  matchedLabel: '',
  local: '',
  remote: '',
  param: '',
  recommendAlibabaSide: false,
  peerAnswered: false,
  rejected: [],
  rejectedJa: [],
  missing: [],
  missingJa: [],
};

export function negotiationFacts(
  tunnel: Tunnel,
  ev: TunnelEvidence | undefined,
  now: number,
  registry: CauseRegistry = SHIPPED,
): NegotiationFacts {
  const rows = (ev?.diagnosis ?? []).filter(
    (r) => r.failedReasonCode && (!r.tunnelId || r.tunnelId === tunnel.id),
  );
  const codes = [...new Set(rows.map((r) => r.failedReasonCode))];
  // An established tunnel needs no cause: skip reading its logs.
  const logs =
    ev?.logs && !tunnel.ipsecSaUp ? classifyLogs(ev.logs.lines, registry) : { signals: [], linesSeen: 0 };
  // Object.assign, not spreads: see mergeFacts (localized.ts). Every tunnel gets these facts.
  const base: NegotiationFacts = Object.assign({}, EMPTY, {
    known: Boolean(ev && (rows.length > 0 || (ev.logs?.lines.length ?? 0) > 0)),
    codes,
    evidenceAgeSeconds: ev ? evidenceAgeSeconds(ev, now) : null,
    logLinesSeen: logs.linesSeen,
  });
  if (tunnel.ipsecSaUp) return base;

  const rejected: [string, string][] = [];
  const fromCodes = codeCandidates(rows, tunnel, rejected, registry);
  const fromLogs = logCandidates(logs.signals, tunnel, rejected, registry);
  const chosen = best([...fromCodes, ...fromLogs]);
  // Any line above silence is the peer's answer, even one that names no cause.
  const peerAnswered = logs.signals.some((s) => s.weight > SILENCE_WEIGHT);
  const latestRow = rows.reduce<(typeof rows)[number] | undefined>(
    (a, r) => (!a || (r.failedTime ?? 0) >= (a.failedTime ?? 0) ? r : a),
    undefined,
  );
  const common = {
    ...base,
    phase: phaseName(tunnel.ikeSaUp),
    peerAnswered,
    rejected: rejected.map((r) => r[0]),
    rejectedJa: rejected.map((r) => r[1]),
  };
  if (!chosen) {
    const missing = missingEvidence(
      registry,
      ev,
      codes,
      logs.linesSeen,
      logs.signals.filter((s) => s.cause !== 'generic').length,
    );
    return bilingual({
      ...common,
      code: latestRow?.failedReasonCode ?? '',
      reason: latestRow?.failedReason ?? '',
      sourceLog: latestRow?.sourceLog ?? '',
      missing: missing.en,
      missingJa: missing.ja,
    });
  }
  // Corroboration from the other source for the same cause.
  const codeFor =
    chosen.source === 'DiagnoseVpnConnections'
      ? chosen
      : best(fromCodes.filter((c) => c.cause === chosen.cause));
  const logFor = chosen.source === 'logs' ? chosen : best(fromLogs.filter((c) => c.cause === chosen.cause));
  const sameCause = [...fromCodes, ...fromLogs].filter((c) => c.cause === chosen.cause);
  const withValues = [chosen, codeFor, logFor, ...sameCause].find((c) => c && (c.local || c.remote));
  const local = withValues?.local ?? '';
  const remote = withValues?.remote ?? '';
  return bilingual({
    ...common,
    cause: chosen.cause,
    source: chosen.source,
    code: codeFor?.code ?? '',
    reason: codeFor?.label ?? '',
    codeNote: codeFor?.note ?? '',
    sourceLog: codeFor?.line ?? '',
    matchedLine: logFor?.line ?? '',
    matchedLabel: logFor?.label ?? '',
    local,
    remote,
    param: mismatchKind(local, remote),
    recommendAlibabaSide: remoteIsStronger(local, remote),
  });
}

/** The Japanese of the texts people read (facts/localized.ts); the codes and quotes stay. */
function bilingual(f: NegotiationFacts): NegotiationFacts {
  return withJa(f, {
    matchedLabel: labelJa(f.matchedLabel),
    codeNote: noteJa(f.codeNote),
    rejected: f.rejectedJa,
    missing: f.missingJa,
  });
}
