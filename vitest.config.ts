import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // integration tests start real servers and child processes; 2 cores
    maxWorkers: 2,
    pool: 'forks',
  },
});
