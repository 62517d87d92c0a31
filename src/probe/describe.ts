// One line per probe for people: the evidence text of findings, the ladder and the CLI's text format.
// "UDP 500 to 203.0.113.7: no answer to 3 IKE_SA_INIT in 6 s; UDP 4500: answered NO_PROPOSAL_CHOSEN in 41 ms"
import type { ProbeResult } from './probe.js';

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const millis = (ms: number) => `${ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10} ms`;

/** What the request is called: IKE_SA_INIT (IKEv2) or Main Mode (IKEv1). */
export function requestName(ike: ProbeResult['ike']): string {
  return ike === 'v2' ? 'IKE_SA_INIT' : 'Main Mode';
}

/** What the peer answered, in a few words. */
export function answerText(r: Pick<ProbeResult, 'answer'>): string {
  const a = r.answer;
  if (!a) return '';
  switch (a.kind) {
    case 'sa-init':
      return `IKE_SA_INIT (proposal accepted${a.proposal ? `: ${a.proposal}` : ''})`;
    case 'main-mode':
      return `Main Mode SA (proposal accepted${a.proposal ? `: ${a.proposal}` : ''})`;
    case 'notify':
    case 'informational':
      return a.notify ?? a.exchange;
    default:
      return `${a.exchange || 'an IKE message'}${a.malformed ? ` (unreadable: ${a.malformed})` : ''}`;
  }
}

/** The outcome without the "UDP port to address:" prefix. */
export function outcomeText(r: ProbeResult): string {
  const req = requestName(r.ike);
  switch (r.outcome) {
    case 'answered': {
      const retry = r.attempts > 1 ? ` (request ${r.attempts})` : '';
      return `answered ${answerText(r)} in ${millis(r.rttMs ?? 0)}${retry}`;
    }
    case 'no-answer':
      return `no answer to ${r.attempts} ${req} in ${seconds(r.attempts * r.timeoutMs)}`;
    case 'refused':
      return `ICMP port unreachable after ${r.attempts} ${req}: nothing listens on UDP ${r.port}`;
    case 'aborted':
      return 'probe stopped before an answer';
    default:
      return `probe failed: ${r.error ?? 'unknown error'}`;
  }
}

/** One probe: "UDP 500 to 203.0.113.7: answered NO_PROPOSAL_CHOSEN in 41 ms". */
export function describeProbe(r: ProbeResult): string {
  return `UDP ${r.port} to ${r.address || r.host}: ${outcomeText(r)}`;
}

/** Several probes of one peer on one line; the address is named once per run of the same address. */
export function describeProbes(results: readonly ProbeResult[]): string {
  let previous = '';
  return results
    .map((r) => {
      const target = r.address || r.host;
      const text =
        target === previous
          ? `UDP ${r.port}: ${outcomeText(r)}`
          : `UDP ${r.port} to ${target}: ${outcomeText(r)}`;
      previous = target;
      return text;
    })
    .join('; ');
}
