// One writer per store: `<store>.lock` holds the pid (and its start time) of the process that owns
// the store. Two writers on one store count every transition twice (each tracks its own baseline),
// so a second owner is refused with the holder's pid instead. A lock left by a process that is gone
// (kill -9, a crashed container) is taken over: the pid is not running, or is running but started at
// another time (a reused pid). Readers (`sqlite3`, the tests' direct reads) need no lock.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { asStoreError, StoreError } from './errors.js';

interface Holder {
  pid: number;
  host: string;
  /** Start time of the process (/proc/<pid>/stat field 22, clock ticks since boot), null elsewhere. */
  started: string | null;
}

export interface StoreLock {
  readonly path: string;
  release(): void;
}

/** Stores this process has locked (a second open in the same process is as wrong as in another). */
const heldHere = new Set<string>();

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number'
      ? { pid: h.pid, host: String(h.host ?? ''), started: h.started ?? null }
      : null;
  } catch {
    return null;
  }
}

/** Whether the recorded holder is a live process other than this one. */
function alive(h: Holder): boolean {
  if (h.pid === process.pid) return false; // our own pid from an earlier life (pid 1 in a container)
  if (!running(h.pid)) return false;
  const started = startTimeOf(h.pid);
  return h.started === null || started === null || started === h.started;
}

/** An unreadable lock file this young is being written by its owner, not abandoned. */
function justCreated(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 2_000;
  } catch {
    return false;
  }
}

/** Take the lock of the store at `storePath`, or throw a StoreError naming the holder. */
export function lockStore(storePath: string): StoreLock {
  const path = `${storePath}.lock`;
  if (heldHere.has(path))
    throw new StoreError(storePath, 'locked', `is already open in this process (pid ${process.pid})`);
  const me: Holder = { pid: process.pid, host: hostname(), started: startTimeOf(process.pid) };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new StoreError(storePath, 'unopenable', `cannot create its lock file ${path} (${code})`, {
          cause: err,
        });
      }
      const holder = readHolder(path);
      if (holder ? alive(holder) : justCreated(path)) {
        const who = holder ? `pid ${holder.pid} on ${holder.host}` : 'a process starting right now';
        throw new StoreError(
          storePath,
          'locked',
          `is in use by another alivpn-doctor (${who}, lock file ${path})`,
        );
      }
      // Left by a process that is gone, or half-written by one starting right now: retry once after
      // removing it; a second EEXIST means someone else won the race.
      if (attempt > 0) {
        throw new StoreError(storePath, 'locked', `its lock file ${path} is being taken by another process`);
      }
      try {
        unlinkSync(path);
      } catch {
        // someone else removed it first
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } catch (err) {
      unlinkSync(path);
      throw asStoreError(err, storePath); // a full disk shows here first
    } finally {
      closeSync(fd);
    }
    heldHere.add(path);
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        heldHere.delete(path);
        if (readHolder(path)?.pid === process.pid) {
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        }
      },
    };
  }
}
