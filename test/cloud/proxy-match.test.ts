// Which proxy an endpoint gets: the environment variables (upper case first), api.proxy, and the
// NO_PROXY semantics of curl and Go (host suffixes, "*", ports, IP addresses, CIDR ranges).
import { describe, expect, it } from 'vitest';
import { proxyFor, proxySettings, proxySummary } from '../../src/cloud/proxy.js';

const P = 'http://proxy.corp.example:3128';
const via = (env: Record<string, string>, target: string, api = {}) =>
  proxyFor(proxySettings({ proxy: api }, env), target)?.source;

describe('proxy settings from the environment', () => {
  it('HTTPS_PROXY for https endpoints, HTTP_PROXY for http ones; upper case wins; empty is unset', () => {
    const env = { HTTPS_PROXY: P, https_proxy: 'http://other:1', http_proxy: P };
    expect(via(env, 'https://vpc.cn-hangzhou.aliyuncs.com/')).toBe('HTTPS_PROXY');
    expect(via(env, 'http://vpc.cn-hangzhou.aliyuncs.com/')).toBe('http_proxy');
    expect(via({ HTTPS_PROXY: '', https_proxy: P }, 'https://vpc.aliyuncs.com')).toBe('https_proxy');
    expect(via({ HTTP_PROXY: P }, 'https://vpc.aliyuncs.com')).toBeUndefined();
    expect(via({}, 'https://vpc.aliyuncs.com')).toBeUndefined();
  });

  it('reads a value without a scheme as http:// (as curl does)', () => {
    const s = proxySettings({ proxy: {} }, { HTTPS_PROXY: 'proxy.corp.example:3128' });
    expect(s.https?.url.href).toBe('http://proxy.corp.example:3128/');
  });

  it('api.proxy.url serves both schemes and api.proxy.noProxy replaces NO_PROXY', () => {
    const api = { url: 'https://proxy.corp.example:8443', noProxy: ['.internal'] };
    const env = { HTTPS_PROXY: P, NO_PROXY: '*' };
    expect(via(env, 'https://vpc.aliyuncs.com', api)).toBe('api.proxy.url');
    expect(via(env, 'http://vpc.aliyuncs.com', api)).toBe('api.proxy.url');
    expect(via(env, 'https://vpc.internal', api)).toBeUndefined();
    expect(proxySummary(proxySettings({ proxy: api }, env))).toEqual({
      https: 'https://proxy.corp.example:8443 (api.proxy.url)',
      http: 'https://proxy.corp.example:8443 (api.proxy.url)',
      noProxy: ['.internal'],
      noProxySource: 'api.proxy.noProxy',
    });
    expect(proxySummary(proxySettings({ proxy: {} }, { NO_PROXY: 'x' }))).toBeUndefined();
  });

  it('never sends the ECS metadata service through a proxy (it would answer with another host’s role)', () => {
    expect(via({ HTTP_PROXY: P }, 'http://100.100.100.200/latest/meta-data/ram/security-credentials/')).toBe(
      undefined,
    );
    expect(via({ HTTPS_PROXY: P }, 'https://sts.aliyuncs.com/')).toBe('HTTPS_PROXY');
  });
});

describe('NO_PROXY', () => {
  const bypassed = (noProxy: string, target: string) =>
    via({ HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: noProxy }, target) === undefined;

  it('a host name matches itself and its subdomains, with or without a leading "." or "*."', () => {
    for (const entry of ['aliyuncs.com', '.aliyuncs.com', '*.aliyuncs.com', 'ALIYUNCS.COM.']) {
      expect(bypassed(entry, 'https://vpc.cn-hangzhou.aliyuncs.com'), entry).toBe(true);
      expect(bypassed(entry, 'https://aliyuncs.com'), entry).toBe(true);
      expect(bypassed(entry, 'https://notaliyuncs.com'), entry).toBe(false);
      expect(bypassed(entry, 'https://aliyuncs.com.evil.example'), entry).toBe(false);
    }
  });

  it('"*" matches everything; entries are separated by commas and spaces', () => {
    expect(bypassed('*', 'https://vpc.aliyuncs.com')).toBe(true);
    expect(bypassed('localhost, .internal ,vpc.aliyuncs.com', 'https://vpc.aliyuncs.com')).toBe(true);
    expect(bypassed('localhost .internal', 'https://a.internal')).toBe(true);
  });

  it('a port narrows an entry to that port (the scheme’s default when the URL has none)', () => {
    expect(bypassed('vpc.aliyuncs.com:443', 'https://vpc.aliyuncs.com')).toBe(true);
    expect(bypassed('vpc.aliyuncs.com:443', 'http://vpc.aliyuncs.com')).toBe(false);
    expect(bypassed('vpc.aliyuncs.com:8443', 'https://vpc.aliyuncs.com:8443')).toBe(true);
    expect(bypassed('10.0.0.5:80', 'http://10.0.0.5/')).toBe(true);
    expect(bypassed('[2001:db8::1]:9100', 'http://[2001:db8::1]:9100/')).toBe(true);
    expect(bypassed('[2001:db8::1]:9100', 'http://[2001:db8::1]:9101/')).toBe(false);
  });

  it('IP addresses and CIDR ranges match IP endpoints (IPv4 and IPv6), not names', () => {
    expect(bypassed('192.0.2.1', 'http://192.0.2.1:9100')).toBe(true);
    expect(bypassed('192.0.2.0/24', 'http://192.0.2.77:9100')).toBe(true);
    expect(bypassed('10.0.0.0/8', 'http://192.0.2.1:9100')).toBe(false);
    expect(bypassed('2001:db8::1', 'http://[2001:db8::1]:9100')).toBe(true);
    expect(bypassed('fd00::/8', 'http://[fd12::5]/')).toBe(true);
    expect(bypassed('fd00::/8', 'http://10.0.0.1/')).toBe(false);
    expect(bypassed('192.0.2.1', 'http://gw.example:9100')).toBe(false);
  });

  it('this host’s loopback always goes direct: a proxy elsewhere would reach itself, not us', () => {
    for (const target of [
      'http://127.0.0.1:9100',
      'http://127.1.2.3/',
      'http://[::1]:9100/',
      'http://localhost:9100',
      'https://sim.localhost/',
    ])
      expect(bypassed('', target), target).toBe(true);
    expect(bypassed('', 'http://192.0.2.1:9100')).toBe(false);
    expect(bypassed('', 'https://localhost.example.com/')).toBe(false);
  });

  it('an entry it cannot read stops the start, naming the variable', () => {
    expect(() =>
      proxySettings({ proxy: {} }, { HTTPS_PROXY: P, no_proxy: 'good.example, bad/entry' }),
    ).toThrow('no_proxy: "bad/entry" is not a NO_PROXY entry');
  });
});
