// The words of a failed API call: which product and action, which endpoint, what HTTP status, and
// what to check. The SDK's own texts are not fit to show as they are: httpx glues "POST http://…
// failed." to the socket error without a space, calls an idle socket "ConnectTimeout" even when the
// connection was up and the answer was late, and a non-JSON body loses its HTTP status. The cause is
// said here from what the call knows (endpoint, timeouts, the status the response hook saw).
import type { Classified } from './classify.js';
import type { Product } from './types.js';

export interface CallSite {
  product: Product;
  account: string;
  /** scheme://host[:port] the client sends to (an override or the SDK's regional endpoint). */
  endpoint?: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** Content type of the answer, when one came. */
  contentType?: string;
  /** The proxy the call went through (proxy.ts describeProxy: URL without password, and its source). */
  proxy?: string;
}

/** httpx appends "<METHOD> <url> failed." to the socket error's message, without a separator. */
const HTTPX_SUFFIX = /\s*(?:GET|POST|PUT|DELETE|HEAD|PATCH) https?:\/\/\S* failed\.\s*$/;

const SOCKET: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'closed the connection before answering',
  ECONNABORTED: 'aborted the connection',
  EPIPE: 'closed the connection while the request was sent',
  ETIMEDOUT: 'did not accept a connection in time',
  ENOTFOUND: 'has a host name that does not resolve (DNS)',
  EAI_AGAIN: 'could not be resolved now (DNS)',
  EHOSTUNREACH: 'is unreachable from this host (no route)',
  ENETUNREACH: 'is unreachable from this host (no route to its network)',
  UND_ERR_SOCKET: 'closed the connection',
  ETIMEOUT: 'did not open the tunnel in time',
};

const REACH =
  'check the endpoint (accounts[].endpoint / endpoints, or the region) and that this host may connect to it (firewall egress to TCP 443, or the proxy in between; docs/real-account.md lists the hosts)';

const PROXY_REACH =
  'check that the proxy runs and this host may connect to it (HTTPS_PROXY / HTTP_PROXY or api.proxy.url), or reach the endpoint directly with NO_PROXY / api.proxy.noProxy (docs/real-account.md, "Through an HTTP(S) proxy")';

/** What a proxy's own HTTP answer (not the API's JSON) means. */
function proxyStatusHint(status: number | undefined): string {
  if (status === 407)
    return 'HTTP 407: the proxy wants credentials (user:password@ in the proxy URL, sent as Proxy-Authorization)';
  if (status === 403 || status === 405)
    return `HTTP ${status}: the proxy refuses this destination; allow the API hosts on port 443 (docs/real-account.md, "Egress a firewall must allow")`;
  if (status !== undefined && status >= 502 && status <= 504)
    return `HTTP ${status}: the proxy could not reach the endpoint`;
  return 'with a proxy in between, this is most likely its answer';
}

export function explainFailure(f: Classified, site: CallSite): string {
  const raw = f.message.replace(HTTPX_SUFFIX, '').trim();
  const endpoint = `${site.product} endpoint ${site.endpoint ?? '(the SDK’s regional endpoint)'}`;
  const where = site.proxy ? `${endpoint} through proxy ${site.proxy}` : endpoint;
  const status = f.httpStatus !== undefined ? `HTTP ${f.httpStatus}` : undefined;
  if (f.code === 'NetworkError' && site.proxy) {
    // The socket is the proxy's: refused, unresolvable or silent means the proxy, not Alibaba.
    const sys = /^([A-Z][A-Z_]+)\b/.exec(raw)?.[1] ?? 'socket error';
    return `proxy ${site.proxy} ${SOCKET[sys] ?? `failed at the socket (${raw})`} (${sys}) on the way to ${endpoint}; ${PROXY_REACH}`;
  }
  if (f.code === 'BadResponse' && site.proxy && raw.startsWith('response is not JSON')) {
    const type = site.contentType ? ` (${site.contentType})` : '';
    return `${where} answered ${status ?? 'a body'}${type}, not the API's JSON (${raw.replace(/^response is not JSON: /, '')}); ${proxyStatusHint(f.httpStatus)}`;
  }
  if (f.code === 'Timeout') {
    const total = site.connectTimeoutMs + site.readTimeoutMs;
    return `no complete answer from ${where} within ${total} ms (api.connectTimeoutMs ${site.connectTimeoutMs} + api.readTimeoutMs ${site.readTimeoutMs}); ${REACH}, or raise api.readTimeoutMs if it is only slow`;
  }
  if (f.code === 'NetworkError') {
    const sys = /^([A-Z][A-Z_]+)\b/.exec(raw)?.[1] ?? 'socket error';
    return `${where} ${SOCKET[sys] ?? `failed at the socket (${raw})`} (${sys}); ${REACH}`;
  }
  if (f.code === 'BadResponse' && raw.startsWith('response is not JSON')) {
    const type = site.contentType ? ` (${site.contentType})` : '';
    return `${where} answered ${status ?? 'a body'}${type}, not the API's JSON (${raw.replace(/^response is not JSON: /, '')}); check that the endpoint is an Alibaba Cloud API endpoint, not a web page or a proxy's error page`;
  }
  const from = status ? `${status} from ${where}` : where;
  if (f.kind === 'auth')
    return `${raw} (${from}); check the AccessKey pair or STS token of account ${site.account} (or, without one, its credential chain)`;
  if (f.kind === 'permission' && !f.missingAction)
    return `${raw} (${from}); check the RAM policy of account ${site.account} (deploy/ram-policy.json is the minimal one)`;
  return `${raw} (${from})`;
}
