/** Writes results.json atomically (temp file + rename): a crash never leaves a half file. */
import type { ProfileSummary } from '../../profiles/describe.ts';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../contracts/atomic-write.ts';
import { RESULTS_SCHEMA_ID, RESULTS_VERSION, resultsSchema, type Results, type RunResult } from './schema.ts';
import type { Scenario } from '../scenario/schema.ts';

export function gitRevision(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

/** `target`: where the backend ran — the embedded emulators, or Azure (runs collected from k6-operator against a deployed backend). */
export function buildResults(scenario: Scenario, file: string, runs: RunResult[], moshpitVersion: string, target: 'emulated' | 'azure' = 'emulated', profile?: ProfileSummary): Results {
  return resultsSchema.parse({
    schema: RESULTS_SCHEMA_ID,
    version: RESULTS_VERSION,
    generatedAt: new Date().toISOString(),
    moshpitVersion,
    scenario: {
      name: scenario.name,
      description: scenario.description,
      seed: scenario.seed,
      file,
      durationMs: scenario.duration,
      drainLimitMs: scenario.drainLimit,
      thresholds: scenario.expect.thresholds,
    },
    environment: {
      target,
      ...(profile ? { profile } : {}),
      machine: { cpus: cpus().length, memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, platform: `${process.platform}-${process.arch}`, node: process.version },
      gitRevision: gitRevision(),
    },
    runs,
  });
}

export function writeResults(path: string, results: Results): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, JSON.stringify(results, null, 2) + '\n');
}
