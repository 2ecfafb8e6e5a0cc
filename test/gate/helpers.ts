import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resultsSchema, type Results } from '../../runner/results/schema.ts';

export const BASELINE_FILE = fileURLToPath(new URL('../data/baseline.json', import.meta.url));
export const REGRESSIONS_FILE = fileURLToPath(new URL('../data/gate/regressions.json', import.meta.url));
export const THRESHOLDS_FILE = fileURLToPath(new URL('../data/thresholds.json', import.meta.url));

/** The sample baseline (storage-queue + event-grid, short scenario), a fresh copy each call. */
export function baselineResults(): Results {
  return resultsSchema.parse(JSON.parse(readFileSync(BASELINE_FILE, 'utf8')));
}
