// The evaluator: the rules over the fleet's snapshot with the history they need (recent state
// changes, up-spells before failures), the on-prem side laid over, open routing/filtering findings
// kept while their topology is unknown, recent configuration changes named, and the findings'
// open/resolved lifecycle synced to the store.
import { withRecentChanges } from '../../diagnose/changes/annotate.js';
import type { diagnose as engineDiagnose, LoadedRules } from '../../diagnose/engine.js';
import { IncrementalDiagnosis } from '../../diagnose/incremental.js';
import type { Logger } from '../../log/logger.js';
import type { VpnEvent } from '../../model/events.js';
import type { Diagnosis } from '../../model/finding.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { PeerWatcher } from '../../peer/watcher.js';
import type { Store } from '../../state/store.js';
import { DEFAULT_FLAP_WINDOW_MS } from '../../state/tracker.js';
import { UP_SPELL_WINDOW_MS, upSpellsBeforeFailure } from '../../state/up-spells.js';
import type { StoreHealth } from '../store-health.js';
import { keepTopologyFindings } from '../topology-gap.js';

/** The engine's signature (diagnose/engine.ts): the incremental evaluation has it too, tests wrap it. */
export type Diagnoser = typeof engineDiagnose;

export interface EvaluatorDeps {
  rules: LoadedRules;
  store: Store;
  logger: Logger;
  storeHealth: StoreHealth;
  peers?: PeerWatcher | undefined;
  /** When each down tunnel went down (the change correlation measures "before the failure" from it). */
  downSince: () => ReadonlyMap<string, number>;
  /** How long before a failure a configuration change is named as its likely cause. */
  changeWindowMs: number;
  now: () => number;
  /** Default: the incremental evaluation (only the regions whose inputs changed are diagnosed again). */
  diagnose?: Diagnoser;
}

export class Evaluator {
  private last: Diagnosis = { findings: [], ladders: [] };
  private upSpellsCache: Record<string, number[]> | undefined;
  private readonly incremental = new IncrementalDiagnosis();
  private readonly diagnose: Diagnoser;

  constructor(private readonly deps: EvaluatorDeps) {
    this.diagnose = deps.diagnose ?? this.incremental.diagnose;
  }

  /** The last evaluation's findings and ladders. */
  get diagnosis(): Diagnosis {
    return this.last;
  }

  /** A cycle stored a tunnel transition: the up-spells are read again at the next evaluation. */
  transitionsStored(): void {
    this.upSpellsCache = undefined;
  }

  /**
   * Re-run the rules over `snapshot` and sync the findings' open/resolved lifecycle. Only the regions
   * whose inputs changed are diagnosed again (diagnose/incremental.ts), unless `full`. The on-prem
   * overlay, the kept topology findings and the change correlation run over the whole result every
   * time: they are linear in the findings, and read the peers' live state, the open findings and the
   * correlation window, which move on their own.
   */
  evaluate(snapshot: Snapshot | null, opts: { full?: boolean } = {}): Diagnosis {
    if (!snapshot) return this.last;
    if (opts.full) this.incremental.reset();
    const { store, logger, rules, peers } = this.deps;
    const now = this.deps.now();
    const flapWindowMs = DEFAULT_FLAP_WINDOW_MS;
    const diagnosis = this.diagnose(snapshot, {
      rules,
      now,
      history: {
        stateChanges: store.stateChangesSince(now - flapWindowMs),
        flapWindowSeconds: flapWindowMs / 1000,
        upSpells: this.upSpells(now),
      },
      onRuleError: (rule, subject, message) =>
        logger.warn({ rule, subject }, `rule failed to evaluate: ${message}`),
    });
    const withPeers = peers ? peers.overlay(diagnosis, snapshot) : diagnosis;
    this.last = withRecentChanges(
      keepTopologyFindings(withPeers, snapshot, () => store.openFindings()),
      snapshot,
      {
        changes: this.recentChanges(now),
        downSince: this.deps.downSince(),
        now,
        windowMs: this.deps.changeWindowMs,
      },
    );
    const unknownConnections = snapshot.regions
      .filter((r) => !r.connections.complete)
      .flatMap((r) => r.connections.data.map((c) => c.id));
    const findings = this.last.findings;
    const { opened, resolved } = this.deps.storeHealth.write(
      snapshot.regions,
      () => store.syncFindings(findings, now, { unknownConnections }),
      (message) => logger.error(`findings lifecycle not stored: ${message}`),
    ) ?? { opened: [], resolved: [] };
    for (const f of opened) {
      logger.info(
        { rule: f.rule, connection: f.connectionId, tunnel: f.tunnelId, severity: f.severity },
        'finding opened',
      );
    }
    for (const f of resolved) {
      logger.info({ rule: f.rule, connection: f.connectionId, tunnel: f.tunnelId }, 'finding resolved');
    }
    return this.last;
  }

  /** Stored configuration changes inside the correlation window (they outlive a restart). */
  recentChanges(now: number): VpnEvent[] {
    return this.deps.store.events({
      since: now - this.deps.changeWindowMs,
      kinds: ['config_change'],
      limit: 1000,
    });
  }

  /**
   * Up-times before each tunnel's recent failures, from the stored events; read again only after a
   * cycle stored a tunnel transition (evaluate runs several times per cycle).
   */
  private upSpells(now: number): Record<string, number[]> {
    if (!this.upSpellsCache) {
      this.upSpellsCache = upSpellsBeforeFailure(
        this.deps.store.events({
          since: now - UP_SPELL_WINDOW_MS,
          kinds: ['tunnel_up', 'tunnel_down'],
          limit: 10_000,
        }),
      );
    }
    return this.upSpellsCache;
  }
}
