// Names the cause a strongSwan (or Alibaba gateway) IKE log shows, reading the lines in order so
// that context decides what a line means: retransmits before any answer are silence, after an
// established SA and a DPD request they are a dead peer; an AUTHENTICATION_FAILED the initiator
// receives cannot tell a PSK from an ID problem; a proposal dump is compared only with its own
// exchange's counterpart. A confident wrong cause is the worst answer, so a signal that cannot
// separate causes gives `negotiation-failed` with the causes still possible.
import { SILENCE_WEIGHT } from '../causes/peer-unreachable.js';
import { type CauseRegistry, resolvePhased, SHIPPED } from '../causes/registry.js';
import type { CauseLayer } from '../causes/types.js';
import { type LogLine, parseLog } from './parse.js';
import { compareDumps, parseProposals } from './proposals.js';

/** `gateway`: the responding (Alibaba) side's log; `peer`: the on-prem initiator's. */
export type Side = 'gateway' | 'peer';

export interface LogEvidence {
  line: string;
  label: string;
}

export interface LogVerdict {
  /** A rule id, `negotiation-failed` (a failure the lines cannot pin down) or null (no failure). */
  cause: string | null;
  /** Every cause still consistent with the lines, most likely first. */
  candidates: string[];
  /** Layer of the failure: reachability | ike | ipsec (null without a failure). */
  phase: CauseLayer | null;
  evidence: LogEvidence[];
}

interface Signal {
  causes: string[];
  /** The line names its first cause; otherwise it only narrows the candidates. */
  decisive: boolean;
  weight: number;
  label: string;
  at: number;
  /** Further lines to show (kernel errors before the failure). */
  also?: number[];
  layer?: CauseLayer;
}

const AUTH_CANDIDATES = ['psk-mismatch', 'peer-id-mismatch'];
const IKE_PROPOSAL_CANDIDATES = ['ike-algorithm-mismatch', 'dh-group-mismatch', 'ike-version-mismatch'];
const CHILD_PROPOSAL_CANDIDATES = ['ipsec-proposal-mismatch', 'pfs-mismatch'];

const has = (l: LogLine, s: string) => l.lower.includes(s);
const starts = (l: LogLine, s: string) => l.lower.startsWith(s);

/** Notifies named in a `parsed X response N [ … N(AUTH_FAILED) … ]` payload list. */
function parsedNotifies(l: LogLine): string[] {
  if (!starts(l, 'parsed ')) return [];
  return [...l.lower.matchAll(/n\(([a-z_]{2,30})\)/g)].map((m) => m[1] ?? '');
}

class Reader {
  readonly signals: Signal[] = [];
  ikeUp = false;
  childUp = false;
  /** The peer answered in the current attempt (a packet arrived). */
  answered = false;
  /** A DPD request is outstanding. */
  dpd = false;
  failure = false;
  ikev1 = false;
  /** A NAT was detected (NAT-T moves IKE to UDP 4500). */
  nat = false;
  /** The exchange of the last message parsed (ike_sa_init, ike_auth, create_child_sa, …). */
  exchange = '';
  /** `request` or `response`: what the last parsed message was. */
  lastParsed = '';

  constructor(
    readonly lines: LogLine[],
    readonly registry: CauseRegistry,
  ) {}

  add(s: Omit<Signal, 'at'>, at: number) {
    this.signals.push({ ...s, at });
    this.failure = true;
  }

  /** Signals of a negotiation that then succeeded are history, not a failure. */
  settle(layer: 'ike' | 'all') {
    for (let i = this.signals.length - 1; i >= 0; i--) {
      const s = this.signals[i];
      if (layer === 'all' || s?.layer !== 'ipsec') this.signals.splice(i, 1);
    }
    this.failure = false;
  }

