// One-line, secret-free descriptions of collection failures for `Provenance.error` and `errors[]`.
// The account and region are known from where the text is stored, so only the action and cause remain.
import { CloudError } from '../cloud/errors.js';

/** e.g. "DescribeVpnConnections: Forbidden.RAM: code: 403, User not authorized… (the RAM policy lacks vpc:…)". */
export function errorText(err: unknown, action?: string): string {
  if (err instanceof CloudError) {
    const name = err.action || action || 'call';
    const prefix = `${err.product} ${err.action} in ${err.account}/${err.region} failed: `;
    const cause = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return `${name}: ${cause.startsWith(err.code) ? cause : `${err.code}: ${cause}`}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return action ? `${action}: ${message}` : message;
}
