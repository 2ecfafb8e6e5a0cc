import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/slow/**', '**/node_modules/**'], // npm run test:slow
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // integration tests start real servers and child processes and spend much of their time
    // waiting; on 2 cores three files at a time ran 627 tests in 7 min 20 s on 2026-12-03 (two
    // would take over 8 min). Long demonstrations are in vitest.slow.config.ts (npm run test:slow)
    maxWorkers: 3,
    pool: 'forks',
  },
});