  /** A failed selection: `received proposals:` right before `configured proposals:`. */
  dumpPair(i: number): boolean {
    const l = this.lines[i];
    const next = this.lines[i + 1];
    if (!l || !next || !starts(l, 'received proposals:') || !starts(next, 'configured proposals:'))
      return false;
    if (this.lines[i + 2] && starts(this.lines[i + 2] as LogLine, 'selected proposal')) return false;
    const received = parseProposals(l.lower.slice('received proposals:'.length));
    const configured = parseProposals(next.lower.slice('configured proposals:'.length));
    if (received[0]?.protocol !== configured[0]?.protocol) return false;
    const v = compareDumps(received, configured);
    const ike = v.protocol === 'ike';
    const layer: CauseLayer = ike ? 'ike' : 'ipsec';
    if (v.kind === 'algorithm')
      this.add(
        {
          causes: [ike ? 'ike-algorithm-mismatch' : 'ipsec-proposal-mismatch'],
          decisive: true,
          weight: 88,
          label: `${ike ? 'IKE' : 'ESP'} proposals share no algorithm set`,
          also: [i],
          layer,
        },
        i + 1,
      );
    else if (v.kind === 'dh')
      this.add(
        {
          causes: [ike ? 'dh-group-mismatch' : 'pfs-mismatch'],
          decisive: true,
          weight: 88,
          label: `${ike ? 'IKE' : 'ESP'} proposals agree on algorithms but not on the DH group (received ${v.received}, configured ${v.configured})`,
          also: [i],
          layer,
        },
        i + 1,
      );
    else if (v.kind === 'pfs-one-side' && !ike)
      this.add(
        {
          causes: ['pfs-mismatch'],
          decisive: true,
          weight: 88,
          label: `PFS on one side only (received ${v.received}, configured ${v.configured})`,
          also: [i],
          layer,
        },
        i + 1,
      );
    return true;
  }

  /** Retransmits and give-ups: what silence means depends on what came before. */
  silence(l: LogLine, i: number, label: string) {
    if (this.dpd || this.ikeUp) {
      this.add(
        {
          causes: ['dpd-timeout'],
          decisive: true,
          weight: 60,
          label: this.dpd
            ? `${label} after a DPD request: the peer is gone`
            : `${label} on an established SA`,
          layer: 'reachability',
        },
        i,
      );
    } else if (this.answered) {
      // The peer answered earlier in this attempt: the path is open, the peer stopped answering
      // (IKEv1: it could not decrypt or authenticate us; behind a NAT: UDP 4500 does not pass).
      this.add(
        {
          causes: this.nat
            ? ['peer-unreachable', 'nat-traversal-mismatch']
            : this.ikev1
              ? AUTH_CANDIDATES
              : [],
          decisive: false,
          weight: SILENCE_WEIGHT,
          label: `${label} after the peer had answered`,
          layer: 'ike',
        },
        i,
      );
    } else {
      this.add(
        {
          causes: ['peer-unreachable'],
          decisive: true,
          weight: SILENCE_WEIGHT,
          label,
          layer: 'reachability',
        },
        i,
      );
    }
    void l;
  }

  read(): void {
    for (let i = 0; i < this.lines.length; i++) this.line(this.lines[i] as LogLine, i);
  }

