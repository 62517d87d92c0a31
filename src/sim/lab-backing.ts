// A simulated tunnel backed by the strongSwan lab (src/lab): two real charon daemons negotiate a
// named lab scenario, and the tunnel's Status and its DescribeVpnConnectionLogs lines come from
// that negotiation (the gateway charon's own lines), so a game day rehearses with real IKE.
import { SHIPPED } from '../diagnose/causes/registry.js';
import { findScenario, type LabScenario, runScenario, SCENARIOS, type ScenarioRun } from '../lab/index.js';
import type { Simulator } from './index.js';
import { formatLogTime } from './world/logs.js';
import { tunnelOf } from './world/query.js';
import {
  FAILED_REASON_CODES,
  type FailedReasonCode,
  type RecordedLogLine,
  type TimelineAction,
} from './world/types.js';

export interface LabBinding {
  /** Connection id; default: the world's first connection. */
  connection?: string;
  tunnel: 1 | 2;
  scenario: string;
}

export class LabBindingError extends Error {
  override name = 'LabBindingError';
}

/** `[vco-…:]N=SCENARIO` or `SCENARIO` (tunnel 1 of the first connection). */
export function parseLabBinding(text: string): LabBinding {
  const m = /^(?:(vco-[\w-]+):)?(?:([12])=)?([a-z0-9-]+)$/.exec(text.trim());
  if (!m) throw new LabBindingError(`--lab "${text}": expected [vco-…:]1|2=SCENARIO or SCENARIO`);
  const [, connection, tunnel, scenario] = m;
  if (!findScenario(scenario!))
    throw new LabBindingError(
      `--lab "${text}": unknown lab scenario "${scenario}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`,
    );
  return { ...(connection ? { connection } : {}), tunnel: tunnel === '2' ? 2 : 1, scenario: scenario! };
}

export interface LabBacked {
  connectionId: string;
  tunnelId: string;
  tunnel: 1 | 2;
  scenario: string;
  outcome: ScenarioRun['outcome'];
  /** The FailedReasonCode the tunnel now fails with, or null when the negotiation established. */
  code: FailedReasonCode | null;
  /** How many of the gateway charon's lines the tunnel's logs now hold. */
  lines: number;
}

/**
 * The rule id the gateway's log names; the peer's when the gateway's cannot; else
 * negotiation-failed. Null when the run established and nothing failed after (or when this host's
 * charon established a scenario that fails elsewhere, e.g. a kernel with XFRM ESP).
 */
export function causeOf(s: LabScenario, run?: Pick<ScenarioRun, 'outcome'>): string | null {
  const specific = (c: string | null) => (c && c !== 'negotiation-failed' ? c : null);
  if (run?.outcome === 'established' && s.outcome !== 'established') return null;
  const failed =
    s.outcome !== 'established' || s.expected.gateway.cause !== null || s.expected.peer.cause !== null;
  if (!failed) return null;
  return specific(s.expected.gateway.cause) ?? specific(s.expected.peer.cause) ?? 'negotiation-failed';
}

