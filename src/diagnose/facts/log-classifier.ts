// Classifies the last lines of a tunnel's logs into cause signals. Bounded: at most MAX_LINES lines
// of at most MAX_LINE_LENGTH characters, substring matching only (see log-patterns.ts).
import { type CauseRegistry, type LogPattern, type PhasedCause, SHIPPED } from '../causes/registry.js';
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

/** The DH group named in a strongSwan proposal dump ("IKE:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048"). */
function proposalDhGroup(lower: string): string | null {
  const at = lower.indexOf('modp_');
  if (at < 0) return null;
  const digits = /^\d{1,4}/.exec(lower.slice(at + 5, at + 9));
  return digits ? dhGroupName(digits[0]) : null;
}

/**
 * Signal from strongSwan's "received proposals:" / "configured proposals:" pair when the DH groups
 * differ. In an ESP (phase-2) dump a group on one side only means PFS is disabled on the other.
 */
function proposalSignal(lines: string[], lowers: string[]): LogSignal | null {
  let received: string | null | undefined;
  let configured: string | null | undefined;
  let esp = false;
  let position = -1;
  for (let i = 0; i < lowers.length; i++) {
    const lower = lowers[i] ?? '';
    for (const [key, set] of [
      ['received proposals:', (g: string | null) => (received = g)],
      ['configured proposals:', (g: string | null) => (configured = g)],
    ] as const) {
      const at = lower.indexOf(key);
      if (at < 0) continue;
      const dump = lower.slice(at + key.length);
      set(proposalDhGroup(dump));
      esp = dump.trimStart().startsWith('esp:');
      position = i;
    }
  }
  if (received === undefined || configured === undefined || received === configured) return null;
  if (!received || !configured) {
    if (!esp) return null;
    return {
      cause: 'pfs-mismatch',
      weight: 88,
      label: 'PFS on one side only',
      line: lines[position] ?? '',
      position,
      local: configured ?? 'disabled',
      remote: received ?? 'disabled',
    };
  }
  return {
    cause: 'dh',
    weight: 88,
    label: 'proposals differ in DH group',
    line: lines[position] ?? '',
    position,
    local: configured,
    remote: received,
  };
}

/** Every cause signal in the last MAX_LINES lines, oldest first. */
export function classifyLogs(
  rawLines: readonly string[],
  registry: CauseRegistry = SHIPPED,
): LogClassification {
  const lines = rawLines.slice(-MAX_LINES).map((l) => String(l).slice(0, MAX_LINE_LENGTH));
  const lowers = lines.map((l) => l.toLowerCase());
  const signals: LogSignal[] = [];
  for (let i = 0; i < lowers.length; i++) {
    const lower = lowers[i] ?? '';
    let best: LogPattern | null = null;
    for (const p of registry.patterns) if ((!best || p.weight > best.weight) && matches(p, lower)) best = p;
    if (best) {
      const signal = {
        cause: best.cause,
        weight: best.weight,
        label: best.label,
        line: lines[i] ?? '',
        position: i,
      };
      signals.push(withValues(signal, lower));
    }
  }
  const proposals = proposalSignal(lines, lowers);
  if (proposals) signals.push(proposals);
  return { signals, linesSeen: lines.length };
}
