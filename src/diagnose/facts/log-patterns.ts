// Log keywords by cause, declared per cause in src/diagnose/causes/: Alibaba's documented
// messages and charon's. Matching is on the lower-cased line, by substring or by substrings in
// order, so hostile input cannot make it backtrack.
import { type LogPattern, SHIPPED } from '../causes/registry.js';

export { SILENCE_WEIGHT } from '../causes/peer-unreachable.js';
export type { LogPattern };

export const LOG_PATTERNS: readonly LogPattern[] = SHIPPED.patterns;
