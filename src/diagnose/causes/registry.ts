// The one list of causes. Everything that maps evidence to a cause reads it from here: the
// FailedReasonCode mapping, the log patterns, the phase each cause can explain, the simulator's
// code catalogue. A user rule directory can add causes (user.ts); `with()` layers them on.
import dhGroupMismatch from './dh-group-mismatch.js';
import dpdTimeout from './dpd-timeout.js';
import ikeAlgorithmMismatch from './ike-algorithm-mismatch.js';
import ikeModeMismatch from './ike-mode-mismatch.js';
import ikeVersionMismatch from './ike-version-mismatch.js';
import ipsecProposalMismatch from './ipsec-proposal-mismatch.js';
import lifetimeMismatch from './lifetime-mismatch.js';
import natTraversalMismatch from './nat-traversal-mismatch.js';
import negotiationFailed from './negotiation-failed.js';
import peerDeletedSa from './peer-deleted-sa.js';
import peerIdMismatch from './peer-id-mismatch.js';
import peerUnreachable from './peer-unreachable.js';
import pfsMismatch from './pfs-mismatch.js';
import pskMismatch from './psk-mismatch.js';
import trafficSelectorMismatch from './traffic-selector-mismatch.js';
import type { CauseDef, CausePhase, LogPatternDef, Phased, ReasonCodeDef } from './types.js';
import wrongCustomerGatewayIp from './wrong-customer-gateway-ip.js';

/** Shipped causes. Order matters only between log patterns of equal weight (the first wins). */
export const SHIPPED_CAUSES = [
  pskMismatch,
  dhGroupMismatch,
  pfsMismatch,
  ikeAlgorithmMismatch,
  ipsecProposalMismatch,
  trafficSelectorMismatch,
  peerIdMismatch,
  ikeVersionMismatch,
  ikeModeMismatch,
  natTraversalMismatch,
  lifetimeMismatch,
  wrongCustomerGatewayIp,
  dpdTimeout,
  peerDeletedSa,
  peerUnreachable,
  negotiationFailed,
] as const;

/** Every FailedReasonCode a shipped cause knows (the troubleshooting table's catalogue). */
export type ShippedReasonCode = (typeof SHIPPED_CAUSES)[number]['codes'][number]['code'];

/** Rule id, or a phase-dependent parameter (`proposal`, `dh`) that the phase reached resolves. */
export type PhasedCause = string;

export interface CodeMapping {
  /** The cause the code names (`null`: a failure without a cause). */
  cause: PhasedCause | null;
  weight: number;
  note?: string;
}

export interface LogPattern extends Omit<LogPatternDef, 'phased'> {
  cause: PhasedCause | 'generic';
}

const phasedOr = (id: string, phased: Phased | undefined): string => phased ?? id;

export class CauseRegistry {
  readonly causes: readonly CauseDef[];
  /** FailedReasonCode → cause, weight, note. */
  readonly reasonCodes: Readonly<Record<string, CodeMapping>>;
  /** Every log pattern, in registry order. */
  readonly patterns: readonly LogPattern[];
  private readonly phases: Map<string, CausePhase>;
  private readonly codeDefs: Map<string, ReasonCodeDef>;

  constructor(causes: readonly CauseDef[]) {
    this.causes = causes;
    const codes: Record<string, CodeMapping> = {};
    this.codeDefs = new Map();
    const patterns: LogPattern[] = [];
    this.phases = new Map();
    for (const c of causes) {
      if (c.phase) this.phases.set(c.id, c.phase);
      for (const d of c.codes) {
        this.codeDefs.set(d.code, d);
        codes[d.code] = {
          cause: c.phase ? phasedOr(c.id, d.phased) : null,
          weight: d.weight,
          ...(d.note ? { note: d.note } : {}),
        };
      }
      for (const { phased, ...p } of c.patterns)
        patterns.push({ ...p, cause: c.phase ? phasedOr(c.id, phased) : 'generic' });
    }
    this.reasonCodes = codes;
    this.patterns = patterns;
  }

  /** Ids of the causes evidence can name (the fallback excluded). */
  ids(): string[] {
    return this.causes.filter((c) => c.phase).map((c) => c.id);
  }

  has(id: string): boolean {
    return this.causes.some((c) => c.id === id);
  }

  /** The tunnel state a cause can explain (undefined for unknown ids). */
  phaseOf(id: string): CausePhase | undefined {
    return this.phases.get(id);
  }

  /** Mapping for a code; unknown codes name no cause. */
  mapCode(code: string): CodeMapping {
    return this.reasonCodes[code.trim()] ?? { cause: null, weight: 0 };
  }

  /** The code's catalogue entry (FailedReason text, phase), if any cause declares it. */
  codeDef(code: string): ReasonCodeDef | undefined {
    return this.codeDefs.get(code);
  }

  /** Every code, in registry order. */
  codes(): string[] {
    return this.causes.flatMap((c) => c.codes.map((d) => d.code));
  }

  /** This registry plus `extra` (a cause with a shipped id replaces it). */
  with(extra: readonly CauseDef[]): CauseRegistry {
    if (extra.length === 0) return this;
    const ids = new Set(extra.map((c) => c.id));
    return new CauseRegistry([...this.causes.filter((c) => !ids.has(c.id)), ...extra]);
  }
}

export const SHIPPED = new CauseRegistry(SHIPPED_CAUSES);

/** Resolve a phase-dependent cause for a tunnel whose phase 1 is (or is not) up. */
export function resolvePhased(cause: PhasedCause, ikeSaUp: boolean): string {
  if (cause === 'proposal') return ikeSaUp ? 'ipsec-proposal-mismatch' : 'ike-algorithm-mismatch';
  if (cause === 'dh') return ikeSaUp ? 'pfs-mismatch' : 'dh-group-mismatch';
  return cause;
}
