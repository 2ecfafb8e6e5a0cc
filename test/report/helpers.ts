import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resultsSchema, type Results } from '../../runner/results/schema.ts';

export const SAMPLE_RESULTS_FILE = fileURLToPath(new URL('../data/sample-results.json', import.meta.url));

/** The sample fixture, parsed through the schema (defaults applied), as a fresh copy each call. */
export function sampleResults(): Results {
  return resultsSchema.parse(JSON.parse(readFileSync(SAMPLE_RESULTS_FILE, 'utf8')));
}

export function sampleJson(): Record<string, any> {
  return JSON.parse(readFileSync(SAMPLE_RESULTS_FILE, 'utf8'));
}
