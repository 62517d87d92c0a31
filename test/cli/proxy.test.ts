// `alivpn-doctor diagnose` behind a corporate proxy, as a user runs it: a separate process with
// HTTPS_PROXY (user:password@) in its environment and an https endpoint only the proxy can route.
// The chain is real end to end: the SDK → CONNECT through the proxy on loopback (which wants
// Proxy-Authorization) → TLS (a certificate made here, trusted through NODE_EXTRA_CA_CERTS) →
// the project's simulator. NO_PROXY then sends the same calls direct, and they fail on DNS.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { startHttpProxy, type TestHttpProxy } from '../support/http-proxy.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');
/** RFC 6761: never resolves, so only the proxy's route reaches the simulator. */
const HOST = 'vpc.alivpn.invalid';
const PASSWORD = 'Corp-Proxy-Pass-77';
/** Where the credential chain's OIDC provider asks for STS credentials (ALIBABA_CLOUD_STS_REGION). */
const STS = 'sts.cn-hangzhou.aliyuncs.com';

/** Proxy variables of the machine running the tests must not leak into the child. */
const CLEAN = Object.fromEntries(
  ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'].map((k) => [k, '']),
);

function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...CLEAN, ...env }, timeout: 90_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('diagnose through HTTPS_PROXY (CONNECT, TLS to the endpoint)', { timeout: 180_000 }, () => {
  let sim: TestSimulator;
  let proxy: TestHttpProxy;
  let tls: Server;
  let sts: ReturnType<typeof createHttpsServer>;
  const stsCalls: string[] = [];
  let dir: string;
  let chainConfigPath: string;
  let tokenPath: string;
  let configPath: string;
  let caPath: string;

  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'healthy', clock: 'real' });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-proxy-'));
    caPath = join(dir, 'cert.pem');
    const keyPath = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${HOST}`,
        '-addext',
        `subjectAltName=DNS:${HOST},DNS:${STS}`,
        '-keyout',
        keyPath,
        '-out',
        caPath,
      ],
      { stdio: 'ignore' },
    );
    // The "API host": TLS in front of the simulator, as Alibaba's endpoints speak only HTTPS.
    tls = createServer({ key: readFileSync(keyPath), cert: readFileSync(caPath) }, (socket) => {
      const upstream = connect(sim.port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const tlsPort = (tls.address() as { port: number }).port;
    const key = sim.keys[0]!;
    // STS for the credential chain (RRSA/OIDC): hands out the simulator's key with a session token.
    sts = createHttpsServer({ key: readFileSync(keyPath), cert: readFileSync(caPath) }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        stsCalls.push(
          `${req.method} ${req.headers.host} ${new URLSearchParams(req.url?.split('?')[1]).get('Action')}`,
        );
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            RequestId: 'sts-test',
            Credentials: {
              AccessKeyId: key.accessKeyId,
              AccessKeySecret: key.accessKeySecret,
              SecurityToken: 'sts-session-token-from-the-test',
              Expiration: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
    const stsPort = (sts.address() as { port: number }).port;
    proxy = await startHttpProxy({
      auth: `ops:${PASSWORD}`,
      routes: { [`${HOST}:443`]: `127.0.0.1:${tlsPort}`, [`${STS}:443`]: `127.0.0.1:${stsPort}` },
    });
    configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        `storage: { path: ${join(dir, 'alivpn.db')} }`,
        'logging: { level: debug }', // diagnose shows info lines (the proxy in use) only below info
        'api: { readTimeoutMs: 5000, retries: { max: 0 } }',
        'accounts:',
        `  - name: ${key.account}`,
        `    accessKeyId: ${key.accessKeyId}`,
        `    accessKeySecret: ${key.accessKeySecret}`,
        `    regions: [${sim.world.accounts[0]!.regions.map((r) => r.id).join(', ')}]`,
        `    endpoint: https://${HOST}`,
        '',
      ].join('\n'),
    );
    // The same account with no AccessKey: the @alicloud/credentials default chain (OIDC here).
    chainConfigPath = join(dir, 'chain.yaml');
    writeFileSync(chainConfigPath, readFileSync(configPath, 'utf8').replace(/^ {4}access.*\n/gm, ''));
    tokenPath = join(dir, 'oidc-token');
    writeFileSync(tokenPath, 'eyJhbGciOiJSUzI1NiJ9.e30.signature-of-a-test-token');
  });
  afterAll(async () => {
    await Promise.all([
      sim?.close(),
      proxy?.close(),
      new Promise((r) => (tls ? tls.close(r) : r(null))),
      new Promise((r) => (sts ? sts.close(r) : r(null))),
    ]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('collects the whole world through the proxy and logs the proxy without its password', async () => {
    const run = await cli(['diagnose', '--config', configPath, '--format', 'json'], {
      HTTPS_PROXY: proxy.url.replace('http://', `http://ops:${PASSWORD}@`),
      NODE_EXTRA_CA_CERTS: caPath,
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.status).toBe('ok');
    expect(report.errors).toEqual([]);
    expect(report.connections.length).toBe(
      sim.world.accounts[0]!.regions.flatMap((r) => r.connections).length,
    );
    // Every call was a CONNECT to the API host, authenticated; none was forwarded in the clear.
    expect(proxy.requests.length).toBeGreaterThan(3);
    for (const r of proxy.requests) {
      expect([r.method, r.target, r.status]).toEqual(['CONNECT', `${HOST}:443`, 200]);
      expect(r.proxyAuthorization).toBe(`Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`);
    }
    const line = run.stderr.split('\n').find((l) => l.includes('go through an HTTP(S) proxy'));
    expect(JSON.parse(line!).proxy).toEqual({
      https: `http://[REDACTED]@127.0.0.1:${proxy.port} (HTTPS_PROXY)`,
    });
    expect(run.stderr + run.stdout).not.toContain(PASSWORD);
  });

  it('the credential chain’s STS call (RRSA/OIDC) goes through the proxy too', async () => {
    proxy.requests.length = 0;
    const run = await cli(['diagnose', '--config', chainConfigPath, '--format', 'json'], {
      HTTPS_PROXY: proxy.url.replace('http://', `http://ops:${PASSWORD}@`),
      NODE_EXTRA_CA_CERTS: caPath,
      ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
      ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1234567890123456:role/alivpn-doctor-readonly',
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1234567890123456:oidc-provider/ack-rrsa-test',
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenPath,
      ALIBABA_CLOUD_STS_REGION: 'cn-hangzhou',
    });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect((JSON.parse(run.stdout) as Report).status).toBe('ok');
    expect(stsCalls).toEqual([`POST ${STS} AssumeRoleWithOIDC`]);
    const targets = proxy.requests.map((r) => `${r.method} ${r.target} ${r.status}`);
    expect(targets[0]).toBe(`CONNECT ${STS}:443 200`);
    expect(new Set(targets.slice(1))).toEqual(new Set([`CONNECT ${HOST}:443 200`]));
  });

  it('NO_PROXY sends the calls direct: the proxy sees nothing and the endpoint does not resolve', async () => {
    proxy.requests.length = 0;
    const run = await cli(['diagnose', '--config', configPath, '--format', 'json'], {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: 'localhost,.alivpn.invalid',
      NODE_EXTRA_CA_CERTS: caPath,
    });
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.status).toBe('unknown');
    expect(report.errors.map((e) => e.message).join('\n')).toMatch(
      new RegExp(
        `endpoint https://${HOST.replaceAll('.', '\\.')} (has a host name that does not resolve|could not be resolved)`,
      ),
    );
    expect(proxy.requests).toEqual([]);
  });

  it('a proxy variable it cannot use: one line naming it (no password, no stack), exit 3', async () => {
    const run = await cli(['diagnose', '--config', configPath], {
      HTTPS_PROXY: `socks5://ops:${PASSWORD}@127.0.0.1:1080`,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      'alivpn-doctor diagnose: HTTPS_PROXY: "socks5://[REDACTED]@127.0.0.1:1080": only http:// and https:// proxies are supported (not socks5); fix or unset it, or set api.proxy in the config (docs/real-account.md, "Through an HTTP(S) proxy")\n',
    );
  });
});
