// Decides which faults hit a call: scenario rules (from the world) first, then rules set at run
// time. Latency and timeouts add up; the first terminal fault (throttle, 5xx, HTML 502, malformed
// body, fixed API error, QPS limit) decides the answer.
import { type FaultRule, SimApiError, type SimProduct } from '../protocol.js';
import { gatewayErrors } from './errors.js';

export interface CallScope {
  product: SimProduct;
  action: string;
  region: string | undefined;
  account: string | undefined;
}

export type FaultOutcome =
  /** An API error body; `retryAfterMs` becomes the x-acs-retry-after header. */
  { kind: 'error'; error: SimApiError; retryAfterMs?: number } | { kind: 'html502' } | { kind: 'malformed' };

export interface FaultPlan {
  /** Added before answering (latency). */
  delayMs: number;
  /** The answer is held this long (timeout); the client gives up first. */
  holdMs: number;
  outcome: FaultOutcome | undefined;
}

const TERMINAL = new Set<FaultRule['kind']>([
  'throttle',
  'qps',
  'error5xx',
  'html502',
  'malformed',
  'apiError',
]);

/** Hold used by a `timeout` rule without `ms`: longer than any sane client read timeout. */
export const DEFAULT_TIMEOUT_HOLD_MS = 30_000;

function matches(rule: FaultRule, scope: CallScope): boolean {
  return (
    (rule.product === undefined || rule.product === scope.product) &&
    (rule.action === undefined || rule.action === '*' || rule.action === scope.action) &&
    (rule.region === undefined || rule.region === scope.region) &&
    (rule.account === undefined || rule.account === scope.account)
  );
}

function serverError(rule: FaultRule): SimApiError {
  const status = rule.status ?? 503;
  const base = status === 500 ? gatewayErrors.internalError() : gatewayErrors.serviceUnavailable();
  return new SimApiError(status, rule.code ?? base.code, rule.message ?? base.message);
}

export class FaultEngine {
  private runtimeRules: FaultRule[] = [];
  /** Calls left for rules armed with `count`. */
  private readonly remaining = new WeakMap<FaultRule, number>();
  /** Admitted call times per qps rule and action × region × account (sliding 1-second window). */
  private readonly windows = new WeakMap<FaultRule, Map<string, number[]>>();

  constructor(
    private readonly scenario: () => FaultRule[],
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Replaces the run-time rules (copies, so callers cannot change them behind our back). */
  set(rules: FaultRule[]): void {
    this.runtimeRules = rules.map((r) => ({ ...r }));
  }

  append(rules: FaultRule[]): void {
    this.runtimeRules.push(...rules.map((r) => ({ ...r })));
  }

  /** Run-time rules still armed, with `count` showing the calls they have left. */
  list(): FaultRule[] {
    this.runtimeRules = this.runtimeRules.filter((r) => this.left(r) !== 0);
    return this.runtimeRules.map((r) => {
      const left = this.left(r);
      return left === undefined ? { ...r } : { ...r, count: left };
    });
  }

  private left(rule: FaultRule): number | undefined {
    if (rule.count === undefined) return undefined;
    return this.remaining.get(rule) ?? rule.count;
  }

  plan(scope: CallScope): FaultPlan {
    const plan: FaultPlan = { delayMs: 0, holdMs: 0, outcome: undefined };
    for (const rule of [...this.scenario(), ...this.runtimeRules]) {
      if (!matches(rule, scope)) continue;
      const left = this.left(rule);
      if (left === 0) continue;
      if (TERMINAL.has(rule.kind) && plan.outcome) continue;
      if (left !== undefined) this.remaining.set(rule, left - 1);
      this.apply(rule, scope, plan);
    }
    return plan;
  }

  private fires(rule: FaultRule): boolean {
    return this.random() < (rule.ratio ?? 1);
  }

  private apply(rule: FaultRule, scope: CallScope, plan: FaultPlan): void {
    switch (rule.kind) {
      case 'latency':
        if (this.fires(rule)) plan.delayMs += rule.ms ?? 0;
        return;
      case 'timeout':
        if (this.fires(rule)) plan.holdMs = Math.max(plan.holdMs, rule.ms ?? DEFAULT_TIMEOUT_HOLD_MS);
        return;
      case 'qps':
        plan.outcome = this.qps(rule, scope);
        return;
      case 'throttle': {
        if (!this.fires(rule)) return;
        const base = gatewayErrors.throttled();
        const error = new SimApiError(400, rule.code ?? base.code, rule.message ?? base.message);
        plan.outcome =
          rule.ms === undefined ? { kind: 'error', error } : { kind: 'error', error, retryAfterMs: rule.ms };
        return;
      }
      case 'error5xx':
        if (this.fires(rule)) plan.outcome = { kind: 'error', error: serverError(rule) };
        return;
      case 'html502':
        if (this.fires(rule)) plan.outcome = { kind: 'html502' };
        return;
      case 'malformed':
        if (this.fires(rule)) plan.outcome = { kind: 'malformed' };
        return;
      case 'apiError':
        if (this.fires(rule)) {
          const code = rule.code ?? 'InvalidParameter';
          plan.outcome = {
            kind: 'error',
            error: new SimApiError(rule.status ?? 400, code, rule.message ?? code),
          };
        }
        return;
    }
  }

  /** Sliding one-second window per action × region × account; beyond `qps`, Throttling.User. */
  private qps(rule: FaultRule, scope: CallScope): FaultOutcome | undefined {
    const limit = rule.qps ?? 1;
    let perKey = this.windows.get(rule);
    if (!perKey) {
      perKey = new Map();
      this.windows.set(rule, perKey);
    }
    const key = `${scope.action}\n${scope.region ?? ''}\n${scope.account ?? ''}`;
    const now = this.now();
    const recent = (perKey.get(key) ?? []).filter((t) => t > now - 1000);
    perKey.set(key, recent);
    if (recent.length < limit) {
      recent.push(now);
      return undefined;
    }
    const retryAfterMs = Math.max(1, (recent[0] ?? now) + 1000 - now);
    return { kind: 'error', error: gatewayErrors.throttled(), retryAfterMs };
  }
}
