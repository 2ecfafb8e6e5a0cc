/**
 * The report reads results.json v1 only (the runner→UI contract). Types come from the
 * runner's zod schema; `import type` keeps zod out of the browser bundle.
 */
export type {
  Results,
  RunResult,
  FlowResult,
  CheckResult,
  LatencySummary,
  Validity,
} from '../../../runner/results/schema.ts';
