// Keeps the on-prem side: reads every configured peer (in parallel, each bounded by its timeout),
// holds one `log` subscription per peer, and answers the two-sided views and findings. Nothing here
// can block or fail the cloud side: a peer that does not answer is `reachable: false` (unknown).
import type { PeerConfig } from '../config/peers.js';
import { classifyText, type LogVerdict } from '../diagnose/logs/classify.js';
import type { Logger } from '../log/logger.js';
import type { Diagnosis } from '../model/finding.js';
import type { PeerLogLine, PeerSnapshot } from '../model/peer.js';
import type { Connection, Snapshot } from '../model/snapshot.js';
import { collectPeer, unreachable } from './collect.js';
import { compare, differences, type PeerDifference, type SideBySide } from './diff.js';
import { overlayPeerFindings, type TunnelPeerDiff } from './findings.js';
import { matchPeer, type PeerTunnelMatch } from './match.js';
import { ViciClient } from './vici/client.js';

/** Log lines kept per peer (the newest). */
export const MAX_LOG_LINES = 500;

/** One cloud tunnel as both sides see it. */
export interface PeerTunnelView {
  peer: string;
  connectionId: string;
  tunnelId: string;
  ikeConnection: string;
  ikeSaState: string | null;
  childSaUp: boolean;
  rows: SideBySide[];
  differences: PeerDifference[];
  /** The device's own log of this IKE connection (recent lines), read by the log classifier as the peer's. */
  log: LogVerdict | null;
  match: PeerTunnelMatch;
}

/** Log lines of the last this-many ms are classified for a tunnel. */
export const LOG_WINDOW_MS = 10 * 60_000;
const MAX_CLASSIFIED_LINES = 200;

interface LogTap {
  client: ViciClient;
}

export class PeerWatcher {
  private readonly latest = new Map<string, PeerSnapshot>();
  private readonly logs = new Map<string, PeerLogLine[]>();
  private readonly taps = new Map<string, LogTap>();
  private readonly tapping = new Set<string>();
  private closed = false;

  constructor(
    private readonly peers: readonly PeerConfig[],
    private readonly opts: { logger?: Logger; now?: () => number } = {},
  ) {}

  get configured(): boolean {
    return this.peers.length > 0;
  }

  /** Reads every peer once; never throws. */
  async runOnce(): Promise<void> {
    const now = this.opts.now ?? Date.now;
    await Promise.all(
      this.peers.map(async (p) => {
        const target = { name: p.name, vici: p.vici, swanctlConf: p.swanctlConf };
        let snap: Omit<PeerSnapshot, 'logs'>;
        try {
          snap = await collectPeer(target, {
            connectTimeoutMs: p.timeoutMs,
            timeoutMs: p.timeoutMs,
            deadlineMs: p.timeoutMs * 4,
            now,
          });
        } catch (err) {
          snap = unreachable(target, err, now());
        }
        const was = this.latest.get(p.name);
        if (!snap.reachable && was?.reachable !== false)
          this.opts.logger?.warn({ peer: p.name, error: snap.error }, 'peer unreachable over VICI');
        this.latest.set(p.name, { ...snap, logs: this.logs.get(p.name) ?? [] });
        // Bounded by the peer's timeout like the read itself.
        if (snap.reachable) await this.ensureLogTap(p);
      }),
    );
  }

  /** Every peer as last read (unread peers are unknown). */
  snapshots(): PeerSnapshot[] {
    const now = (this.opts.now ?? Date.now)();
    return this.peers.map(
      (p) =>
        this.latest.get(p.name) ?? {
          ...unreachable({ name: p.name, vici: p.vici }, new Error('not read yet'), now),
          logs: [],
        },
    );
  }

  /** Both sides of every matched tunnel, for the report, the API and the metrics. */
  views(snapshot: Snapshot | null): PeerTunnelView[] {
    const connections = (snapshot?.regions ?? []).flatMap((r) => r.connections.data);
    const out: PeerTunnelView[] = [];
    for (const p of this.peers) {
      const snap = this.latest.get(p.name);
      if (!snap?.reachable) continue;
      for (const m of matchPeer(snap, connections, p.connections)) {
        const rows = compare(m);
        out.push({
          peer: p.name,
          connectionId: m.connection.id,
          tunnelId: m.tunnel.id,
          ikeConnection: m.conn.name,
          ikeSaState: m.sa?.state ?? null,
          childSaUp: m.sa?.children.some((c) => c.state === 'INSTALLED') ?? false,
          rows,
          differences: differences(m, rows),
          log: this.classify(p.name, m.conn.name),
          match: m,
        });
      }
    }
    return out;
  }

  /** The engine's diagnosis with the two-sided findings laid over it. */
  overlay(diagnosis: Diagnosis, snapshot: Snapshot | null): Diagnosis {
    if (!this.configured || !snapshot) return diagnosis;
    const connections: Connection[] = snapshot.regions.flatMap((r) => r.connections.data);
    const diffs: TunnelPeerDiff[] = this.views(snapshot).map((v) => ({
      match: v.match,
      differences: v.differences,
      log: v.log,
    }));
    return overlayPeerFindings(diagnosis, diffs, connections);
  }

  /** The peer's recent log lines of one IKE connection, as charon prints them, through the classifier. */
  private classify(peer: string, ikeName: string): LogVerdict | null {
    const since = (this.opts.now ?? Date.now)() - LOG_WINDOW_MS;
    const lines = (this.logs.get(peer) ?? [])
      .filter((l) => l.at >= since && l.ikeName === ikeName)
      .slice(-MAX_CLASSIFIED_LINES)
      .map((l) => `00[${l.group}] <${l.ikeName}> ${l.message}`);
    if (lines.length === 0) return null;
    const verdict = classifyText(lines.join('\n'), 'peer');
    return verdict.cause === null ? null : verdict;
  }

  close(): void {
    this.closed = true;
    for (const tap of this.taps.values()) tap.client.close();
    this.taps.clear();
  }

  /** One long-lived `log` subscription per peer, re-opened at the next read after it drops. */
  private async ensureLogTap(p: PeerConfig): Promise<void> {
    if (this.closed || this.taps.has(p.name) || this.tapping.has(p.name)) return;
    this.tapping.add(p.name);
    const now = this.opts.now ?? Date.now;
    try {
      const client = await ViciClient.connect(p.vici, {
        connectTimeoutMs: p.timeoutMs,
        timeoutMs: p.timeoutMs,
      });
      await client.subscribe('log', (m) => {
        const lines = this.logs.get(p.name) ?? [];
        lines.push({
          at: now(),
          group: String(m['group'] ?? ''),
          level: Number(m['level'] ?? 0),
          ikeName: String(m['ikesa-name'] ?? ''),
          message: String(m['msg'] ?? '').slice(0, 1000),
        });
        if (lines.length > MAX_LOG_LINES) lines.splice(0, lines.length - MAX_LOG_LINES);
        this.logs.set(p.name, lines);
      });
      if (this.closed) {
        client.close();
        return;
      }
      this.taps.set(p.name, { client });
      client.onClose(() => this.taps.delete(p.name));
    } catch (err) {
      this.opts.logger?.debug({ peer: p.name, err }, 'peer log subscription failed');
    } finally {
      this.tapping.delete(p.name);
    }
  }
}
