// One-line, secret-free descriptions of collection failures for `Provenance.error` and `errors[]`.
import { CloudError } from '../cloud/errors.js';

/** e.g. "DescribeVpnConnections: Throttling.User (Request was denied due to user flow control.)". */
export function errorText(err: unknown, action?: string): string {
  if (err instanceof CloudError) {
    const msg = err.message && err.message !== err.code ? ` (${err.message})` : '';
    const missing = err.missingAction ? ` [missing RAM action ${err.missingAction}]` : '';
    return `${err.action || action || 'call'}: ${err.code}${msg}${missing}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return action ? `${action}: ${message}` : message;
}

/** The Alibaba error code of a failure, '' when it is not a CloudError. */
export const errorCode = (err: unknown): string => (err instanceof CloudError ? err.code : '');
