// Field checks the config schema uses; each returns a problem message or undefined.
import { validateDetailed } from 'node-cron';
import { isIpv4Address, isIpv6Address } from '../model/addressing.js';

export function cronProblem(expression: string): string | undefined {
  try {
    const result = validateDetailed(expression);
    if (result.valid) return undefined;
    const why = result.errors.map((e) => e.message).join('; ');
    return `"${expression}" is not a valid cron expression${why ? ` (${why})` : ''}`;
  } catch (err) {
    return `"${expression}" is not a valid cron expression (${(err as Error).message})`;
  }
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `host:port`, `[v6]:port`; the host may be an IPv4/IPv6 address or a hostname. */
export function listenProblem(listen: string): string | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(listen);
  const expected = `"${listen}" is not a listen address (expected host:port, e.g. "0.0.0.0:9756" or "[::]:9756")`;
  if (!m) return expected;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return `"${listen}": port ${port} is out of range 1-65535`;
  if (m[1] !== undefined) return isIpv6Address(m[1]) ? undefined : expected;
  const host = m[2]!;
  if (/^[\d.]+$/.test(host)) return isIpv4Address(host) ? undefined : expected;
  return HOSTNAME.test(host) ? undefined : expected;
}

/** An endpoint override: a URL with http or https and a host (the simulator, a VPC endpoint, a proxy). */
export function endpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `https://${value}`);
  } catch {
    return `"${value}" is not a URL (expected e.g. "http://127.0.0.1:9100" or "vpc-vpc.cn-hangzhou.aliyuncs.com")`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `"${value}": only http:// and https:// endpoints are supported`;
  if (url.username || url.password) return `"${value}": credentials do not belong in an endpoint URL`;
  if (url.pathname !== '/' || url.search || url.hash)
    return `"${value}": an endpoint is a scheme and host[:port] only, without a path`;
  return undefined;
}

/**
 * The runbook's URL: http(s) with a host. Either a base (the rule's anchor is appended as
 * `#anchor`) or a pattern with one `%s` that the anchor replaces (mixins' `runbookURLPattern`).
 */
export function runbookUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.replace('%s', 'anchor'));
  } catch {
    return `"${value}" is not a URL (expected e.g. "https://wiki.example.com/alivpn-runbook" or "https://wiki.example.com/runbooks/%s")`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `"${value}": only http:// and https:// URLs are supported`;
  if (value.split('%s').length > 2) return `"${value}": use "%s" at most once (it stands for the anchor)`;
  return undefined;
}
