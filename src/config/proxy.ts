// The grammar of an HTTP(S) proxy URL and of NO_PROXY entries, shared by the config schema (which
// checks `api.proxy`) and src/cloud/proxy.ts (which reads the environment and matches endpoints).
// NO_PROXY follows curl and Go: comma-separated host names (a name matches itself and every
// subdomain; a leading "." or "*." means the same), IP addresses, CIDR ranges, `*` for everything,
// each with an optional `:port`.
import ipaddr from 'ipaddr.js';

export type NoProxyEntry =
  | { kind: 'all' }
  | { kind: 'host'; host: string; port?: number }
  | { kind: 'ip'; ip: ipaddr.IPv4 | ipaddr.IPv6; port?: number }
  | { kind: 'cidr'; range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

const HOST_LABELS =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** A user:password@ part of a URL, for messages: the whole userinfo is blanked. */
export function withoutUserinfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1[REDACTED]@');
}

/** One NO_PROXY entry, or a problem message. */
export function parseNoProxyEntry(raw: string): NoProxyEntry | string {
  const entry = raw.trim().toLowerCase();
  if (entry === '*') return { kind: 'all' };
  const problem = `"${raw}" is not a NO_PROXY entry (a host name such as ".example.com", an IP address, a CIDR range such as "10.0.0.0/8", or "*", optionally with ":port")`;
  if (entry === '' || /[\s/]/.test(entry.replace(/\/\d{1,3}$/, ''))) return problem;
  if (entry.includes('/')) {
    try {
      return { kind: 'cidr', range: ipaddr.parseCIDR(entry.replace(/^\[|\](?=\/)/g, '')) };
    } catch {
      return problem;
    }
  }
  let host = entry;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (!ipaddr.IPv6.isValid(entry)) {
    const m = /^(.*):(\d{1,5})$/.exec(entry);
    if (m) {
      host = m[1]!;
      port = Number(m[2]);
    }
  }
  if (port !== undefined && (port < 1 || port > 65535)) return problem;
  const at = port === undefined ? {} : { port };
  if (ipaddr.isValid(host) && (ipaddr.IPv6.isValid(host) || ipaddr.IPv4.isValidFourPartDecimal(host)))
    return { kind: 'ip', ip: ipaddr.process(host), ...at };
  const name = host.replace(/^\*?\./, '').replace(/\.$/, '');
  return HOST_LABELS.test(name) ? { kind: 'host', host: name, ...at } : problem;
}

/**
 * A proxy URL: http:// or https:// (TLS to the proxy), a host and an optional port; a value without
 * a scheme means http:// (as curl reads HTTPS_PROXY=proxy:3128). Messages never repeat a password.
 */
export function parseProxyUrl(raw: string): URL | string {
  const value = raw.trim();
  const shown = `"${withoutUserinfo(value)}"`;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return `${shown} is not a proxy URL (expected e.g. "http://proxy.example.com:3128")`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `${shown}: only http:// and https:// proxies are supported (not ${url.protocol.slice(0, -1)})`;
  if (url.hostname === '') return `${shown} names no proxy host`;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    return `${shown}: a proxy URL is a scheme, host and port only, without a path`;
  return url;
}
