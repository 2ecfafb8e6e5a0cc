import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/slow/**', '**/node_modules/**'], // npm run test:slow
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // integration tests start real servers and child processes; 2 cores. Three files at a time
    // measured 371 s instead of 473 s, but made receive-and-delete's kill-timing test lose
    // nothing once (guarantees.test.ts): two, until that test's timing is robust
    maxWorkers: 2,
    pool: 'forks',
  },
});
