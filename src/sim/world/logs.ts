// Negotiation logs as DescribeVpnConnectionLogs returns them, generated from a tunnel's history so
// that any window (past or present) is answered consistently:
//   `YYYY-MM-DD HH:MM:SS vco-… [PROTO_ERR]: file.c:line:func(): message`
// The wall clock is UTC+8 (the documented examples fit Beijing time), with no zone in the line.
//
// Style: a gateway's `logStyle` decides; `auto` (the default) logs IKEv1 tunnels racoon-style and
// IKEv2 tunnels strongSwan-style, as Alibaba's gateways mix both.
import { hashHex, hashInt } from './ids.js';
import {
  attemptInterval,
  CAUSE_LINES,
  INITIATE,
  KEEPALIVE,
  type LogContext,
  type LogStyle,
  type LogTemplate,
  laterAttemptsRetransmit,
  PHASE1_START,
  PHASE1_UP,
  PHASE2_UP,
  retransmits,
} from './log-templates.js';
import { tunnelOf } from './query.js';
import type { Region, TunnelFailure, VpnConnection, WorldState } from './types.js';

export interface LogLine {
  at: number; // ms
  tunnelId: string;
  level: LogTemplate['level'];
  line: string;
}

const UTC8_MS = 8 * 3_600_000;

/** `2023-01-13 11:39:21` in UTC+8. */
export function formatLogTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + UTC8_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatLogLine(at: number, connectionId: string, tpl: LogTemplate, ctx: LogContext): string {
  return `${formatLogTime(at)} ${connectionId} [${tpl.level}]: ${tpl.where}(): ${tpl.text(ctx)}`;
}

export function logStyleFor(region: Region, conn: VpnConnection, tunnel: 1 | 2): LogStyle {
  const gw = region.vpnGateways.find((g) => g.id === conn.vpnGatewayId);
  const style = gw?.logStyle ?? 'auto';
  if (style !== 'auto') return style;
  return tunnelOf(conn, tunnel).ike.version === 'ikev1' ? 'racoon' : 'strongswan';
}

function context(
  region: Region,
  conn: VpnConnection,
  tunnel: 1 | 2,
  failure: TunnelFailure | null,
): LogContext {
  const t = tunnelOf(conn, tunnel);
  const cgw = region.customerGateways.find((c) => c.id === t.customerGatewayId);
  return {
    local: t.internetIp,
    peer: cgw?.ip ?? t.peer.ip,
    mismatchLocal: failure?.mismatchLocal ?? '',
    mismatchRemote: failure?.mismatchRemote ?? '',
    spi: hashHex(`spi|${t.id}`).slice(0, 16),
    conn: conn.id,
    mode: t.ike.mode,
    ts: `${conn.localSubnets.join(' ')} === ${conn.remoteSubnets.join(' ')}`,
    peerId: t.peer.ike.localId || (cgw?.ip ?? t.peer.ip),
  };
}

/** The templates one failed negotiation attempt prints. */
export function attemptTemplates(failure: TunnelFailure, attemptAt: number, style: LogStyle): LogTemplate[] {
  const code = failure.code;
  if (code === 'DpdTimeout' && attemptAt === failure.since)
    return CAUSE_LINES.DpdTimeout(style, failure.phase);
  // Nobody answers: the gateway's own attempt, no packet from the peer.
  if (laterAttemptsRetransmit(code) || code === 'NoResponse') {
    const tail =
      code === 'NoResponse'
        ? CAUSE_LINES.NoResponse(style, failure.phase)
        : [...retransmits(style), ...CAUSE_LINES.Phase1NegotiationTimeout(style, 1)];
    return [...INITIATE[style], ...tail];
  }
  const lines = [...PHASE1_START[style]];
  if (failure.phase === 2) lines.push(...PHASE1_UP[style]);
  lines.push(...CAUSE_LINES[code](style, failure.phase));
  return lines;
}

/** Start times (ms) of the failed attempts of `failure` within [from, to). */
export function attemptTimes(failure: TunnelFailure, from: number, to: number): number[] {
  const step = attemptInterval(failure.code) * 1000;
  const first = Math.max(0, Math.floor((from - failure.since) / step));
  const out: number[] = [];
  for (let k = first; ; k++) {
    const at = failure.since + k * step;
    if (at >= to) break;
    if (at >= from) out.push(at);
  }
  return out;
}

/** The SourceLog of an attempt: its first PROTO_ERR line, and when it was printed (ms). */
export function sourceLogLine(
  region: Region,
  conn: VpnConnection,
  tunnel: 1 | 2,
  failure: TunnelFailure,
  attemptAt: number,
): { at: number; line: string } {
  const style = logStyleFor(region, conn, tunnel);
  const tpls = attemptTemplates(failure, attemptAt, style);
  const tpl = tpls.find((x) => x.level === 'PROTO_ERR') ?? tpls[tpls.length - 1]!;
  const at = attemptAt + tpl.offset * 1000;
  return { at, line: formatLogLine(at, conn.id, tpl, context(region, conn, tunnel, failure)) };
}

/** Every log line of one tunnel in [from, to) (ms), oldest first. */
export function tunnelLogLines(
  state: WorldState,
  region: Region,
  conn: VpnConnection,
  tunnel: 1 | 2,
  from: number,
  to: number,
): LogLine[] {
  const t = tunnelOf(conn, tunnel);
  // A tunnel backed by the strongSwan lab shows what its real negotiation printed, nothing invented.
  const recorded = state.recordedLogs?.get(t.id);
  if (recorded)
    return recorded.filter((l) => l.at >= from && l.at < to).map((l) => ({ ...l, tunnelId: t.id }));
  const style = logStyleFor(region, conn, tunnel);
  const out: LogLine[] = [];
  const emit = (at: number, tpl: LogTemplate, ctx: LogContext, segTo: number) => {
    const lineAt = at + tpl.offset * 1000;
    if (lineAt < from || lineAt >= to || lineAt >= segTo) return;
    out.push({
      at: lineAt,
      tunnelId: t.id,
      level: tpl.level,
      line: formatLogLine(lineAt, conn.id, tpl, ctx),
    });
  };
  // Look back a minute so attempts that began before the window still show their later lines.
  for (const seg of state.history(conn, tunnel, from - 60_000, to)) {
    const ctx = context(region, conn, tunnel, seg.runtime.failure);
    const failure = seg.runtime.failure;
    if (failure) {
      for (const at of attemptTimes(failure, seg.from, seg.to)) {
        for (const tpl of attemptTemplates(failure, at, style)) emit(at, tpl, ctx, seg.to);
      }
      continue;
    }
    if (seg.recovered) {
      for (const tpl of [...PHASE1_START[style], ...PHASE1_UP[style], ...PHASE2_UP[style]])
        emit(seg.from, tpl, ctx, seg.to);
    }
    if (seg.runtime.up && t.enableDpd) {
      const offset = hashInt(`dpd|${t.id}`, 60) * 1000;
      for (let at = Math.floor(seg.from / 60_000) * 60_000 + offset; at < seg.to; at += 60_000) {
        if (at >= seg.from) for (const tpl of KEEPALIVE[style]) emit(at, tpl, ctx, seg.to);
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
