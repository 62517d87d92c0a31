// Classifies the last lines of a tunnel's logs into cause signals. Bounded: at most MAX_LINES lines
// of at most MAX_LINE_LENGTH characters, substring matching only (see log-patterns.ts).
import { type CauseRegistry, type LogPattern, type PhasedCause, SHIPPED } from '../causes/registry.js';
import { parseLine } from '../logs/parse.js';
import { compareDumps, parseProposals } from '../logs/proposals.js';
import { SILENCE_WEIGHT } from './log-patterns.js';
import { dhGroupName } from './params.js';

export const MAX_LINES = 200;
export const MAX_LINE_LENGTH = 1000;

export interface LogSignal {
  cause: PhasedCause | 'generic';
  weight: number;
  label: string;
  /** The line as logged (trimmed to MAX_LINE_LENGTH). */
  line: string;
  /** Position among the classified lines: higher is more recent. */
  position: number;
  /** Values at hand: Alibaba's side and the peer's, when the line carries them. */
  local?: string;
  remote?: string;
}

export interface LogClassification {
  signals: LogSignal[];
  /** Lines looked at (after capping). */
  linesSeen: number;
}

function matches(p: LogPattern, lower: string): boolean {
  if (p.any) for (const s of p.any) if (lower.includes(s)) return true;
  if (p.seq) {
    let from = 0;
    for (const s of p.seq) {
      const at = lower.indexOf(s, from);
      if (at < 0) return false;
      from = at + s.length;
    }
    return true;
  }
  return false;
}

// "received KE type 14,expected 2": the peer sent group 14, the gateway expects group 2.
const KE_TYPE = /received ke type (\d{1,4}) ?, ?expected (\d{1,4})/;
// Values in racoon/strongSwan phrasing; each capture is a bounded token, so matching stays linear.
const TOKEN = '([a-z0-9_.-]{1,40})';
const VALUE_FORMS: { re: RegExp; local: 1 | 2 }[] = [
  { re: new RegExp(`my: ?${TOKEN},? peer: ?${TOKEN}`), local: 1 }, // "my:sha1 peer:sha256"
  { re: new RegExp(`\\) ?= ?${TOKEN}:${TOKEN}`), local: 1 }, // "DB(…):Peer(…) = group2:group14"
  { re: new RegExp(`proposed ${TOKEN}, configured ${TOKEN}`), local: 2 },
  { re: new RegExp(`${TOKEN} proposed, expected ${TOKEN}`), local: 2 },
  { re: new RegExp(`${TOKEN}, expected ${TOKEN}`), local: 2 },
];

function withValues(signal: LogSignal, lower: string): LogSignal {
  const ke = KE_TYPE.exec(lower);
  if (ke?.[1] && ke[2]) return { ...signal, remote: `group${ke[1]}`, local: `group${ke[2]}` };
  for (const form of VALUE_FORMS) {
    const m = form.re.exec(lower);
    if (m?.[1] && m[2]) {
      const [local, remote] = form.local === 1 ? [m[1], m[2]] : [m[2], m[1]];
      return { ...signal, local: local.replace(/[.,]$/, ''), remote: remote.replace(/[.,]$/, '') };
    }
  }
  return signal;
}

/**
 * Signals from charon's proposal dumps. A failed selection prints `received proposals:` and
 * `configured proposals:` back to back (libstrongswan proposal.c); only such a pair, of one
 * protocol, is compared: IKE dumps that agree on algorithms but not on a DH group are a DH group
 * mismatch, ESP dumps likewise a PFS mismatch (or PFS on one side only).
 */
function proposalSignals(lines: string[], lowers: string[]): LogSignal[] {
  const out: LogSignal[] = [];
  for (let i = 0; i + 1 < lowers.length; i++) {
    const r = dumpAfter(lowers[i] ?? '', 'received proposals:');
    const c = dumpAfter(lowers[i + 1] ?? '', 'configured proposals:');
    if (r === null || c === null || (lowers[i + 2] ?? '').includes('selected proposal')) continue;
    const received = parseProposals(r);
    const configured = parseProposals(c);
    if (!received[0] || received[0].protocol !== configured[0]?.protocol) continue;
    const v = compareDumps(received, configured);
    if (v.kind !== 'dh' && v.kind !== 'pfs-one-side') continue;
    const esp = v.protocol !== 'ike';
    if (v.kind === 'pfs-one-side' && !esp) continue;
    out.push({
      cause: esp ? 'pfs-mismatch' : 'dh',
      weight: 88,
      label: v.kind === 'dh' ? 'proposals differ in DH group' : 'PFS on one side only',
      line: lines[i + 1] ?? '',
      position: i + 1,
      local: groupName(v.configured),
      remote: groupName(v.received),
    });
  }
  return out;
}

