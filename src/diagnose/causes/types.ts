// One cause as one unit: its rule id, the phase it can explain, the Alibaba FailedReasonCodes that
// name it and the log lines that show it. Shipped causes are modules in this folder (registered in
// registry.ts); a user rule directory can add more as data files (causes/<id>.yaml, see user.ts).

export type CauseLayer = 'reachability' | 'ike' | 'ipsec';

/** Which tunnel state a cause can explain. */
export type CausePhase = 'phase1' | 'phase2' | 'any';

/**
 * A parameter whose cause depends on the phase reached: an algorithm proposal is an IKE mismatch
 * while phase 1 is down and an IPsec one once phase 1 is up; a DH group is the IKE DH group, or PFS.
 */
export type Phased = 'proposal' | 'dh';

export interface ReasonCodeDef {
  /** DiagnoseVpnConnections FailedReasonCode (reference §1.3 of docs/reference). */
  readonly code: string;
  /** FailedReason text as the console shows it. */
  readonly reason: string;
  /** The phase the code reports a failure of (1: phase 1 never completes; 2: phase 2 fails). */
  readonly phase: 1 | 2;
  /** 0–100: how specifically the code names the cause, so a more specific log line can outrank it. */
  readonly weight: number;
  /** Why a code maps to a neighbouring id (shown as evidence). */
  readonly note?: string;
  /** The code names a parameter, not a phase: the phase reached decides the id. */
  readonly phased?: Phased;
}

/**
 * Where a log line's text comes from: `charon` lines are strongSwan 5.9.8 text (its source file
 * named in `source`, and recorded in test/fixtures/ike-logs where the lab produces them);
 * `alibaba` lines are the keywords Alibaba's troubleshooting page or FAQ documents (racoon-style
 * or paraphrased), kept only as Alibaba shows them.
 */
export type PatternStyle = 'charon' | 'alibaba';

export interface LogPatternDef {
  /** Lower-case substrings; a line matches when it contains any one of them. */
  readonly any?: readonly string[];
  /** Lower-case substrings that must all appear, in this order. */
  readonly seq?: readonly string[];
  /** 0–100: how specifically the line names the cause; the highest wins. */
  readonly weight: number;
  /** A short label for evidence. */
  readonly label: string;
  readonly style: PatternStyle;
  /** Where the text is documented: a charon source file, or Alibaba's page. */
  readonly source: string;
  /** The line names a parameter, not a phase: the phase reached decides the id. */
  readonly phased?: Phased;
}

export interface CauseDef {
  /** Rule id (rules/<id>.yaml holds the rule that reports it). */
  readonly id: string;
  /** The tunnel state the cause can explain; `null` for the fallback that names no cause. */
  readonly phase: CausePhase | null;
  /** The rule's layer (reachability, ike, ipsec); `null` for the fallback. */
  readonly layer: CauseLayer | null;
  readonly codes: readonly ReasonCodeDef[];
  readonly patterns: readonly LogPatternDef[];
  /** Anchor of the cause's section in docs/runbook.md (the rule's `runbook`). */
  readonly runbook: string;
}

/** Declare a cause (keeps the literal codes, so the FailedReasonCode type derives from the modules). */
export function defineCause<const D extends CauseDef>(def: D): D {
  return def;
}
