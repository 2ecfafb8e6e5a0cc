/** Whether k6 tests run: k6 found, or CI (where k6 must be installed, so absence fails). */
import { findK6Binary } from '../../../runner/load/k6/binary.ts';

function find(): string | undefined {
  try {
    return findK6Binary();
  } catch {
    return undefined;
  }
}

export const K6_BIN = find();
export const SKIP_K6 = K6_BIN === undefined && !process.env.CI;
if (SKIP_K6) console.warn('k6 tests skipped: k6 is not installed (run scripts/install-k6.sh); in CI they run and fail without it');
