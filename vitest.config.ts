import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // integration tests start real servers and child processes and spend much of their time
    // waiting (drains, lock and visibility timeouts): three files at a time keep 2 cores busy
    // without starving them (measured: 473 s with 2 workers on the 2-core CI machine)
    maxWorkers: 3,
    pool: 'forks',
  },
});
