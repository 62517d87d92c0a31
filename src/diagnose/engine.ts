// The rule engine: facts per tunnel and connection, every rule evaluated, findings rendered in en+ja,
// and a layer ladder per tunnel. Pure: the same snapshot and options give the same diagnosis.
import type { Diagnosis, Finding, FindingText, TunnelLadder } from '../model/finding.js';
import { FLAP_WINDOW_MS } from '../model/flapping.js';
import type { Connection, RegionSnapshot, Snapshot, Tunnel } from '../model/snapshot.js';
import { type CauseRegistry, SHIPPED } from './causes/registry.js';
import { type CelFacts, evaluate, type Facts, toCel } from './cel.js';
import { decide } from './cel-decide.js';
import { type GatewayTunnels, gatewayTunnels } from './facts/bgp-duplicates.js';
import { localizedRoots } from './facts/localized.js';
import { type FactContext, type FactProvider, type FactScope, familyValue } from './facts/provider.js';
import { BGP, CONNECTION, FACT_PROVIDERS, FILTERING, GATEWAY, PROBE, ROUTING } from './facts/providers.js';
import { usableTopology } from './facts/routing-scope.js';
import { TopologyIndex } from './facts/topology-index.js';
import { applyImpact } from './impact.js';
import { ladderFor, notJudgedNote, staleNote } from './ladder.js';
import { type CompiledRule, type CompiledText, defaultRules, type LoadedRules } from './rules-loader.js';
import { type RenderFacts, render, renderLines, type Template } from './template.js';

export type { LoadedRules } from './rules-loader.js';
export { loadRules } from './rules-loader.js';

export interface DiagnoseOptions {
  rules?: LoadedRules;
  history?: {
    stateChanges?: Record<string, number>;
    flapWindowSeconds?: number;
    /** Seconds each tunnel stayed up before each recent failure (state/up-spells.ts). */
    upSpells?: Record<string, number[]>;
  };
  /** Unix ms; defaults to snapshot.takenAt. */
  now?: number;
  /**
   * Evaluate only these connections (ids); the others of their regions still inform what is shared
   * (a gateway's tunnels, the topology). Default: every connection. The incremental evaluation
   * (incremental.ts) uses it.
   */
  connections?: ReadonlySet<string>;
  /** Called when a rule's condition fails to evaluate (a rule bug, not a finding). */
  onRuleError?: (ruleId: string, subject: string, message: string) => void;
  /** Sees the facts of every subject as the rules read them (the catalogue check uses it). */
  onFacts?: (scope: 'tunnel' | 'connection', facts: Readonly<Facts>) => void;
}

/** The fallback rule: its layer is the phase the tunnel did not reach. */
export const FALLBACK_RULE = 'negotiation-failed';
/** The flapping window (src/model/flapping.ts) where the caller gives none (`rules test`, `diagnose`). */
const DEFAULT_FLAP_WINDOW_SECONDS = FLAP_WINDOW_MS / 1000;

/** Converts fact roots to CEL values on first read and keeps them: shared roots once per connection. */
class LazyCel {
  private readonly cache = new Map<string, unknown>();
  constructor(private readonly facts: Facts) {}
  get(key: string): unknown {
    if (!this.cache.has(key)) this.cache.set(key, toCel(this.facts[key]));
    return this.cache.get(key);
  }
}

/** Facts as plain values (for guards) and as CEL bindings whose roots convert only when read. */
class Context {
  private cel: CelFacts | null = null;
  private ja: Context | null = null;
  constructor(
    readonly facts: Facts,
    private readonly shared: LazyCel,
    private readonly sharedKeys: ReadonlySet<string>,
  ) {}
  celFacts(): CelFacts {
    if (!this.cel) {
      const own = new LazyCel(this.facts);
      const bindings: CelFacts = {};
      for (const key of Object.keys(this.facts)) {
        const source = this.sharedKeys.has(key) ? this.shared : own;
        Object.defineProperty(bindings, key, { enumerable: true, get: () => source.get(key) });
      }
      this.cel = bindings;
    }
    return this.cel;
  }
  /** The same facts as Japanese reads them (facts/localized.ts), each root converted when first read. */
  japanese(): Context {
    this.ja ??= new Context(localizedRoots(this.facts), NO_SHARED, NO_KEYS);
    return this.ja;
  }
}
const NO_SHARED = new LazyCel({});
const NO_KEYS: ReadonlySet<string> = new Set();

