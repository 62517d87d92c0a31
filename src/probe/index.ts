// The active IKE probe (UDP 500/4500): does an IKE responder answer at an address, and what.

export { answerText, describeProbe, describeProbes, outcomeText } from './describe.js';
export { type DhGroup, dhGroupOf, isDhGroup } from './dh.js';
export { type AnswerKind, type IkeAnswer, parseAnswer } from './parse.js';
export {
  type IkeVersion,
  type ProbeOptions,
  type ProbeOutcome,
  type ProbeResult,
  probeIke,
} from './probe.js';
