import { defineConfig } from 'vitest/config';

/** Long demonstrations kept out of `npm test` (its 8-minute budget): `npm run test:slow`. */
export default defineConfig({
  test: {
    include: ['test/slow/**/*.slow.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
    pool: 'forks',
  },
});