function renderText(t: CompiledText, facts: RenderFacts, evidence: Template[]): FindingText {
  return {
    title: render(t.title, facts).text.trim(),
    summary: render(t.summary, facts).text.trim(),
    evidence: renderLines(evidence, facts),
    remediation: renderLines(t.remediation, facts),
  };
}

function fires(rule: CompiledRule, ctx: Context, subject: string, opts: DiagnoseOptions): boolean {
  const decided = decide(rule.when, ctx.facts);
  if (decided !== null) return decided;
  const out = evaluate(rule.when, ctx.celFacts());
  if (out.error) opts.onRuleError?.(rule.id, subject, out.error);
  return out.value === true;
}

/** Codes actually observed that the rule covers (Finding.codes: the codes that support it). */
function supportingCodes(rule: CompiledRule, ctx: Context): string[] {
  const neg = ctx.facts['negotiation'] as { codes?: string[] } | undefined;
  return (neg?.codes ?? []).filter((c) => rule.codes.includes(c));
}

function finding(rule: CompiledRule, ctx: Context, conn: Connection, tunnel: Tunnel | null): Finding {
  const facts: RenderFacts = { plain: ctx.facts, cel: () => ctx.celFacts() };
  // Japanese texts render from the facts' Japanese (facts/localized.ts), converted only when read.
  const ja = ctx.japanese();
  const jaFacts: RenderFacts = { plain: ja.facts, cel: () => ja.celFacts() };
  const layer = rule.id === FALLBACK_RULE && tunnel ? (tunnel.ikeSaUp ? 'ipsec' : 'ike') : rule.layer;
  return {
    rule: rule.id,
    severity: rule.severity,
    layer,
    account: conn.account,
    region: conn.region,
    vpnGatewayId: conn.vpnGatewayId,
    connectionId: conn.id,
    tunnelId: tunnel?.id ?? null,
    codes: supportingCodes(rule, ctx),
    runbook: rule.runbook,
    text: {
      en: renderText(rule.text.en, facts, rule.evidence.en),
      ja: renderText(rule.text.ja, jaFacts, rule.evidence.ja),
    },
  };
}

/** One family's value for the subject; a family that throws is unknown with the reason (a fact bug must not stop the fleet). */
function provide<T>(p: FactProvider<T>, ctx: FactContext, opts: DiagnoseOptions): T {
  if (!p.unknown) return p.compute(ctx);
  try {
    return p.compute(ctx);
  } catch (e) {
    const reason = `${p.name} facts failed: ${(e as Error).message}`;
    opts.onRuleError?.(`facts:${p.name}`, ctx.tunnel?.id ?? ctx.connection.id, reason);
    return p.unknown(reason, ctx);
  }
}

/** The facts of every family in `scopes`, keyed by root. */
function factsOf(scopes: ReadonlySet<FactScope>, ctx: FactContext, opts: DiagnoseOptions): Facts {
  const out: Facts = {};
  for (const p of FACT_PROVIDERS) if (scopes.has(p.scope)) out[p.name] = provide(p, ctx, opts);
  return out;
}
const SHARED = new Set<FactScope>(['shared']);
const TUNNEL_SCOPE = new Set<FactScope>(['tunnel', 'each']);
const CONNECTION_SCOPE = new Set<FactScope>(['connection', 'each']);

