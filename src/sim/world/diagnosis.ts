// DiagnoseVpnConnections as Alibaba answers it: a tunnel's error code is visible only while its
// health checks have failed within the last 3 minutes.
//
// Choice (documented): the gateway re-runs negotiation while a failure persists, and every failed
// attempt refreshes `FailedTime`, so a persisting failure keeps being reported (FailedTime = the
// latest failed attempt). Once the tunnel is up again, the last failure stays visible until its
// last failed attempt is 3 minutes old (Severity `Warn`, the tunnel being up by then), and after
// that nothing is reported for the tunnel. Healthy tunnels produce no entry.
import { attemptTimes, sourceLogLine } from './logs.js';
import { CAUSES } from './negotiate.js';
import { tunnelOf } from './query.js';
import type { FailedReasonCode, Region, VpnConnection, WorldState } from './types.js';

export const DIAGNOSIS_WINDOW_MS = 180_000;

export interface TunnelDiagnosisEntry {
  connectionId: string;
  tunnelId: string;
  code: FailedReasonCode;
  reason: string;
  failedTime: number; // ms
  mismatchLocal: string;
  mismatchRemote: string;
  severity: 'Critical' | 'Warn';
  sourceLog: string;
}

export function diagnoseTunnel(
  state: WorldState,
  region: Region,
  conn: VpnConnection,
  tunnel: 1 | 2,
  now: number,
): TunnelDiagnosisEntry | null {
  const windowFrom = now - DIAGNOSIS_WINDOW_MS;
  const segments = state.history(conn, tunnel, windowFrom, now + 1);
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!;
    const failure = seg.runtime.failure;
    if (!failure) continue;
    // The newest failed attempt whose error line was printed inside the window (and by now).
    const attempts = attemptTimes(
      failure,
      Math.max(seg.from, windowFrom - 60_000),
      Math.min(seg.to, now + 1),
    );
    for (let k = attempts.length - 1; k >= 0; k--) {
      const source = sourceLogLine(region, conn, tunnel, failure, attempts[k]!);
      if (source.at > now || source.at >= seg.to) continue;
      if (source.at < windowFrom) break;
      return {
        connectionId: conn.id,
        tunnelId: tunnelOf(conn, tunnel).id,
        code: failure.code,
        reason: CAUSES[failure.code].reason,
        failedTime: source.at,
        mismatchLocal: failure.mismatchLocal,
        mismatchRemote: failure.mismatchRemote,
        severity: i === segments.length - 1 ? 'Critical' : 'Warn',
        sourceLog: source.line,
      };
    }
  }
  return null;
}