/** The strongest FailedReasonCode of a cause (the one Alibaba's diagnosis would show). */
export function codeOf(cause: string): FailedReasonCode {
  const def = SHIPPED.causes.find((c) => c.id === cause);
  const codes = (def?.codes ?? [])
    .filter((c) => (FAILED_REASON_CODES as readonly string[]).includes(c.code))
    .sort((a, b) => b.weight - a.weight);
  return (codes[0]?.code ?? 'NegotiationFailed') as FailedReasonCode;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `Dec  6 02:08:14 16[IKE] <vco-lab|1> message` (the lab's file log format). */
const CHARON = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d\d\[[A-Z]{3}\] <[^>]*> .*)$/;
const FAILURE =
  /fail|unacceptable|mismatch|no matching|not found|no acceptable|giving up|unable|AUTHENTICATION_FAILED|NO_PROPOSAL_CHOSEN|TS_UNACCEPTABLE|received DELETE|timed out|retransmit/i;

/**
 * The gateway charon's lines of one IKE_SA (daemon start-up, VICI and config dumps left out), as
 * DescribeVpnConnectionLogs lines: `YYYY-MM-DD HH:MM:SS vco-… [LEVEL]: <charon line>`, re-timed so
 * the last line is at `endAt` (charon's own clock and the world's differ).
 */
export function gatewayLogLines(log: string, connectionId: string, endAt: number): RecordedLogLine[] {
  const parsed: { t: number; text: string }[] = [];
  for (const raw of log.split('\n')) {
    const m = CHARON.exec(raw);
    if (!m) continue;
    const [, mon, day, hh, mm, ss, text] = m;
    const t = Date.UTC(2000, MONTHS.indexOf(mon!), Number(day), Number(hh), Number(mm), Number(ss));
    parsed.push({ t, text: text! });
  }
  const last = parsed[parsed.length - 1]?.t ?? 0;
  return parsed.map(({ t, text }) => {
    const at = endAt - (last - t);
    const level = FAILURE.test(text) ? 'PROTO_ERR' : 'DEBUG';
    return { at, level, line: `${formatLogTime(at)} ${connectionId} [${level}]: ${text}` };
  });
}

/**
 * Runs the binding's lab scenario for real and makes the simulated tunnel say what happened: its
 * Status (via the cause's FailedReasonCode, or up when it established) and its logs.
 */
export async function backTunnelWithLab(
  sim: Simulator,
  binding: LabBinding,
  run: (s: LabScenario) => Promise<ScenarioRun> = (s) => runScenario(s),
): Promise<LabBacked> {
  const scenario = findScenario(binding.scenario);
  if (!scenario) throw new LabBindingError(`unknown lab scenario "${binding.scenario}"`);
  const state = sim.backend.state;
  const connectionId = binding.connection ?? sim.world.accounts[0]?.regions[0]?.connections[0]?.id;
  const located = connectionId ? state.locateConnection(connectionId) : undefined;
  if (!connectionId || !located)
    throw new LabBindingError(
      `--lab: connection ${connectionId ?? '(none)'} is not in world "${sim.world.name}"`,
    );
  const tunnel = tunnelOf(located.connection, binding.tunnel);
  const result = await run(scenario);
  const at = sim.now();
  const cause = causeOf(scenario, result);
  const code = cause === null ? null : codeOf(cause);
  const lines = gatewayLogLines(result.logs.gateway, connectionId, at);
  state.recordedLogs.set(tunnel.id, lines);
  const action: TimelineAction =
    code === null
      ? { kind: 'recover', connectionId, tunnel: binding.tunnel }
      : { kind: 'fail', connectionId, tunnel: binding.tunnel, cause: code };
  state.apply(action, at);
  return {
    connectionId,
    tunnelId: tunnel.id,
    tunnel: binding.tunnel,
    scenario: scenario.name,
    outcome: result.outcome,
    code,
    lines: lines.length,
  };
}

/** One line for the console: which tunnel, which scenario, what the real negotiation did. */
export function describeBacked(r: LabBacked): string {
  const state = r.code ? `fails with ${r.code}` : 'is up (ipsec_sa_established)';
  return `lab: tunnel ${r.tunnel} of ${r.connectionId} ran "${r.scenario}" with real charons (${r.outcome}): it ${state}; its logs are the gateway charon's ${r.lines} lines`;
}

/** Backs each binding in turn (two charons at a time); failures are reported, not thrown. */
export async function backWithLabs(
  sim: Simulator,
  bindings: LabBinding[],
  report: (line: string) => void,
): Promise<LabBacked[]> {
  const done: LabBacked[] = [];
  for (const b of bindings) {
    try {
      const r = await backTunnelWithLab(sim, b);
      done.push(r);
      report(describeBacked(r));
    } catch (e) {
      report(`lab: "${b.scenario}" could not back tunnel ${b.tunnel}: ${(e as Error).message}`);
    }
  }
  return done;
}
