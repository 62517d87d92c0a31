// API calls through an HTTP(S) proxy: the daemon's real SDK clients (built from the config) talk to
// the project's simulator through a real proxy on loopback. The endpoint is a name this host cannot
// resolve (only the proxy's route table knows it), so a call that succeeds went through the proxy,
// and the proxy's own log shows it. NO_PROXY sends calls direct; a proxy that refuses is named.
import { createServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { DescribeMetricListRequest } from '@alicloud/cms20190101';
import { DescribeSecurityGroupsRequest } from '@alicloud/ecs20140526';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRegionApis, InMemoryApiCallCounter, type RegionApi } from '../../src/cloud/index.js';
import { parseConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/log/logger.js';
import { freePort } from '../drills/process.js';
import { startHttpProxy, type TestHttpProxy } from '../support/http-proxy.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { failure, listConnections } from './calls.js';

/** A name only the proxy can route (RFC 6761: .invalid never resolves). */
const HOST = 'sim.alivpn.invalid';

let sim: TestSimulator;
let proxy: TestHttpProxy;
const proxies: TestHttpProxy[] = [];
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'healthy', clock: 'real' });
  proxy = await startHttpProxy({ routes: { [`${HOST}:${sim.port}`]: `127.0.0.1:${sim.port}` } });
});
afterAll(async () => {
  await Promise.all([sim?.close(), proxy?.close(), ...proxies.map((p) => p.close())]);
});
afterEach(() => {
  proxy.requests.length = 0;
});

function apiFor(
  opts: { endpoint?: string; env?: Record<string, string>; proxyYaml?: string; logs?: string[] } = {},
): RegionApi {
  const key = sim.keys[0]!;
  const config = parseConfig(
    `
api: { retries: { max: 0 }, readTimeoutMs: 3000, connectTimeoutMs: 2000${opts.proxyYaml ? `, proxy: ${opts.proxyYaml}` : ''} }
accounts:
  - name: ${key.account}
    accessKeyId: ${key.accessKeyId}
    accessKeySecret: ${key.accessKeySecret}
    regions: [cn-hangzhou]
    endpoint: "${opts.endpoint ?? `http://${HOST}:${sim.port}`}"
`,
    'proxy-test.yaml',
    {},
  );
  const logs = opts.logs;
  const logger = logs
    ? createLogger({
        level: 'info',
        destination: new Writable({
          write(chunk, _enc, done) {
            logs.push(String(chunk));
            done();
          },
        }),
      })
    : undefined;
  const [api] = createRegionApis(config, {
    counter: new InMemoryApiCallCounter(),
    env: opts.env ?? {},
    ...(logger && { logger }),
  });
  return api!;
}

describe('HTTP_PROXY for an http endpoint', () => {
  it('forwards every product’s calls through the proxy (absolute-URI requests), signatures intact', async () => {
    const api = apiFor({ env: { HTTP_PROXY: proxy.url } });
    const vpc = await listConnections(api);
    expect(vpc.body?.vpnConnections?.vpnConnection?.length).toBeGreaterThan(0);
    await api.call('ecs', 'DescribeSecurityGroups', (runtime) =>
      api.ecs.describeSecurityGroupsWithOptions(
        new DescribeSecurityGroupsRequest({ regionId: api.region }),
        runtime,
      ),
    );
    await api.call('cms', 'DescribeMetricList', (runtime) =>
      api.cms.describeMetricListWithOptions(
        new DescribeMetricListRequest({ namespace: 'acs_vpn', metricName: 'ipsec_rx.rate' }),
        runtime,
      ),
    );
    const seen = proxy.requests.map((r) => [r.method, new URL(r.target).host, r.status]);
    expect(seen).toEqual([
      ['POST', `${HOST}:${sim.port}`, 200],
      ['POST', `${HOST}:${sim.port}`, 200],
      ['POST', `${HOST}:${sim.port}`, 200],
    ]);
  });

  it('lower-case http_proxy works too; HTTPS_PROXY alone does not apply to an http endpoint', async () => {
    await listConnections(apiFor({ env: { http_proxy: proxy.url } }));
    expect(proxy.requests).toHaveLength(1);
    const direct = await failure(listConnections(apiFor({ env: { HTTPS_PROXY: proxy.url } })));
    expect(direct.message).toMatch(/has a host name that does not resolve|could not be resolved/);
    expect(proxy.requests).toHaveLength(1);
  });
});

describe('NO_PROXY', () => {
  it('sends a matching endpoint direct: the proxy sees nothing', async () => {
    for (const noProxy of ['.alivpn.invalid', 'alivpn.invalid', '*.invalid', `${HOST}:${sim.port}`, '*']) {
      const err = await failure(
        listConnections(apiFor({ env: { HTTP_PROXY: proxy.url, NO_PROXY: `example.com, ${noProxy}` } })),
      );
      // Direct: this host resolves the name itself, and cannot.
      expect(err.message, noProxy).toMatch(/does not resolve|could not be resolved/);
      expect(err.message).not.toContain('through proxy');
    }
    expect(proxy.requests).toEqual([]);
  });

  it('a direct endpoint that answers: the loopback simulator by IP and by CIDR, no_proxy in lower case', async () => {
    for (const env of [
      { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } as Record<string, string>,
      { HTTP_PROXY: proxy.url, no_proxy: '127.0.0.0/8' },
    ]) {
      const answer = await listConnections(apiFor({ endpoint: sim.url, env }));
      expect(answer.body?.vpnConnections?.vpnConnection?.length).toBeGreaterThan(0);
    }
    expect(proxy.requests).toEqual([]);
  });

  it('does not match another port, another domain or a mere string suffix', async () => {
    for (const noProxy of [`${HOST}:1`, 'other.invalid', 'valid', '10.0.0.0/8']) {
      await listConnections(apiFor({ env: { HTTP_PROXY: proxy.url, NO_PROXY: noProxy } }));
    }
    expect(proxy.requests).toHaveLength(4);
  });
});

describe('api.proxy in the config', () => {
  it('wins over the environment, authenticates, and the start-up log shows the proxy without its password', async () => {
    const guarded = await startHttpProxy({
      auth: 'ops:s3cret-proxy-pass',
      routes: { [`${HOST}:${sim.port}`]: `127.0.0.1:${sim.port}` },
    });
    proxies.push(guarded);
    const logs: string[] = [];
    const url = guarded.url.replace('http://', 'http://ops:s3cret-proxy-pass@');
    const api = apiFor({
      env: { HTTP_PROXY: proxy.url, NO_PROXY: '*' },
      proxyYaml: `{ url: "${url}", noProxy: [example.com] }`,
      logs,
    });
    await listConnections(api);
    expect(proxy.requests).toEqual([]);
    expect(guarded.requests).toHaveLength(1);
    expect(guarded.requests[0]!.proxyAuthorization).toBe(
      `Basic ${Buffer.from('ops:s3cret-proxy-pass').toString('base64')}`,
    );
    const line = JSON.parse(logs.find((l) => l.includes('HTTP(S) proxy'))!);
    expect(line.proxy).toEqual({
      https: `http://[REDACTED]@127.0.0.1:${guarded.port} (api.proxy.url)`,
      http: `http://[REDACTED]@127.0.0.1:${guarded.port} (api.proxy.url)`,
      noProxy: ['example.com'],
      noProxySource: 'api.proxy.noProxy',
    });
    expect(logs.join('')).not.toContain('s3cret-proxy-pass');
  });

  it('a wrong proxy password: HTTP 407 from the proxy, named without the password', async () => {
    const guarded = await startHttpProxy({ auth: 'ops:right-password' });
    proxies.push(guarded);
    const url = guarded.url.replace('http://', 'http://ops:wrong-password@');
    const err = await failure(listConnections(apiFor({ proxyYaml: `{ url: "${url}" }` })));
    expect(err.message).toContain(
      `through proxy http://[REDACTED]@127.0.0.1:${guarded.port} (api.proxy.url)`,
    );
    expect(err.message).toContain('HTTP 407: the proxy wants credentials');
    expect(err.message).not.toContain('wrong-password');
  });
});

