// `alivpn-doctor diagnose` as a user runs it: a separate process, a YAML config, the simulator as
// the cloud. Checks the report on stdout and the exit code contract of docs/architecture.md.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function writeConfig(dir: string, sim: TestSimulator): string {
  const key = sim.keys[0]!;
  const regions = sim.world.accounts[0]!.regions.map((r) => r.id);
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    [
      'storage:',
      `  path: ${join(dir, 'alivpn.db')}`,
      'api: { readTimeoutMs: 3000, retries: { max: 1, baseDelayMs: 1, maxDelayMs: 2 } }',
      'accounts:',
      '  - name: prod',
      `    accessKeyId: ${key.accessKeyId}`,
      // The secret comes from the environment, as a user would keep it out of the file.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a config-file ${ENV} reference, not a template
      '    accessKeySecret: ${SIM_SECRET}',
      `    regions: [${regions.join(', ')}]`,
      `    endpoint: ${sim.url}`,
      '',
    ].join('\n'),
  );
  return path;
}

// Each case spawns the CLI (tsx-compiled): slow on a busy 2-core machine, so generous budgets.
describe('diagnose against the healthy simulated world', { timeout: 120_000 }, () => {
  let sim: TestSimulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'healthy', clock: 'real' });
    dir = mkdtempSync(join(tmpdir(), 'alivpn-cli-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a JSON report with every connection and both tunnels, and exits 0', async () => {
    const config = writeConfig(dir, sim);
    const { code, stdout, stderr } = await cli(['diagnose', '--config', config, '--format', 'json'], {
      SIM_SECRET: sim.keys[0]!.accessKeySecret,
    });
    const report = JSON.parse(stdout) as Report;
    expect(report.schemaVersion).toBe(1);
    const expected = sim.world.accounts.flatMap((a) =>
      a.regions.flatMap((r) => r.connections.map((c) => c.id)),
    );
    expect(report.connections.map((c) => c.id).sort()).toEqual([...expected].sort());
    for (const c of report.connections) {
      expect(c.tunnels.map((t) => [t.role, t.up])).toEqual([
        ['primary', true],
        ['standby', true],
      ]);
      expect(c.onStandby).toBe(false);
      expect(c.activeTunnelId).toBe(c.tunnels[0]!.id);
    }
    expect(report.status).toBe('ok');
    expect(stderr).not.toContain(sim.keys[0]!.accessKeySecret);
    expect(stdout).not.toContain(sim.keys[0]!.accessKeySecret);
    expect(code).toBe(0);
  });

  it('renders text and Japanese Markdown for one connection', async () => {
    const config = writeConfig(dir, sim);
    const id = sim.world.accounts[0]!.regions[0]!.connections[0]!.id;
    const env = { SIM_SECRET: sim.keys[0]!.accessKeySecret };
    const text = await cli(['diagnose', '--config', config, '--connection', id], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(id);
    const md = await cli(
      ['diagnose', '--config', config, '--connection', id, '--format', 'markdown', '--lang', 'ja'],
      env,
    );
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(id);
    expect(md.stdout).toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/); // Japanese text
  });

  it('exits 3 with the region in errors when the credentials are wrong', async () => {
    const config = writeConfig(dir, sim);
    const { code, stdout } = await cli(['diagnose', '--config', config, '--format', 'json'], {
      SIM_SECRET: 'not-the-secret',
    });
    const report = JSON.parse(stdout) as Report;
    expect(report.status).toBe('unknown');
    expect(report.errors.length).toBe(sim.world.accounts[0]!.regions.length);
    expect(report.errors[0]!.message).toMatch(/SignatureDoesNotMatch/);
    expect(stdout).not.toContain('not-the-secret');
    expect(code).toBe(3);
  });

  it('rejects a bad config with the field path, and bad flags with usage, as unknown (3)', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'accounts:\n  - name: prod\n    regions: [cn-hangzou]\n    pollInterval: 5\n');
    const res = await cli(['diagnose', '--config', bad]);
    expect(res.code).toBe(3); // no verdict: unknown, the monitoring-plugin convention
    expect(res.stderr).toContain('accounts[0].regions[0]');
    expect(res.stderr).toContain('did you mean cn-hangzhou');
    expect(res.stderr).toContain('accounts[0].pollInterval');
    const flags = await cli(['diagnose', '--format', 'yaml']);
    expect(flags.code).toBe(3);
    expect(flags.stderr).toContain('--format must be one of text, json, markdown');
  });
});

describe('diagnose during the failover drill', { timeout: 120_000 }, () => {
  let sim: TestSimulator;
  let dir: string;
  beforeAll(async () => {
    // The drill's primary fails at t+60 s: start the world 90 s in the past and catch it up.
    sim = await startTestSimulator({
      scenario: 'failover-drill',
      clock: 'manual',
      startAt: Date.now() - 90_000,
    });
    sim.advance(90);
    dir = mkdtempSync(join(tmpdir(), 'alivpn-cli-drill-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the standby tunnel carrying the traffic after the failure, with the cause as a warning (traffic still flows), and exits 1', async () => {
    const config = writeConfig(dir, sim);
    const { code, stdout } = await cli(['diagnose', '--config', config, '--format', 'json'], {
      SIM_SECRET: sim.keys[0]!.accessKeySecret,
    });
    const report = JSON.parse(stdout) as Report;
    const drill = report.connections.find((c) => c.id === 'vco-bp1hztokyo00000001')!;
    expect(drill.onStandby).toBe(true);
    expect(drill.activeTunnelId).toBe(drill.tunnels[1]!.id);
    expect(drill.tunnels.map((t) => [t.role, t.up])).toEqual([
      ['primary', false],
      ['standby', true],
    ]);
    expect(drill.findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['failover-active', 'peer-unreachable']),
    );
    expect(drill.findings.find((f) => f.rule === 'peer-unreachable')?.tunnelId).toBe(drill.tunnels[0]!.id);
    // Severity follows impact: the connection still carries traffic, so the cause is a warning.
    expect(drill.findings.find((f) => f.rule === 'peer-unreachable')?.severity).toBe('warning');
    expect(report.status).toBe('warning');
    expect(code).toBe(1);
  });
});
