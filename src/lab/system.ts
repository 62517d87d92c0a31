// Running the host tools the lab drives (ip, iptables, swanctl) and telling whether this host can run it.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

/** Where Debian's strongswan-charon installs the daemon and its plugins. */
export const CHARON_BIN = '/usr/lib/ipsec/charon';
export const PLUGIN_DIR = '/usr/lib/ipsec/plugins';

export class LabCommandError extends Error {
  override name = 'LabCommandError';
  constructor(
    readonly command: string,
    readonly code: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`lab: \`${command}\` failed (exit ${code}): ${(stderr || stdout).trim().slice(0, 500)}`);
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; resolves with its exit code (never rejects on a non-zero exit). */
export function run(file: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (
        err &&
        typeof (err as NodeJS.ErrnoException).code === 'string' &&
        !('killed' in err && err.killed)
      ) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT')
          return reject(new LabCommandError([file, ...args].join(' '), code, '', String(err)));
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Like run(), but a non-zero exit is an error naming the command. */
export async function must(file: string, args: string[], timeoutMs?: number): Promise<RunResult> {
  const r = await run(file, args, timeoutMs);
  if (r.code !== 0) throw new LabCommandError([file, ...args].join(' '), r.code, r.stdout, r.stderr);
  return r;
}

/** Synchronous best-effort command for exit-time cleanup; errors are ignored. */
export function bestEffortSync(file: string, args: string[]): void {
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 5_000 });
  } catch {
    // cleanup continues with the next item
  }
}

function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    try {
      accessSync(`${dir}/${cmd}`, constants.X_OK);
      return true;
    } catch {
      // next directory
    }
  }
  return false;
}

/**
 * Why this host cannot run the lab, or null when it can. Tests print the reason and skip;
 * CI runs as root with the packages of scripts/system-deps.sh installed.
 */
export function labUnavailableReason(): string | null {
  if (process.platform !== 'linux')
    return `the strongSwan lab needs Linux network namespaces (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'the strongSwan lab needs root (network namespaces, mounts, iptables)';
  if (!existsSync(CHARON_BIN)) return `charon not found at ${CHARON_BIN} (Debian package strongswan-charon)`;
  const missing = ['swanctl', 'ip', 'iptables'].filter((c) => !onPath(c));
  if (missing.length > 0)
    return `missing commands: ${missing.join(', ')} (Debian packages strongswan-swanctl, iproute2, iptables)`;
  for (const plugin of ['kernel-libipsec', 'vici', 'openssl'])
    if (!existsSync(`${PLUGIN_DIR}/libstrongswan-${plugin}.so`))
      return `charon plugin ${plugin} not found in ${PLUGIN_DIR} (Debian packages libcharon-extra-plugins, libstrongswan-extra-plugins)`;
  if (!existsSync('/dev/net/tun'))
    return '/dev/net/tun is missing (kernel-libipsec carries ESP through a TUN device)';
  return null;
}

/** The installed strongSwan version as charon reports it, e.g. "5.9.8". */
export async function strongswanVersion(): Promise<string> {
  // swanctl prints its own version even when no daemon answers (then it exits non-zero).
  const r = await run('swanctl', ['--version']);
  const m = /strongSwan (\d+\.\d+\.\d+\w*)/.exec(`${r.stdout}\n${r.stderr}`);
  return m?.[1] ?? 'unknown';
}