describe('a proxy that refuses', () => {
  it('nothing listening: the error names the proxy and its variable, not Alibaba', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const err = await failure(listConnections(apiFor({ env: { HTTP_PROXY: dead } })));
    expect(err.code).toBe('NetworkError');
    expect(err.message).toBe(
      `vpc DescribeVpnConnections in prod/cn-hangzhou failed: proxy ${dead} (HTTP_PROXY) refused the connection (ECONNREFUSED) on the way to vpc endpoint http://${HOST}:${sim.port}; check that the proxy runs and this host may connect to it (HTTPS_PROXY / HTTP_PROXY or api.proxy.url), or reach the endpoint directly with NO_PROXY / api.proxy.noProxy (docs/real-account.md, "Through an HTTP(S) proxy")`,
    );
  });

  it('a CONNECT the proxy denies (403) for an https endpoint', async () => {
    const strict = await startHttpProxy({ deny: [`${HOST}:443`] });
    proxies.push(strict);
    const err = await failure(
      listConnections(apiFor({ endpoint: `https://${HOST}`, env: { HTTPS_PROXY: strict.url } })),
    );
    expect(strict.requests.map((r) => [r.method, r.target, r.status])).toEqual([
      ['CONNECT', `${HOST}:443`, 403],
    ]);
    expect(err.message).toContain(
      `vpc endpoint https://${HOST} through proxy ${strict.url} (HTTPS_PROXY) answered HTTP 403`,
    );
    expect(err.message).toContain('the proxy refuses this destination');
  });

  it('a proxy that accepts and never answers the CONNECT: named, within the connect timeout', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => {
      held.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      const err = await failure(
        listConnections(apiFor({ endpoint: `https://${HOST}`, env: { HTTPS_PROXY: url } })),
      );
      expect(Date.now() - started).toBeLessThan(4500); // api.connectTimeoutMs is 2000
      expect(err.message).toContain(
        `proxy ${url} (HTTPS_PROXY) did not open the tunnel in time (ETIMEOUT) on the way to vpc endpoint https://${HOST}`,
      );
    } finally {
      for (const s of held) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a proxy setting that is not an http(s) URL stops the start with the variable named', () => {
    expect(() => apiFor({ env: { HTTPS_PROXY: 'socks5://u:hidden-pw@127.0.0.1:1080' } })).toThrow(
      'HTTPS_PROXY: "socks5://[REDACTED]@127.0.0.1:1080": only http:// and https:// proxies are supported (not socks5)',
    );
    expect(() => apiFor({ env: { HTTPS_PROXY: proxy.url, NO_PROXY: 'a b/c' } })).toThrow(/^NO_PROXY: /);
  });
});
