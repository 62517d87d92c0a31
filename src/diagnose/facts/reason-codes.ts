// DiagnoseVpnConnections FailedReasonCode → our cause ids (reference §1.3), with the weight of each
// mapping so that a more specific log signal can outrank a generic code. Declared per cause in
// src/diagnose/causes/.
import { type CodeMapping, SHIPPED } from '../causes/registry.js';

export type { CodeMapping };

export const REASON_CODES: Readonly<Record<string, CodeMapping>> = SHIPPED.reasonCodes;

/** Mapping for a code; unknown codes name no cause. */
export function mapReasonCode(code: string): CodeMapping {
  return SHIPPED.mapCode(code);
}
