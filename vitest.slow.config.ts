import { defineConfig } from 'vitest/config';

/**
 * Long demonstrations, outside `npm test` (its 8-minute budget): `npm run test:slow`.
 * One file at a time: they measure latency, and the 2-core machine is the instrument.
 */
export default defineConfig({
  test: {
    include: ['test/slow/**/*.test.ts', 'test/**/*.slow.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    pool: 'forks',
  },
});
