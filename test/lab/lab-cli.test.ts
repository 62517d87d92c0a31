// `alivpn-doctor lab list | run` as a user runs it: a separate process through the bin shim.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, SCENARIOS, sweepStaleLabs } from '../../src/lab/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'alivpn-doctor.js');
const reason = labUnavailableReason();
if (reason) console.log(`test/lab/lab-cli.test.ts: live part skipped: ${reason}`);

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'alivpn-lab-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('alivpn-doctor lab', () => {
  it('lists every scenario with its outcome and the causes each side names', async () => {
    const r = await cli(['lab', 'list']);
    expect(r.code).toBe(0);
    for (const s of SCENARIOS) expect(r.stdout).toContain(s.name);
    expect(r.stdout).toMatch(/psk-mismatch-ikev2 +failed +psk-mismatch \/ negotiation-failed/);
  });

  it('rejects an unknown scenario and a missing sub-command with a usage error', async () => {
    const unknown = await cli(['lab', 'run', 'no-such-scenario']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown lab scenario "no-such-scenario"');
    const bare = await cli(['lab']);
    expect(bare.code).toBe(64);
    expect(bare.stderr).toContain('lab needs a sub-command');
  });

  it.skipIf(reason !== null)(
    'runs a scenario for real and writes both logs, configs and list-sas outputs',
    async () => {
      const out = join(dir, 'run');
      const r = await cli(['lab', 'run', 'ts-mismatch', '--out', out, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary).toMatchObject({ scenario: 'ts-mismatch', outcome: 'child-failed', asExpected: true });
      for (const f of ['gateway.log', 'peer.log', 'gateway.swanctl.conf', 'peer.list-sas.txt'])
        expect(existsSync(join(out, f)), f).toBe(true);
      expect(readFileSync(join(out, 'peer.log'), 'utf8')).toMatch(
        /received TS_UNACCEPTABLE notify, no CHILD_SA built/,
      );
    },
    60_000,
  );

  it('simulate --lab rejects an unknown lab scenario before starting anything', async () => {
    const r = await cli(['simulate', '--scenario', 'healthy', '--lab', 'vco-bp1hztokyo00000001:1=nope']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown lab scenario "nope"');
  });

  it.skipIf(reason !== null)(
    'simulate --lab backs a tunnel with real charons and says what the negotiation did',
    async () => {
      const child = spawn(
        process.execPath,
        [
          BIN,
          'simulate',
          '--scenario',
          'healthy',
          '--port',
          '0',
          '--lab',
          'vco-bp1hztokyo00000001:2=ts-mismatch',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
      });
      const deadline = Date.now() + 40_000;
      while (!/lab: tunnel 2/.test(out) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      expect(out).toMatch(
        /lab: tunnel 2 of vco-bp1hztokyo00000001 ran "ts-mismatch" with real charons \(child-failed\): it fails with TrafficSelectorMismatch/,
      );
    },
    60_000,
  );

  it.skipIf(reason !== null)(
    'an interrupted lab run removes its namespaces and its charons',
    async () => {
      const child = spawn(process.execPath, [BIN, 'lab', 'run', 'udp-500-blocked'], { stdio: 'ignore' });
      const ours = await labNamespacesOf(child);
      expect(ours).toHaveLength(2);
      await new Promise((r) => setTimeout(r, 1500)); // charons up, the peer retransmitting
      const exited = new Promise<NodeJS.Signals | null>((r) =>
        child.once('exit', (_code, signal) => r(signal)),
      );
      child.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      const left = netnsList();
      for (const n of ours) expect(left).not.toContain(n);
      // No process is left whose environment points at this lab (each charon's STRONGSWAN_CONF does).
      const id = /^alivpn-lab-([0-9a-f]+)-/.exec(ours[0]!)![1]!;
      expect(processesMentioning(`alivpn-lab-${id}-`)).toEqual([]);
    },
    60_000,
  );

  it.skipIf(reason !== null)(
    'a lab whose process was SIGKILLed is swept by the next one: namespaces and charons gone',
    async () => {
      const child = spawn(process.execPath, [BIN, 'lab', 'run', 'udp-500-blocked'], { stdio: 'ignore' });
      const ours = await labNamespacesOf(child);
      expect(ours).toHaveLength(2);
      await new Promise((r) => setTimeout(r, 1500));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      // The dead run cleaned nothing up; this sweep (or any lab started meanwhile) removes it.
      await sweepStaleLabs();
      for (const n of ours) expect(netnsList()).not.toContain(n);
      const id = /^alivpn-lab-([0-9a-f]+)-/.exec(ours[0]!)![1]!;
      expect(processesMentioning(`alivpn-lab-${id}-`)).toEqual([]);
    },
    60_000,
  );
});

/** The namespaces of the lab `child` runs, read from its run directory's owner file. */
async function labNamespacesOf(child: ReturnType<typeof spawn>): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 100));
    for (const entry of readdirSync(tmpdir()).filter((e) => e.startsWith('alivpn-lab-'))) {
      try {
        const owner = JSON.parse(readFileSync(join(tmpdir(), entry, 'owner.json'), 'utf8'));
        const present = netnsList();
        if (owner.pid === child.pid && owner.namespaces.every((n: string) => present.includes(n)))
          return owner.namespaces;
      } catch {
        // not written yet, or another run
      }
    }
  }
  return [];
}

function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function netnsList(): string[] {
  // stderr ignored: `ip netns list` complains about a namespace being deleted at that instant.
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);
}
