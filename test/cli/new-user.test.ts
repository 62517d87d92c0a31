// The CLI as a new user meets it (issue 16): the real binary in its own process, against the
// simulator. Every command answers --help; a connection that does not exist is said to be missing,
// not "OK (0 connections)"; counts are singular when they are one; a credential failure is not
// "No connections match."; no config says how to give one; diagnose does not need the server's
// token; new well-formed region ids pass with a warning while typos still get "did you mean"; a busy
// port is one line and exit 3; listening on all interfaces without a token is a warning, and the
// start-up line names a URL that is not loopback.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<Run> {
  const base = { ...process.env };
  delete base.ALIVPN_CONFIG;
  delete base.ALIVPN_TOKEN;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...base, ...env }, timeout: 90_000, ...(cwd && { cwd }) },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the CLI a new user meets', { timeout: 180_000 }, () => {
  let sim: TestSimulator;
  let dir: string;

  /** A config for the simulator's first account; `extra` lines go on top, `regions` replace its own. */
  function config(opts: { extra?: string[]; regions?: string[]; secret?: string } = {}): string {
    const key = sim.keys[0]!;
    const regions = opts.regions ?? sim.world.accounts[0]!.regions.map((r) => r.id);
    const path = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      path,
      [
        ...(opts.extra ?? []),
        `storage: { path: ${join(dir, `s-${Math.random().toString(36).slice(2)}.db`)} }`,
        'api: { readTimeoutMs: 3000, retries: { max: 0, baseDelayMs: 1, maxDelayMs: 2 } }',
        'accounts:',
        '  - name: prod',
        `    accessKeyId: ${key.accessKeyId}`,
        `    accessKeySecret: ${opts.secret ?? key.accessKeySecret}`,
        `    regions: [${regions.join(', ')}]`,
        `    endpoint: ${sim.url}`,
        '',
      ].join('\n'),
    );
    return path;
  }

  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'healthy', clock: 'real' });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-new-user-'));
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers --help for every command it lists, with exit 0 and its usage', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    const commands = [...top.stdout.matchAll(/^ {2}alivpn-doctor (\S+)/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['serve', 'diagnose', 'simulate', 'demo', 'rules']));
    const runs = await Promise.all(commands.map((c) => cli([c, '--help'])));
    runs.forEach((r, i) => {
      expect([commands[i], r.code, r.stderr]).toEqual([commands[i], 0, '']);
      expect(r.stdout).toMatch(new RegExp(`^Usage: alivpn-doctor ${commands[i]}`));
    });
  });

  it('says a connection was not found instead of "OK (0 connections)"', async () => {
    const r = await cli(['diagnose', '--config', config(), '--connection', 'vco-nope']);
    expect(r.code).toBe(3);
    expect(r.stdout).not.toContain('OK');
    expect(r.stdout).not.toContain('0 connections');
    expect(r.stdout).toContain(
      'UNKNOWN: connection vco-nope was not found in any configured account or region',
    );
    expect(r.stdout).toContain('prod / cn-hangzhou');
  });

  it('counts one connection in the singular', async () => {
    const id = sim.world.accounts[0]!.regions[0]!.connections[0]!.id;
    const r = await cli(['diagnose', '--config', config(), '--connection', id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(1 connection)');
    expect(r.stdout).not.toContain('1 connections');
  });

  it('after a credential failure says nothing could be read, not "No connections match."', async () => {
    const r = await cli(['diagnose', '--config', config({ secret: 'wrong-secret' })]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('SignatureDoesNotMatch');
    expect(r.stdout).not.toContain('No connections match.');
    expect(r.stdout).toContain('No connections to show: 2 account/region pairs could not be collected');
  });

  it('without --config or ALIVPN_CONFIG says so and how to give one', async () => {
    const empty = mkdtempSync(join(dir, 'cwd-'));
    for (const command of ['diagnose', 'serve']) {
      const r = await cli([command], {}, empty);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('no config given: pass --config FILE, or set ALIVPN_CONFIG=FILE');
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('runs diagnose without ALIVPN_TOKEN (only serve needs it)', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a config-file ${ENV} reference
    const path = config({ extra: ['server: { listen: "127.0.0.1:9756", authToken: "${ALIVPN_TOKEN}" }'] });
    const r = await cli(['diagnose', '--config', path]);
    expect(r.stderr).not.toContain('ALIVPN_TOKEN');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK (5 connections)');
    const serve = await cli(['serve', '--config', path]);
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toContain('server.authToken: environment variable ALIVPN_TOKEN is not set');
  });

  it('accepts well-formed region ids it does not know with a warning, and still catches typos', async () => {
    const fresh = await cli([
      'diagnose',
      '--config',
      config({ regions: ['cn-hangzhou', 'ap-southeast-8', 'eu-central-2', 'sa-east-1'] }),
      '--format',
      'json',
    ]);
    expect(fresh.stderr).not.toContain('did you mean');
    for (const id of ['ap-southeast-8', 'eu-central-2', 'sa-east-1'])
      expect(fresh.stderr).toContain(
        `"${id}" is not in this release's list of Alibaba Cloud regions; watching it as given`,
      );
    expect(JSON.parse(fresh.stdout).schemaVersion).toBe(1);
    const typo = await cli(['diagnose', '--config', config({ regions: ['cn-hangzou'] })]);
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain(
      '"cn-hangzou" is not a known Alibaba Cloud region id (did you mean cn-hangzhou?)',
    );
  });

  it('on a busy port, serve and demo say which address and what to do in one line, and exit 3', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const serve = await cli([
        'serve',
        '--config',
        config({ extra: [`server: { listen: "127.0.0.1:${port}" }`] }),
      ]);
      const demo = await cli(['demo', '--port', String(port)]);
      for (const r of [serve, demo]) {
        expect(r.code).toBe(3);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is already in use`);
        expect(r.stderr).toContain('choose another port');
        expect(r.stderr).not.toContain('EADDRINUSE');
        expect(r.stderr).not.toMatch(/^\s+at /m);
      }
    } finally {
      blocker.close();
    }
  });

  it('names product, action, endpoint, HTTP status and what to check when a call fails', async () => {
    const html404 = createHttpServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
    });
    const silent = createHttpServer(() => undefined); // accepts, never answers
    const closed = await freePort();
    await Promise.all([html404, silent].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    const at = (s: HttpServer) => `http://127.0.0.1:${(s.address() as { port: number }).port}`;
    const key = sim.keys[0]!;
    const account = (name: string, endpoint: string) => [
      `  - name: ${name}`,
      `    accessKeyId: ${key.accessKeyId}`,
      `    accessKeySecret: ${key.accessKeySecret}`,
      '    regions: [cn-hangzhou]',
      `    endpoint: ${endpoint}`,
    ];
    const path = join(dir, 'endpoints.yaml');
    writeFileSync(
      path,
      [
        `storage: { path: ${join(dir, 'endpoints.db')} }`,
        'api: { connectTimeoutMs: 1000, readTimeoutMs: 1000, retries: { max: 0, baseDelayMs: 1, maxDelayMs: 2 } }',
        'accounts:',
        ...account('closed', `http://127.0.0.1:${closed}`),
        ...account('html', at(html404)),
        ...account('silent', at(silent)),
        ...account('wrongkey', sim.url).map((l) => l.replace(key.accessKeySecret, 'wrong-secret')),
        '',
      ].join('\n'),
    );
    try {
      const r = await cli(['diagnose', '--config', path, '--format', 'json']);
      expect(r.code).toBe(3);
      const errors = (JSON.parse(r.stdout) as { errors: { account: string; message: string }[] }).errors;
      const of = (account: string) => errors.find((e) => e.account === account)?.message ?? '';
      expect(of('closed')).toBe(
        `DescribeVpnConnections: NetworkError: vpc endpoint http://127.0.0.1:${closed} refused the connection (ECONNREFUSED); check the endpoint (accounts[].endpoint / endpoints, or the region) and that this host may connect to it (firewall egress to TCP 443, or the proxy in between; docs/real-account.md lists the hosts)`,
      );
      expect(of('html')).toContain(
        `BadResponse: vpc endpoint ${at(html404)} answered HTTP 404 (text/html), not the API's JSON`,
      );
      expect(of('html')).toContain('check that the endpoint is an Alibaba Cloud API endpoint');
      expect(of('silent')).toContain(
        `Timeout: no complete answer from vpc endpoint ${at(silent)} within 2000 ms (api.connectTimeoutMs 1000 + api.readTimeoutMs 1000)`,
      );
      expect(of('wrongkey')).toContain(`SignatureDoesNotMatch`);
      expect(of('wrongkey')).toContain(
        `(HTTP 400 from vpc endpoint ${sim.url}); check the AccessKey pair or STS token of account wrongkey`,
      );
      for (const e of errors) {
        expect(e.message).not.toMatch(/\d(GET|POST) http/); // httpx's glued "…9199POST http://…"
        expect(e.message).not.toContain('ConnectTimeout');
        expect(e.message).not.toMatch(/failed\.$/);
      }
    } finally {
      html404.close();
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('warns when listening on all interfaces without a token, and logs a URL that is not loopback', async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      [BIN, 'serve', '--config', config({ extra: [`server: { listen: "0.0.0.0:${port}" }`] })],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!/without server\.authToken/.test(out) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number | string; msg: string; url?: string });
      const listening = lines.find((l) => /listening on/.test(l.msg));
      expect(listening?.msg).toContain(`all interfaces (0.0.0.0), port ${port}`);
      expect(listening?.url).toMatch(new RegExp(`^http://[^/]+:${port}$`));
      expect(listening?.url).not.toContain('127.0.0.1');
      const warning = lines.find((l) => /without server\.authToken/.test(l.msg));
      expect(warning?.level === 40 || warning?.level === 'warn').toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