  line(l: LogLine, i: number) {
    const t = l.lower;
    if (has(l, 'main mode') || has(l, 'aggressive mode') || has(l, 'quick mode') || has(l, '_v1 '))
      this.ikev1 = true;
    if (starts(l, 'initiating ') || /is initiating an? /.test(t)) {
      this.answered = !starts(l, 'initiating ');
      return;
    }
    if (starts(l, 'received retransmit of')) {
      this.answered = true;
      return;
    }
    if (/behind a nat|behind nat|switching to port 4500/.test(t)) this.nat = true;
    if (starts(l, 'parsed ') || starts(l, 'generating ')) {
      const [, exchange, kind] = t.split(' ', 4);
      this.exchange = exchange ?? '';
      if (starts(l, 'parsed ')) this.lastParsed = kind ?? '';
    }
    if (starts(l, 'received packet: from') || starts(l, 'parsed ')) {
      this.answered = true;
      if (this.dpd && starts(l, 'parsed informational')) this.dpd = false;
    }
    if (/^(ike_sa|isakmp-sa) \S* ?established/.test(t) || /^ike_sa .* established between/.test(t)) {
      this.ikeUp = true;
      this.answered = true;
      this.settle('ike');
      return;
    }
    if (/child_sa .* established with spis|^ipsec-sa established/.test(t)) {
      this.ikeUp = true;
      this.childUp = true;
      this.settle('all');
      return;
    }
    if (starts(l, 'sending dpd request')) {
      this.dpd = true;
      return;
    }
    if (this.dumpPair(i)) return;
    if (
      starts(l, 'received proposals:') ||
      starts(l, 'configured proposals:') ||
      starts(l, 'selected proposal')
    )
      return;
    // Lines charon prints about its own outgoing messages restate a verdict logged just before.
    if (starts(l, 'generating ') || starts(l, 'sending packet') || starts(l, 'received packet')) return;

    // Silence.
    if (/^(sending )?retransmit \d+ of request/.test(t)) return this.silence(l, i, 'retransmits');
    if (
      /^giving up after \d+ (retransmits|retries)/.test(t) ||
      has(l, 'peer not responding') ||
      starts(l, 'deleting half open ike_sa')
    )
      return this.silence(l, i, 'gave up retransmitting');

    // The kernel refused the SA: no catalogue cause, the kernel's error is the evidence.
    if (/unable to install .*in kernel|unable to add sad entry|unable to update sad entry/.test(t)) {
      const also: number[] = [];
      for (let k = Math.max(0, i - 6); k < i; k++) {
        const prev = this.lines[k] as LogLine;
        if (prev.group === 'KNL' || /netlink error|sad entry|kernel/.test(prev.lower)) also.push(k);
      }
      this.add(
        {
          causes: [],
          decisive: false,
          weight: 97,
          label: 'the kernel refused to install the IPsec SA',
          also,
          layer: 'ipsec',
        },
        i,
      );
      return;
    }

    // The same line when no config has this IKE version and when the peer's address is not the one
    // configured (a wrong customer gateway IP): this log cannot tell them apart.
    if (starts(l, 'no ike config found for'))
      return this.add(
        {
          causes: ['ike-version-mismatch', 'wrong-customer-gateway-ip'],
          decisive: false,
          weight: 90,
          label: 'no IKE config for this IKE version and these addresses',
          layer: 'ike',
        },
        i,
      );

    // Notifies the other side sent.
    const notifies = parsedNotifies(l);
    const received = (name: string) => new RegExp(`^received ${name} (notify|error notify)`).test(t);
    if (received('authentication_failed') || notifies.includes('auth_failed'))
      return this.add(
        {
          causes: this.ikev1 ? [...AUTH_CANDIDATES, 'ike-mode-mismatch'] : AUTH_CANDIDATES,
          decisive: false,
          weight: 50,
          label: 'the other side rejected authentication (AUTHENTICATION_FAILED): the PSK or the IDs differ',
          layer: 'ike',
        },
        i,
      );
    if (received('no_proposal_chosen') || notifies.includes('no_prop')) {
      const child = / no child_sa built/.test(t) || this.ikeUp;
      // IKEv2 builds the first CHILD_SA inside IKE_AUTH without a key exchange: PFS is not at stake.
      const firstChild = child && !this.ikev1 && this.exchange === 'ike_auth';
      return this.add(
        {
          causes: !child
            ? IKE_PROPOSAL_CANDIDATES
            : firstChild
              ? ['ipsec-proposal-mismatch']
              : CHILD_PROPOSAL_CANDIDATES,
          decisive: false,
          weight: 45,
          label: `the other side chose no ${child ? 'ESP' : 'IKE'} proposal (NO_PROPOSAL_CHOSEN)`,
          layer: child ? 'ipsec' : 'ike',
        },
        i,
      );
    }

    // Authentication and identities.
    if (/received idr .*, but require|^idir '.*' does not match to|^no matching peer config found/.test(t))
      return this.add(
        {
          causes: ['peer-id-mismatch'],
          decisive: true,
          weight: 90,
          label: 'identities do not match the configuration',
          layer: 'ike',
        },
        i,
      );
    if (starts(l, 'no shared key found for'))
      return this.add(
        {
          causes: ['peer-id-mismatch', 'psk-mismatch'],
          decisive: false,
          weight: 60,
          label: 'no pre-shared key for these identities',
          layer: 'ike',
        },
        i,
      );
    if (
      /but mac mismatched|calculated hash does not match hash payload|payload length, decryption failed/.test(
        t,
      )
    )
      return this.add(
        {
          causes: ['psk-mismatch'],
          decisive: true,
          weight: 95,
          label: 'the pre-shared keys differ (MAC/decryption failure)',
          layer: 'ike',
        },
        i,
      );

    if (this.ikev1 && !this.ikeUp && starts(l, 'ignore malformed informational'))
      return this.add(
        {
          causes: ['psk-mismatch'],
          decisive: true,
          weight: 80,
          label: "the other side's encrypted notify does not decrypt: the pre-shared keys differ",
          layer: 'ike',
        },
        i,
      );
    if (/none allows pre-shared key authentication using (aggressive|main) mode/.test(t))
      return this.add(
        {
          causes: ['ike-mode-mismatch'],
          decisive: true,
          weight: 90,
          label: 'main/aggressive mode differs',
          layer: 'ike',
        },
        i,
      );
    if (starts(l, 'dpd check timed out'))
      return this.add(
        {
          causes: ['dpd-timeout'],
          decisive: true,
          weight: 60,
          label: 'DPD check timed out: the peer is gone',
          layer: 'reachability',
        },
        i,
      );

    // Selection failures on the side that chose: the dump pair before them tells which part.
    if (
      /^received proposals unacceptable|^no acceptable proposal found|^no matching proposal found|^no proposal found/.test(
        t,
      )
    ) {
      const child = this.ikeUp || /quick|child/.test(t);
      return this.add(
        {
          causes: child ? CHILD_PROPOSAL_CANDIDATES : ['ike-algorithm-mismatch', 'dh-group-mismatch'],
          decisive: false,
          weight: 40,
          label: 'no proposal of the other side is acceptable',
          layer: child ? 'ipsec' : 'ike',
        },
        i,
      );
    }

    // A DELETE in the response to our own DELETE is the other side's acknowledgement.
    if (
      starts(l, 'received delete for') &&
      this.exchange === 'informational' &&
      this.lastParsed === 'response'
    )
      return;
    if (starts(l, 'received delete for')) {
      return this.add(
        {
          causes: ['peer-deleted-sa'],
          decisive: this.ikeUp,
          weight: this.ikeUp ? 70 : 20,
          label: 'the peer deleted the SA (DELETE)',
          layer: 'ipsec',
        },
        i,
      );
    }

    if (
      /^establishing ike_sa failed|^failed to establish child_sa|closing ike_sa due child_sa setup failure/.test(
        t,
      )
    )
      this.failure = true;

    this.registryLine(l, i);
  }

