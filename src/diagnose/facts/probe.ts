// Probe facts of one tunnel: did the peer answer an IKE probe recently, on which ports, and the
// one-line evidence text. A result older than PROBE_MAX_AGE_MS proves nothing either way.
import type { PortProbe, TunnelProbes } from '../../model/snapshot.js';
import type { FactDoc } from './catalogue.js';
import { withJa } from './localized.js';

export const PROBE_MAX_AGE_MS = 10 * 60_000;

export interface ProbeFacts {
  known: boolean;
  fresh: boolean;
  answered: boolean;
  silent: boolean;
  target: string;
  address: string;
  answeredPorts: number[];
  silentPorts: number[];
  answers: string[];
  summary: string;
  ageSeconds: number | null;
}

const NONE: ProbeFacts = {
  known: false,
  fresh: false,
  answered: false,
  silent: false,
  target: '',
  address: '',
  answeredPorts: [],
  silentPorts: [],
  answers: [],
  summary: '',
  ageSeconds: null,
};

// Silence (or ICMP port unreachable) from the peer counts; a probe that could not even be sent from
// this host (no route, socket error) says nothing about the peer.
const SILENT = new Set(['no-answer', 'refused']);

export function probeFacts(p: TunnelProbes | undefined, now: number): ProbeFacts {
  if (!p || p.ports.length === 0) return NONE;
  const fresh = now - p.at <= PROBE_MAX_AGE_MS;
  const answered = p.ports.filter((x) => x.answered);
  const silent = p.ports.filter((x) => SILENT.has(x.outcome));
  return withJa<ProbeFacts>(
    {
      known: true,
      fresh,
      answered: fresh && answered.length > 0,
      silent: fresh && silent.length === p.ports.length,
      target: p.target,
      address: p.address,
      answeredPorts: answered.map((x) => x.port),
      silentPorts: silent.map((x) => x.port),
      answers: answered.map((x) => x.answer),
      summary: p.summary,
      ageSeconds: Math.max(0, Math.round((now - p.at) / 1000)),
    },
    { summary: summaryJa(p) },
  );
}

/** The summary in Japanese, from the port results (the English one is stored with the probes). */
export function summaryJa(p: Pick<TunnelProbes, 'address' | 'ports'>): string {
  return p.ports
    .map((x, i) => `${i === 0 ? `${p.address} の ` : ''}UDP ${x.port}: ${outcomeJa(x)}`)
    .join('、');
}

const secondsJa = (ms: number) => `${Math.round(ms / 100) / 10} 秒`;

function outcomeJa(x: PortProbe): string {
  const req = x.ike === 'v2' ? 'IKE_SA_INIT' : 'メインモード';
  switch (x.outcome) {
    case 'answered': {
      const rtt =
        x.rttMs === null
          ? ''
          : ` ${x.rttMs >= 10 ? Math.round(x.rttMs) : Math.round(x.rttMs * 10) / 10} ms で`;
      return `${answerJa(x.answer)} が${rtt}応答`;
    }
    case 'no-answer':
      return `${req} を ${x.attempts} 回送信し、${secondsJa(x.attempts * x.timeoutMs)}応答なし`;
    case 'refused':
      return `${req} を ${x.attempts} 回送信し、ICMP ポート到達不能 (UDP ${x.port} で待ち受けているものがありません)`;
    case 'aborted':
      return '応答の前にプローブを中止しました';
    default:
      return 'プローブを送信できませんでした';
  }
}

/** What answered, in Japanese ("IKE_SA_INIT (proposal accepted: …)" → "IKE_SA_INIT (提案を受諾: …)"). */
function answerJa(answer: string): string {
  return answer
    .replace(/^Main Mode SA/, 'メインモード SA')
    .replace(/\(proposal accepted(: |\))/, (_, rest: string) => `(提案を受諾${rest === ')' ? ')' : ': '}`)
    .replace(/ \(unreadable: /, ' (解読不能: ')
    .replace(/^an IKE message/, 'IKE メッセージ');
}

export const PROBE_FACTS: FactDoc[] = [
  {
    name: 'probe',
    type: 'map',
    doc: 'IKE probe of the peer address (probe tier, off by default; tunnel scope)',
  },
  { name: 'probe.known', type: 'bool', doc: 'The tunnel has been probed' },
  { name: 'probe.fresh', type: 'bool', doc: 'The last probe is younger than 10 minutes' },
  {
    name: 'probe.answered',
    type: 'bool',
    doc: 'A fresh probe got an IKE answer on some port: the path to the peer is open',
  },
  {
    name: 'probe.silent',
    type: 'bool',
    doc: 'A fresh probe got no answer (or ICMP port unreachable) on every probed port',
  },
  { name: 'probe.target', type: 'string', doc: 'customer-gateway | gateway ("" when not probed)' },
  { name: 'probe.address', type: 'string', doc: 'The address probed' },
  { name: 'probe.answeredPorts', type: 'list<int>', doc: 'UDP ports that answered' },
  { name: 'probe.silentPorts', type: 'list<int>', doc: 'UDP ports that stayed silent or were unreachable' },
  { name: 'probe.answers', type: 'list<string>', doc: 'What answered, e.g. "NO_PROPOSAL_CHOSEN"' },
  {
    name: 'probe.summary',
    type: 'string',
    doc: 'Evidence text, e.g. "UDP 500 to 203.0.113.7: no answer to 3 IKE_SA_INIT in 6 s; UDP 4500: …"',
  },
  { name: 'probe.ageSeconds', type: 'int|null', doc: 'Age of the last probe' },
];