function dumpAfter(lower: string, key: string): string | null {
  const at = lower.indexOf(key);
  return at < 0 ? null : lower.slice(at + key.length);
}

/** `modp_2048` → group14; several groups or none are shown as charon names them. */
function groupName(groups: string): string {
  if (groups === 'none') return 'disabled';
  const m = /^modp_(\d{1,4})$/.exec(groups);
  return (m?.[1] ? dhGroupName(m[1]) : null) ?? groups;
}

/**
 * Retransmits that follow `sending DPD request` are a dead peer found by DPD, not a peer that
 * never answered (charon prints no "seems to be dead": it retransmits the DPD and gives up).
 */
function dpdSignals(lines: string[], lowers: string[]): LogSignal[] {
  const out: LogSignal[] = [];
  let dpd = false;
  for (let i = 0; i < lowers.length; i++) {
    const lower = lowers[i] ?? '';
    if (lower.includes('sending dpd request')) dpd = true;
    else if (lower.includes('parsed informational response') || lower.includes('established between'))
      dpd = false;
    else if (
      dpd &&
      /giving up after \d{1,3} retransmits|retransmit \d{1,3} of request with message id/.test(lower)
    )
      out.push({
        cause: 'dpd-timeout',
        weight: 60,
        label: 'DPD request unanswered',
        line: lines[i] ?? '',
        position: i,
      });
  }
  return out;
}

/** The message of a line without its Alibaba/charon/syslog prefix, lower-cased. */
function message(raw: string): string {
  return parseLine(raw)?.lower ?? raw.toLowerCase();
}

/** Every cause signal in the last MAX_LINES lines, oldest first. */
export function classifyLogs(
  rawLines: readonly string[],
  registry: CauseRegistry = SHIPPED,
): LogClassification {
  const lines = rawLines.slice(-MAX_LINES).map((l) => String(l).slice(0, MAX_LINE_LENGTH));
  const lowers = lines.map(message);
  const signals: LogSignal[] = [];
  // Context of charon-style logs: a packet from the peer proves the path; a DELETE in the response
  // to our own DELETE is an acknowledgement.
  let answered = false;
  let lastParsed = '';
  for (let i = 0; i < lowers.length; i++) {
    const lower = lowers[i] ?? '';
    if (lower.startsWith('initiating ')) answered = false;
    if (
      lower.startsWith('parsed ') ||
      lower.startsWith('received packet') ||
      lower.startsWith('received retransmit')
    )
      answered = true;
    const parsed = lower.startsWith('parsed ') ? lower : '';
    if (parsed) lastParsed = parsed;
    // Our own outgoing messages restate a verdict logged just before (`generating … [ N(NO_PROP) ]`).
    if (lower.startsWith('generating ') || lower.startsWith('sending packet')) continue;
    if (lower.startsWith('received delete for') && lastParsed.startsWith('parsed informational response'))
      continue;
    let best: LogPattern | null = null;
    for (const p of registry.patterns) if ((!best || p.weight > best.weight) && matches(p, lower)) best = p;
    if (best) {
      // Silence after the peer answered in this attempt is not a closed path.
      const silentAfterAnswer =
        best.weight <= SILENCE_WEIGHT && best.cause === 'peer-unreachable' && answered;
      const signal = {
        cause: silentAfterAnswer ? ('generic' as const) : best.cause,
        weight: best.weight,
        label: silentAfterAnswer ? `${best.label} after the peer had answered` : best.label,
        line: lines[i] ?? '',
        position: i,
      };
      signals.push(withValues(signal, lower));
    }
  }
  signals.push(...proposalSignals(lines, lowers), ...dpdSignals(lines, lowers));
  // A DELETE followed by a later failure is that failure's prelude, not the cause.
  const lastOther = Math.max(
    -1,
    ...signals.filter((x) => x.cause !== 'peer-deleted-sa' && x.cause !== 'generic').map((x) => x.position),
  );
  // Any answer from the peer in the window (a notify it sent, even one that names no cause) means
  // the retransmits were not a closed path.
  const answer = signals.some((x) => x.weight > SILENCE_WEIGHT);
  return {
    signals: signals
      .filter((x) => !(x.cause === 'peer-deleted-sa' && x.position < lastOther))
      .map((x) =>
        answer && x.cause === 'peer-unreachable' && x.weight <= SILENCE_WEIGHT
          ? { ...x, cause: 'generic' as const, label: `${x.label}; the peer answered` }
          : x,
      ),
    linesSeen: lines.length,
  };
}
