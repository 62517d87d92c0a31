// Which HTTP(S) proxy an API call goes through: `api.proxy` of the config, else the standard
// environment (HTTPS_PROXY / https_proxy for https endpoints, HTTP_PROXY / http_proxy for http ones,
// NO_PROXY / no_proxy for the exceptions; docs/real-account.md, "Through an HTTP(S) proxy"). The SDK carries
// `httpProxy`/`httpsProxy`/`noProxy` runtime options but its HTTP client never applies them
// (@darabonba/typescript's doAction builds no proxy agent), so proxy-agent.ts does it under the SDK.
import ipaddr from 'ipaddr.js';
import type { ApiConfig } from '../config/index.js';
import { type NoProxyEntry, parseNoProxyEntry, parseProxyUrl } from '../config/proxy.js';
import { secrets } from '../log/redact.js';
import { ProxyConfigError } from './proxy-error.js';

export { ProxyConfigError };

export interface ApiProxy {
  url: URL;
  /** Where it was configured: `api.proxy.url`, `HTTPS_PROXY`, `http_proxy`, … */
  source: string;
}

export interface ProxySettings {
  /** For https:// endpoints (CONNECT tunnel). */
  https?: ApiProxy;
  /** For http:// endpoints (absolute-URI forwarding). */
  http?: ApiProxy;
  noProxy: NoProxyEntry[];
  /** The NO_PROXY list as written (for the start-up log). */
  noProxyText: string[];
  noProxySource?: string;
}

/** The ECS metadata service answers only the instance asking: through a proxy it would hand out another host's RAM role. */
export const ECS_METADATA_HOST = '100.100.100.200';

const FIX =
  '; fix or unset it, or set api.proxy in the config (docs/real-account.md, "Through an HTTP(S) proxy")';

type Env = Readonly<Record<string, string | undefined>>;

/** The first of `names` set to a non-empty value. */
function fromEnv(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

function proxyFrom(value: string, source: string): ApiProxy {
  const url = parseProxyUrl(value);
  if (typeof url === 'string') throw new ProxyConfigError(`${source}: ${url}${FIX}`);
  // The password goes out only as Proxy-Authorization; every sink blanks it.
  secrets.learn([decodeURIComponent(url.password), url.password]);
  return { url, source };
}

/** The proxy settings of the API calls, from `api.proxy` and the environment (uppercase names first, as Go reads them). */
export function proxySettings(api: Pick<ApiConfig, 'proxy'>, env: Env = process.env): ProxySettings {
  const configured = api.proxy?.url;
  const https = configured
    ? proxyFrom(configured, 'api.proxy.url')
    : ((v) => v && proxyFrom(v.value, v.name))(fromEnv(env, ['HTTPS_PROXY', 'https_proxy']));
  const http = configured
    ? proxyFrom(configured, 'api.proxy.url')
    : ((v) => v && proxyFrom(v.value, v.name))(fromEnv(env, ['HTTP_PROXY', 'http_proxy']));
  let noProxyText: string[] = [];
  let noProxySource: string | undefined;
  if (api.proxy?.noProxy) {
    noProxyText = api.proxy.noProxy;
    noProxySource = 'api.proxy.noProxy';
  } else {
    const v = fromEnv(env, ['NO_PROXY', 'no_proxy']);
    if (v) {
      noProxyText = v.value
        .split(/[,\s]+/)
        .map((e) => e.trim())
        .filter((e) => e !== '');
      noProxySource = v.name;
    }
  }
  const noProxy: NoProxyEntry[] = [];
  for (const text of noProxyText) {
    const entry = parseNoProxyEntry(text);
    // curl and Go skip what they cannot read; say so rather than guess.
    if (typeof entry === 'string') throw new ProxyConfigError(`${noProxySource}: ${entry}${FIX}`);
    noProxy.push(entry);
  }
  return {
    ...(https && { https }),
    ...(http && { http }),
    noProxy,
    noProxyText,
    ...(noProxySource && { noProxySource }),
  };
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

function ipOf(host: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!ipaddr.isValid(host)) return undefined;
  if (!ipaddr.IPv6.isValid(host) && !ipaddr.IPv4.isValidFourPartDecimal(host)) return undefined;
  return ipaddr.process(host);
}

/** A URL's host name as NO_PROXY entries spell it: no IPv6 brackets, no trailing dot, lower case. */
const bareHost = (hostname: string): string =>
  hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();

/**
 * This host's own loopback: a proxy elsewhere reaching "127.0.0.1" or "localhost" reaches itself,
 * never us, so such endpoints (the demo's simulator) always go direct, as Go's proxy rules do.
 */
export function isLoopback(hostname: string): boolean {
  const host = bareHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return ipOf(host)?.range() === 'loopback';
}

/** Whether NO_PROXY exempts host:port. */
export function bypasses(entries: readonly NoProxyEntry[], hostname: string, port: number): boolean {
  const host = bareHost(hostname);
  const ip = ipOf(host);
  return entries.some((e) => {
    if (e.kind === 'all') return true;
    if ('port' in e && e.port !== undefined && e.port !== port) return false;
    if (e.kind === 'host') return host === e.host || host.endsWith(`.${e.host}`);
    if (!ip) return false;
    if (e.kind === 'ip')
      return ip.kind() === e.ip.kind() && ip.toNormalizedString() === e.ip.toNormalizedString();
    const [range, bits] = e.range;
    return ip.kind() === range.kind() && ip.match(range as never, bits);
  });
}

/** The proxy a request to `target` goes through, or undefined for a direct connection. */
export function proxyFor(settings: ProxySettings, target: string | URL): ApiProxy | undefined {
  let url: URL;
  try {
    url = typeof target === 'string' ? new URL(target) : target;
  } catch {
    return undefined;
  }
  const proxy =
    url.protocol === 'https:' ? settings.https : url.protocol === 'http:' ? settings.http : undefined;
  if (!proxy) return undefined;
  if (url.hostname === ECS_METADATA_HOST || isLoopback(url.hostname)) return undefined;
  const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
  return bypasses(settings.noProxy, url.hostname, port) ? undefined : proxy;
}

/** "http://[REDACTED]@proxy.example.com:3128 (HTTPS_PROXY)": a proxy for messages and logs. */
export function describeProxy(proxy: ApiProxy): string {
  const { url } = proxy;
  const userinfo = url.username !== '' || url.password !== '' ? '[REDACTED]@' : '';
  return `${url.protocol}//${userinfo}${url.host} (${proxy.source})`;
}

/** What the start-up log says, or undefined when no proxy is configured. */
export function proxySummary(settings: ProxySettings): Record<string, unknown> | undefined {
  if (!settings.https && !settings.http) return undefined;
  return {
    ...(settings.https && { https: describeProxy(settings.https) }),
    ...(settings.http && { http: describeProxy(settings.http) }),
    ...(settings.noProxySource && { noProxy: settings.noProxyText, noProxySource: settings.noProxySource }),
  };
}
