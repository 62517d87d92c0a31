// The simulator's call log: one record per API call, in arrival order (API-cost and RAM-policy tests).
import type { SimCallRecord } from '../protocol.js';

/** Oldest records are dropped beyond this, so a long demo cannot grow memory without bound. */
export const CALL_LOG_LIMIT = 100_000;

export class CallLog {
  private records: SimCallRecord[] = [];

  add(record: SimCallRecord): void {
    this.records.push(record);
    if (this.records.length > CALL_LOG_LIMIT) this.records.splice(0, this.records.length - CALL_LOG_LIMIT);
  }

  list(): SimCallRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  reset(): void {
    this.records = [];
  }
}
