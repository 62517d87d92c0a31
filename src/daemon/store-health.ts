// Whether the last write to the state store worked. A full disk (SQLITE_FULL) used to throw out of a
// status cycle after its tier was marked successful and before the new status was applied: the view
// froze at the old state and alivpn_collect_success stayed 1. Now the in-memory view moves on, and a
// failed write is a failed tier: collect_success 0, /readyz not ready, an error in the report.
import type { ReportError } from '../report/schema.js';
import { StoreError } from '../state/errors.js';

interface Where {
  account: string;
  region: string;
}

export class StoreHealth {
  private failure: { message: string; regions: Where[] } | null = null;

  /**
   * Run a store write for `regions`. A StoreError is remembered (and logged by the caller through
   * `onFailure`) and `undefined` returned; anything else is a bug and propagates.
   */
  write<T>(regions: readonly Where[], fn: () => T, onFailure: (message: string) => void): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      const known = new Set(this.failure?.regions.map((r) => `${r.account}/${r.region}`) ?? []);
      const merged = [
        ...(this.failure?.regions ?? []),
        ...regions.filter((r) => !known.has(`${r.account}/${r.region}`)),
      ];
      this.failure = { message: err.message, regions: merged };
      onFailure(err.message);
      return undefined;
    }
  }

  /** A status cycle starts: what it writes says whether the store works now. */
  begin(): void {
    this.failure = null;
  }

  /** The last failure's message, null while the store works. */
  get error(): string | null {
    return this.failure?.message ?? null;
  }

  /** One report error per region whose data could not be stored. */
  errors(): ReportError[] {
    if (!this.failure) return [];
    const message = `${this.failure.message} (the status shown is current; its events are not stored)`;
    return this.failure.regions.map((r) => ({ account: r.account, region: r.region, message }));
  }
}
