// scripts/system-deps.sh against a fake Debian: apt-get, dpkg-query, pgrep and systemctl are
// stand-ins on PATH that record what the script asked, but the processes are real. The script must
// install only what is missing, keep services from starting during its install (policy-rc.d), and
// stop only what it started: a Prometheus the developer already runs survives.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'system-deps.sh');
/** Running, and not a zombie waiting to be reaped. */
const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

interface FakeDebian {
  dir: string;
  bin: string;
  ipsec: string;
  policy: string;
  env: NodeJS.ProcessEnv;
  log: () => string;
}

const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function script(path: string, body: string) {
  writeFileSync(path, `#!/bin/bash\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A machine where `present` commands exist and `installed` packages are in dpkg's database. */
function fakeDebian(present: string[], installed: string[], strongswan: boolean): FakeDebian {
  const dir = mkdtempSync(join(tmpdir(), 'alivpn-system-deps-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  const ipsec = join(dir, 'ipsec');
  mkdirSync(bin);
  mkdirSync(join(ipsec, 'plugins'), { recursive: true });
  for (const tool of ['tee', 'chmod', 'rm']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  writeFileSync(join(dir, 'dpkg'), installed.map((p) => `${p}\n`).join(''));
  writeFileSync(join(dir, 'pids'), '');
  writeFileSync(join(dir, 'log'), '');
  const log = join(dir, 'log');
  script(join(bin, 'id'), 'echo 0');
  script(
    join(bin, 'dpkg-query'),
    `/usr/bin/grep -qx "\${@: -1}" ${dir}/dpkg && printf 'install ok installed' || exit 1`,
  );
  script(join(bin, 'pgrep'), `/usr/bin/cat ${dir}/pids`);
  script(join(bin, 'systemctl'), `echo "systemctl $*" >> ${log}`);
  // apt-get: records its arguments and whether a policy forbade starting services; an install
  // "starts" one service process (a real process) as Debian's postinst would without a policy.
  script(
    join(bin, 'apt-get'),
    [
      `echo "apt-get $*" >> ${log}`,
      'if [ "$1" = install ]; then',
      `  if [ -x "$ALIVPN_POLICY_RC_D" ]; then "$ALIVPN_POLICY_RC_D"; echo "policy-rc.d exit $?" >> ${log}; fi`,
      `  for p in "$@"; do echo "$p" >> ${dir}/dpkg; done`,
      `  /usr/bin/sleep 300 </dev/null >/dev/null 2>&1 & echo $! >> ${dir}/pids; echo "started $!" >> ${log}`,
      'fi',
    ].join('\n'),
  );
  for (const cmd of present) script(join(bin, cmd), 'exit 0');
  const chromium = join(dir, 'chromium');
  script(chromium, 'exit 0');
  if (strongswan) {
    script(join(ipsec, 'charon'), 'exit 0');
    for (const p of ['openssl', 'kernel-libipsec', 'curve25519'])
      writeFileSync(join(ipsec, 'plugins', `libstrongswan-${p}.so`), '');
  }
  return {
    dir,
    bin,
    ipsec,
    policy: join(dir, 'policy-rc.d'),
    env: {
      PATH: bin,
      ALIVPN_IPSEC_DIR: ipsec,
      ALIVPN_CHROMIUM: chromium,
      ALIVPN_POLICY_RC_D: join(dir, 'policy-rc.d'),
    },
    log: () => readFileSync(log, 'utf8'),
  };
}

function runScript(env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/bash', [SCRIPT], { env, timeout: 20_000 }, (err, _out, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr }),
    );
  });
}

const ALL = ['promtool', 'prometheus', 'alertmanager', 'swanctl', 'ip', 'iptables'];

describe('scripts/system-deps.sh', () => {
  it('does nothing when every tool is there', async () => {
    const deb = fakeDebian(ALL, [], true);
    const r = await runScript(deb.env);
    expect(r.code, r.stderr).toBe(0);
    expect(deb.log()).toBe('');
  });

  it('installs the missing strongSwan lab packages and Prometheus, with services held back, and stops only what it started', async () => {
    const deb = fakeDebian(['alertmanager', 'ip'], ['prometheus-alertmanager'], false);
    // The developer's own Prometheus, running before the script.
    const mine = spawn('/usr/bin/sleep', ['300'], { stdio: 'ignore' });
    procs.push(mine);
    writeFileSync(join(deb.dir, 'pids'), `${mine.pid}\n`);

    const r = await runScript(deb.env);
    expect(r.code, r.stderr).toBe(0);
    const log = deb.log();
    const install = log.split('\n').find((l) => l.startsWith('apt-get install'))!;
    for (const pkg of [
      'prometheus',
      'strongswan-charon',
      'strongswan-swanctl',
      'libstrongswan-standard-plugins',
      'libcharon-extra-plugins',
      'libstrongswan-extra-plugins',
      'iptables',
    ])
      expect(install.split(' ')).toContain(pkg);
    expect(install.split(' ')).not.toContain('prometheus-alertmanager');
    expect(install.split(' ')).not.toContain('iproute2');
    expect(install).toContain('--no-install-recommends');
    // During the install a policy told Debian not to start services; afterwards it is gone.
    expect(log).toContain('policy-rc.d exit 101');
    expect(existsSync(deb.policy)).toBe(false);
    // The service the install started is stopped; the developer's Prometheus lives on.
    const started = Number(/started (\d+)/.exec(log)![1]);
    await new Promise((res) => setTimeout(res, 200));
    expect(alive(started)).toBe(false);
    expect(alive(mine.pid!)).toBe(true);
    // A unit of a package that was installed before is never touched.
    expect(log).not.toContain('prometheus-alertmanager.service');
  }, 30_000);

  it('leaves a policy-rc.d the machine already has as it is', async () => {
    const deb = fakeDebian(
      ALL.filter((c) => c !== 'swanctl'),
      [],
      true,
    );
    const own = '#!/bin/sh\n# the machine owner policy\nexit 101\n';
    writeFileSync(deb.policy, own);
    chmodSync(deb.policy, 0o755);
    const r = await runScript(deb.env);
    expect(r.code, r.stderr).toBe(0);
    expect(deb.log()).toMatch(/apt-get install .*strongswan-swanctl/);
    expect(readFileSync(deb.policy, 'utf8')).toBe(own);
    const started = Number(/started (\d+)/.exec(deb.log())![1]);
    process.kill(started, 'SIGKILL');
  }, 30_000);
});