  /** Any other line the cause registry knows (Alibaba's documented lines, other charon text). */
  registryLine(l: LogLine, i: number) {
    let best: (typeof this.registry.patterns)[number] | null = null;
    for (const p of this.registry.patterns) {
      if (best && p.weight <= best.weight) continue;
      if (p.any?.some((s) => l.lower.includes(s))) best = p;
      else if (p.seq) {
        let from = 0;
        let ok = true;
        for (const s of p.seq) {
          const at = l.lower.indexOf(s, from);
          if (at < 0) {
            ok = false;
            break;
          }
          from = at + s.length;
        }
        if (ok) best = p;
      }
    }
    if (!best) return;
    if (best.cause === 'generic') {
      this.failure = true;
      return;
    }
    if (best.cause === 'peer-unreachable') return this.silence(l, i, best.label);
    const cause = resolvePhased(best.cause, this.ikeUp);
    const def = this.registry.causes.find((c) => c.id === cause);
    this.add(
      {
        causes: [cause],
        decisive: best.weight > 10,
        weight: best.weight,
        label: best.label,
        layer: def?.layer ?? (this.ikeUp ? 'ipsec' : 'ike'),
      },
      i,
    );
  }
}

const MAX_EVIDENCE = 6;

/** Classify parsed lines from one side. */
export function classifyLines(lines: LogLine[], side: Side = 'gateway', registry = SHIPPED): LogVerdict {
  void side;
  const r = new Reader(lines, registry);
  r.read();
  // A DELETE followed by a later failure is that failure's consequence or prelude, not the story.
  const signals = r.signals.filter(
    (s, k) =>
      !(s.causes[0] === 'peer-deleted-sa' && r.signals.slice(k + 1).some((x) => x.causes[0] !== s.causes[0])),
  );
  if (signals.length === 0)
    return r.failure || r.signals.length > 0
      ? { cause: 'negotiation-failed', candidates: [], phase: r.ikeUp ? 'ipsec' : 'ike', evidence: [] }
      : { cause: null, candidates: [], phase: null, evidence: [] };
  // The strongest signal decides; among equals the latest (the last attempt).
  let top = signals[0] as Signal;
  for (const s of signals) if (s.weight >= top.weight) top = s;
  const candidates: string[] = [];
  const byWeight = [...signals].sort((a, b) => b.weight - a.weight || b.at - a.at);
  for (const s of top.decisive ? [top] : byWeight.filter((s) => !s.decisive || s.weight > SILENCE_WEIGHT))
    for (const c of s.causes) if (!candidates.includes(c)) candidates.push(c);
  const cause = top.decisive ? (top.causes[0] ?? null) : 'negotiation-failed';
  const layer =
    (cause && cause !== 'negotiation-failed' ? registry.causes.find((c) => c.id === cause)?.layer : null) ??
    top.layer ??
    (r.ikeUp ? 'ipsec' : 'ike');
  const evidence: LogEvidence[] = [];
  const show = (at: number, label: string) => {
    const line = lines[at]?.raw;
    if (line && evidence.length < MAX_EVIDENCE && !evidence.some((e) => e.line === line))
      evidence.push({ line, label });
  };
  for (const k of top.also ?? []) show(k, top.label);
  show(top.at, top.label);
  for (const s of byWeight)
    if (s !== top && s.causes.some((c) => candidates.includes(c) || top.causes.length === 0))
      show(s.at, s.label);
  return { cause, candidates, phase: layer, evidence };
}

/** Classify pasted log text (any of the forms parse.ts reads). */
export function classifyText(text: string, side: Side = 'gateway', registry = SHIPPED): LogVerdict {
  return classifyLines(parseLog(text), side, registry);
}
