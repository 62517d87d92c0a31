// The probe tier: each tunnel's peer address gets an IKE first message on every configured port
// (docs/probe.md). Rounds are paced (at most `ratePerSecond` probes started per second) and bounded
// (`concurrency` in flight); one address probed once per round however many tunnels point at it.
import { isIP } from 'node:net';
import { regionKey } from '../model/derive.js';
import type { PortProbe, RegionSnapshot, TunnelProbes } from '../model/snapshot.js';
import {
  answerText,
  type DhGroup,
  describeProbes,
  dhGroupOf,
  type IkeVersion,
  type ProbeOptions,
  type ProbeResult,
  probeIke,
} from '../probe/index.js';
import { mapLimit } from './concurrency.js';

export type ProbeFn = (options: ProbeOptions) => Promise<ProbeResult>;

export interface ProbeSettings {
  target: TunnelProbes['target'];
  ports: number[];
  timeoutMs: number;
  retries: number;
  concurrency: number;
  ratePerSecond: number;
}

export interface ProbeTarget {
  account: string;
  region: string;
  tunnelId: string;
  address: string;
  ike: IkeVersion;
  dhGroup: DhGroup;
}

/** Every tunnel whose peer address is known, probed with its own IKE version and DH group. */
export function probeTargets(
  regions: readonly RegionSnapshot[],
  target: ProbeSettings['target'],
): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  for (const r of regions) {
    for (const c of r.connections.data) {
      for (const t of c.tunnels) {
        const address = (target === 'customer-gateway' ? t.customerGatewayIp : t.ip)?.trim() ?? '';
        if (!isIP(address)) continue;
        out.push({
          account: r.account,
          region: r.region,
          tunnelId: t.id,
          address,
          ike: t.ike.version.toLowerCase() === 'ikev1' ? 'v1' : 'v2',
          // The tunnel's own group makes an accepting peer answer IKE_SA_INIT, not INVALID_KE_PAYLOAD.
          dhGroup: dhGroupOf(t.ike.dhGroup) ?? 14,
        });
      }
    }
  }
  return out;
}

export interface ProbeRoundDeps {
  probe?: ProbeFn;
  now?: () => number;
  signal?: AbortSignal;
}

/** Starts at most `ratePerSecond` calls per second, in call order. */
function pacer(ratePerSecond: number): () => Promise<void> {
  const gapMs = 1000 / ratePerSecond;
  let next = 0;
  return () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + gapMs;
    return at > now ? new Promise((resolve) => setTimeout(resolve, at - now)) : Promise.resolve();
  };
}

export function toPortProbe(r: ProbeResult): PortProbe {
  return {
    port: r.port,
    ike: r.ike,
    outcome: r.outcome,
    answered: r.answered,
    answer: answerText(r),
    attempts: r.attempts,
    timeoutMs: r.timeoutMs,
    rttMs: r.rttMs,
    durationMs: r.elapsedMs,
    at: r.startedAt,
  };
}

/** One round: probes of every target on every port, grouped by region key and tunnel id. */
export async function collectProbes(
  targets: readonly ProbeTarget[],
  settings: ProbeSettings,
  deps: ProbeRoundDeps = {},
): Promise<Map<string, Record<string, TunnelProbes>>> {
  const probe = deps.probe ?? probeIke;
  const now = deps.now ?? Date.now;
  const at = now();
  const jobs = new Map<string, { address: string; port: number; ike: IkeVersion; dhGroup: DhGroup }>();
  const jobKey = (t: ProbeTarget, port: number) => `${t.address}|${port}|${t.ike}|${t.dhGroup}`;
  for (const t of targets) for (const port of settings.ports) jobs.set(jobKey(t, port), { ...t, port });
  const pace = pacer(settings.ratePerSecond);
  const entries = [...jobs.entries()];
  const results = new Map<string, ProbeResult>();
  await mapLimit(entries, settings.concurrency, async ([key, job]) => {
    if (deps.signal?.aborted) return;
    await pace();
    results.set(
      key,
      await probe({
        host: job.address,
        port: job.port,
        ike: job.ike,
        dhGroup: job.dhGroup,
        timeoutMs: settings.timeoutMs,
        retries: settings.retries,
        ...(deps.signal && { signal: deps.signal }),
      }),
    );
  });
  const out = new Map<string, Record<string, TunnelProbes>>();
  for (const t of targets) {
    const done = settings.ports.flatMap((port) => results.get(jobKey(t, port)) ?? []);
    // An aborted round says nothing about the peer.
    if (done.length === 0 || done.some((r) => r.outcome === 'aborted')) continue;
    const key = regionKey(t);
    const region = out.get(key) ?? {};
    region[t.tunnelId] = {
      tunnelId: t.tunnelId,
      target: settings.target,
      address: t.address,
      at,
      ports: done.map(toPortProbe),
      summary: describeProbes(done),
    };
    out.set(key, region);
  }
  return out;
}
