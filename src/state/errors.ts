// What can go wrong with the state store, said once: every failure to open, write or lock the SQLite
// file becomes a StoreError naming the path, what happened and what to do about it. The CLI maps it
// to exit 3 (the store is something it cannot use) with this one line; the daemon turns a failed
// write into a failed tier (see docs/real-account.md).

export type StoreProblem = 'unopenable' | 'full' | 'locked' | 'corrupt' | 'readonly' | 'newer' | 'io';

const REMEDY: Record<StoreProblem, string> = {
  unopenable: 'check storage.path: its directory must exist or be creatable and be writable by this user',
  full: 'free space on the volume that holds storage.path (or lower storage.retentionDays)',
  locked: 'another alivpn-doctor serve owns this store: stop it, or give this one its own storage.path',
  corrupt:
    'the file is not a usable SQLite database: move it aside (it keeps the old history) and start again',
  readonly: 'make storage.path and its directory writable by this user',
  newer: 'run the newer alivpn-doctor build that wrote it, or give this one its own storage.path',
  io: 'check the volume that holds storage.path (disk errors, a network file system that lost its locks)',
};

export class StoreError extends Error {
  readonly path: string;
  readonly problem: StoreProblem;
  readonly remedy: string;

  constructor(path: string, problem: StoreProblem, detail: string, options?: { cause?: unknown }) {
    const remedy = REMEDY[problem];
    super(`state store ${path}: ${detail}; ${remedy}`, options);
    this.name = 'StoreError';
    this.path = path;
    this.problem = problem;
    this.remedy = remedy;
  }
}

/** SQLite result codes (better-sqlite3's `code`) and errno codes, by what a person can do about them. */
function problemOf(code: string): StoreProblem | null {
  if (/^SQLITE_FULL/.test(code) || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'locked';
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return 'corrupt';
  if (/^SQLITE_READONLY/.test(code) || code === 'EROFS') return 'readonly';
  if (
    /^SQLITE_(CANTOPEN|PERM|AUTH)/.test(code) ||
    /^E(ACCES|PERM|NOTDIR|ISDIR|NOENT|EXIST|LOOP|NAMETOOLONG)$/.test(code)
  )
    return 'unopenable';
  if (/^SQLITE_IOERR/.test(code) || code === 'EIO') return 'io';
  return null;
}

const DETAIL: Record<StoreProblem, string> = {
  unopenable: 'cannot be opened',
  full: 'the disk is full',
  locked: 'is locked by another process',
  corrupt: 'is corrupt',
  readonly: 'is read-only',
  newer: 'was written by a newer build',
  io: 'disk I/O error',
};

/**
 * `err` as a StoreError about `path` when it is a storage failure (a SQLite or file-system error);
 * anything else (a bug) is returned unchanged so it keeps its stack.
 */
export function asStoreError(err: unknown, path: string): unknown {
  if (err instanceof StoreError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return err;
  const problem = problemOf(code);
  if (!problem) return err;
  const message = err instanceof Error ? err.message : String(err);
  const why = message.startsWith(code) ? message : `${code}: ${message}`;
  return new StoreError(path, problem, `${DETAIL[problem]} (${why})`, { cause: err });
}

/** Run `fn`, rethrowing storage failures as StoreError about `path`. */
export function storeCall<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asStoreError(err, path);
  }
}
