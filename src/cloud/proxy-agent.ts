// Sending the API calls through the proxy proxy.ts chose. Every request of the SDK clients
// (Darabonba's doAction) and of the credential chain (STS AssumeRole, OIDC, credentials URI) is made
// by `httpx.request(url, options)`, which takes an `agent`; the SDK's own httpProxy/httpsProxy
// options reach doAction but are never turned into one. So the hook is `httpx.request`: inside an
// API call (`withProxy`, run by RegionApi.call), a request whose endpoint the settings send through a
// proxy gets TooTallNate's proxy agent: a CONNECT tunnel for https endpoints (https-proxy-agent), an
// absolute-URI request for http ones (http-proxy-agent). Requests outside an API call are untouched.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Agent } from 'node:http';
import { createRequire } from 'node:module';
import createHttpProxyAgent from 'http-proxy-agent';
import createHttpsProxyAgent from 'https-proxy-agent';
import { type ApiProxy, type ProxySettings, proxyFor } from './proxy.js';

// One store per process, shared by every copy of this module (a test runner may load it twice), so
// the hook installed by one copy sees the settings another copy's `withProxy` set.
const STORE = Symbol.for('alivpn-doctor.proxySettings');
const slot = globalThis as { [STORE]?: AsyncLocalStorage<ProxySettings> };
slot[STORE] ??= new AsyncLocalStorage<ProxySettings>();
const current = slot[STORE];

/** Run one API call (its credential refreshes included) with these proxy settings. */
export function withProxy<T>(settings: ProxySettings, call: () => Promise<T>): Promise<T> {
  if (!settings.https && !settings.http) return call();
  installOnce();
  return current.run(settings, call);
}

const agents = new Map<string, Agent>();

/** One agent per proxy and endpoint scheme (the agents keep no state between requests). */
function agentFor(proxy: ApiProxy, endpointProtocol: string): Agent {
  const key = `${endpointProtocol}|${proxy.url.href}`;
  let agent = agents.get(key);
  if (!agent) {
    const { url } = proxy;
    const options = {
      protocol: url.protocol,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
      ...((url.username !== '' || url.password !== '') && {
        auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
      }),
    };
    agent = (endpointProtocol === 'https:'
      ? createHttpsProxyAgent(options)
      : createHttpProxyAgent(options)) as unknown as Agent;
    agents.set(key, agent);
  }
  return agent;
}

const INSTALLED = Symbol.for('alivpn-doctor.proxyHook');

type HttpxModule = {
  request: (url: string | URL, opts?: Record<string, unknown>) => Promise<unknown>;
  [INSTALLED]?: true;
};

/** httpx as the SDK and the credential chain resolve it (one copy in a normal install; both are hooked if not). */
function httpxModules(): HttpxModule[] {
  const require = createRequire(import.meta.url);
  const from = (pkg: string) => {
    try {
      return createRequire(require.resolve(pkg))('httpx') as HttpxModule;
    } catch {
      return undefined;
    }
  };
  const found = [from('@darabonba/typescript'), from('@alicloud/credentials')];
  return [...new Set(found.filter((m): m is HttpxModule => m !== undefined))];
}

function installOnce(): void {
  for (const httpx of httpxModules()) {
    if (httpx[INSTALLED]) continue;
    const original = httpx.request;
    httpx.request = function proxiedRequest(this: unknown, url, opts) {
      const settings = current.getStore();
      const proxy = settings && proxyFor(settings, String(url));
      if (!proxy) return original.call(this, url, opts);
      const protocol = new URL(String(url)).protocol;
      return original.call(this, url, { ...opts, agent: agentFor(proxy, protocol) });
    };
    httpx[INSTALLED] = true;
  }
}
