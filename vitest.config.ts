import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The simulator and SQLite tests open sockets and files; keep the 2-core CI machine unsaturated.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every connection the merge keeps is frozen: a change in place fails here (src/model/deep-freeze.ts).
    env: { ALIVPN_FREEZE_SNAPSHOTS: '1' },
  },
});
