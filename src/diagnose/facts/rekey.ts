// Failures at a regular interval: a tunnel that drops after staying up about the same time, again
// and again, fails at a rekey (a lifetime or PFS mismatch on the device bites only then).
import type { Tunnel } from '../../model/snapshot.js';
import { withJa } from './localized.js';

/** At least this many failures after similar up-times make a pattern. */
export const MIN_REGULAR_FAILURES = 3;
/** Up-times within this share of their median count as "the same interval". */
const TOLERANCE = 0.1;

export interface RekeyFacts {
  /** Failures whose preceding up-time is within 10 % of the median (0 when fewer than 3 failures). */
  regularFailures: number;
  /** Median up-time before a failure, seconds (0 when unknown). */
  failureIntervalSeconds: number;
  /** The up-times, most recent last, as text for evidence ("3598 s, 3601 s, 3605 s"). */
  upSpells: string;
  /** Which configured lifetime the interval matches (within 10 %): "IKE", "IPsec" or "". */
  lifetimeMatch: string;
}

export function rekeyFacts(tunnel: Tunnel, spells: readonly number[] | undefined): RekeyFacts {
  const recent = (spells ?? []).slice(-10);
  const none = { regularFailures: 0, failureIntervalSeconds: 0, upSpells: '', lifetimeMatch: '' };
  if (recent.length < MIN_REGULAR_FAILURES) return none;
  const sorted = [...recent].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  if (median <= 0) return none;
  const near = (v: number, target: number) => Math.abs(v - target) <= target * TOLERANCE;
  const regular = recent.filter((s) => near(s, median));
  // Most of the recent failures must share the interval: a few random ones do not make a pattern.
  if (regular.length < MIN_REGULAR_FAILURES || regular.length * 4 < recent.length * 3) return none;
  const lifetimes: Array<[string, number | null]> = [
    ['IKE', tunnel.ike.lifetimeSeconds],
    ['IPsec', tunnel.ipsec.lifetimeSeconds],
  ];
  // A rekey starts a little before the lifetime ends (a margin, some jitter): 80-110 % of it.
  const match = lifetimes.find(([, l]) => l !== null && l > 0 && median >= l * 0.8 && median <= l * 1.1);
  return withJa<RekeyFacts>(
    {
      regularFailures: regular.length,
      failureIntervalSeconds: median,
      upSpells: recent.map((s) => `${s} s`).join(', '),
      lifetimeMatch: match?.[0] ?? '',
    },
    { upSpells: recent.map((s) => `${s} 秒`).join('、') },
  );
}
