// Store errors as a user meets them (issue 11, item 12): `serve` on a store it cannot use exits 3
// (docs/architecture.md: 3 for what it cannot use) with one line naming the path and the remedy, never 70 with a
// stack trace. Unopenable (the path runs through a file), corrupt (not a SQLite file) and full (a
// tmpfs filled to the last block) are each driven for real.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Exited, fillUp, freePort, mountTmpfs, runCli, writeConfig } from './process.js';

function expectOneLine(out: Exited, path: string, remedy: RegExp): void {
  expect(out.code, out.stderr).toBe(3);
  const lines = out.stderr.trim().split('\n');
  expect(lines, out.stderr).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(remedy);
  expect(out.stderr).not.toMatch(/\n\s+at /);
}

// Each case starts its own process (slow on a loaded machine): they run concurrently.
describe.concurrent('store errors exit 3 with the path and the remedy', () => {
  const scratch = (fn: (dir: string) => Promise<void>) => async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alivpn-exit-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it(
    'an unopenable path (a directory that is a file)',
    scratch(async (dir) => {
      writeFileSync(join(dir, 'not-a-dir'), 'x');
      const store = join(dir, 'not-a-dir', 'alivpn.db');
      const config = writeConfig({ dir, port: await freePort(), store });
      expectOneLine(await runCli(['serve', '--config', config]), store, /cannot be opened.*storage\.path/);
    }),
    120_000,
  );

  it(
    'a corrupt store (not a SQLite file)',
    scratch(async (dir) => {
      const store = join(dir, 'alivpn.db');
      writeFileSync(store, 'this is not a database, it is a text file that happens to be here\n'.repeat(100));
      const config = writeConfig({ dir, port: await freePort(), store });
      expectOneLine(await runCli(['serve', '--config', config]), store, /corrupt.*move it aside/);
    }),
    120_000,
  );

  it('a full disk', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'alivpn-exit-'));
    const mnt = join(dir, 'small');
    const mounted = mountTmpfs(mnt, 256);
    try {
      if ('skip' in mounted) {
        console.warn(`skipping the full-disk case: ${mounted.skip}`);
        ctx.skip();
        return;
      }
      fillUp(mnt);
      const store = join(mnt, 'alivpn.db');
      const config = writeConfig({ dir, port: await freePort(), store });
      expectOneLine(await runCli(['serve', '--config', config]), store, /disk is full.*free space/);
    } finally {
      if (!('skip' in mounted)) mounted.unmount();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