function diagnoseRegion(
  region: RegionSnapshot,
  rules: { tunnel: CompiledRule[]; connection: CompiledRule[]; causes: CauseRegistry },
  opts: DiagnoseOptions,
  now: number,
  out: Diagnosis,
): void {
  const topo = usableTopology(region.topology);
  // Built per call: what depends only on this topology is computed once for all its connections.
  const index = topo ? new TopologyIndex(topo) : null;
  const conns = region.connections.data;
  const byGateway = new Map<string, Connection[]>();
  for (const c of conns) {
    const list = byGateway.get(c.vpnGatewayId);
    if (list) list.push(c);
    else byGateway.set(c.vpnGatewayId, [c]);
  }
  // Each gateway's tunnel CIDRs are indexed once, on first need, for the duplicate check.
  const gatewayIndexes = new Map<string, GatewayTunnels>();
  const tunnelsOf = (gatewayId: string): GatewayTunnels => {
    let index = gatewayIndexes.get(gatewayId);
    if (!index) {
      index = gatewayTunnels(byGateway.get(gatewayId) ?? []);
      gatewayIndexes.set(gatewayId, index);
    }
    return index;
  };
  const history: FactContext['history'] = {
    stateChanges: opts.history?.stateChanges,
    windowSeconds: opts.history?.flapWindowSeconds ?? DEFAULT_FLAP_WINDOW_SECONDS,
    upSpells: opts.history?.upSpells,
  };

  for (const conn of conns) {
    if (opts.connections && !opts.connections.has(conn.id)) continue;
    const base: FactContext = {
      region,
      connection: conn,
      tunnel: null,
      now,
      causes: rules.causes,
      history,
      topology: topo,
      // Gateway and peer presence is real even in a partial topology; absence means unknown.
      anyTopology: region.topology?.data ?? null,
      topologyIndex: index,
      gatewayConnections: byGateway.get(conn.vpnGatewayId) ?? [],
      gatewayTunnels: () => tunnelsOf(conn.vpnGatewayId),
    };
    const shared = factsOf(SHARED, base, opts);
    const sharedCel = new LazyCel(shared);
    const sharedKeys = new Set(Object.keys(shared));
    let found: Finding[] = [];
    const perTunnel = conn.tunnels.map((t) => {
      // Object.assign, not spreads: see mergeFacts (facts/localized.ts).
      const facts: Facts = Object.assign(
        {},
        shared,
        factsOf(TUNNEL_SCOPE, Object.assign({}, base, { tunnel: t }), opts),
      );
      opts.onFacts?.('tunnel', facts);
      const ctx = new Context(facts, sharedCel, sharedKeys);
      for (const rule of rules.tunnel)
        if (fires(rule, ctx, t.id, opts)) found.push(finding(rule, ctx, conn, t));
      return { t, bgp: familyValue(facts, BGP), probe: familyValue(facts, PROBE) };
    });
    const connFacts: Facts = Object.assign({}, shared, factsOf(CONNECTION_SCOPE, base, opts));
    opts.onFacts?.('connection', connFacts);
    const connCtx = new Context(connFacts, sharedCel, sharedKeys);
    for (const rule of rules.connection)
      if (fires(rule, connCtx, conn.id, opts)) found.push(finding(rule, connCtx, conn, null));
    found = applyImpact(found, conn, region.connections.complete);
    out.findings.push(...found);

    const notJudged = notJudgedNote(
      conn,
      familyValue(shared, GATEWAY),
      familyValue(shared, CONNECTION).updating,
    );
    for (const p of perTunnel) {
      const ladder: TunnelLadder = ladderFor({
        connection: conn,
        tunnel: p.t,
        findings: found,
        bgpEnabled: p.bgp.enabled,
        bgpUp: p.bgp.up,
        routingKnown: familyValue(shared, ROUTING).known,
        filteringKnown: familyValue(shared, FILTERING).known,
        notJudged: p.t.ipsecSaUp ? null : notJudged,
        probe: p.probe,
        statusStale: region.connections.complete ? null : staleNote(p.t.status),
      });
      out.ladders.push(ladder);
    }
  }
}

/** Evaluate every rule over the snapshot. */
export function diagnose(snapshot: Snapshot, opts: DiagnoseOptions = {}): Diagnosis {
  const loaded = opts.rules ?? defaultRules();
  const rules = {
    tunnel: loaded.rules.filter((r) => r.scope === 'tunnel'),
    connection: loaded.rules.filter((r) => r.scope === 'connection'),
    causes: loaded.causes ?? SHIPPED,
  };
  const now = opts.now ?? snapshot.takenAt;
  const out: Diagnosis = { findings: [], ladders: [] };
  for (const region of snapshot.regions) diagnoseRegion(region, rules, opts, now, out);
  return out;
}
