/**
 * results.json v1: the only contract between a run and its readers (report-ui, gate).
 * Versioned: readers refuse other versions with a message that names both.
 * `npx moshpit export results-schema` prints it as JSON Schema. Each known checker's counts are
 * typed from the metric catalogue (runner/checkers/catalogue.ts), additively: v1 files written
 * before still parse.
 */
import { z } from 'zod';
import { CATALOGUE, CHECKER_NAMES, type CheckerName, type CountKey } from '../checkers/catalogue.ts';

export const RESULTS_SCHEMA_ID = 'moshpit.results';
export const RESULTS_VERSION = 1;

const profileSummary = z.object({
  name: z.string(),
  version: z.number(),
  kind: z.enum(['builtin', 'file', 'calibrated']),
  file: z.string().optional(),
  quotas: z.boolean(),
  latency: z.boolean(),
  tiers: z.record(z.string(), z.object({ tier: z.string(), units: z.number(), unitName: z.string().optional(), estimates: z.array(z.string()), sources: z.array(z.string()) })),
});

/** true: the property held; false: it was violated; "unknown": not measured or not measurable. */
export const validity = z.union([z.boolean(), z.literal('unknown')]);
export type Validity = z.infer<typeof validity>;

export const latencySummary = z.object({
  count: z.number().int().nonnegative(),
  minMs: z.number(),
  meanMs: z.number(),
  p50Ms: z.number(),
  p90Ms: z.number(),
  p99Ms: z.number(),
  p999Ms: z.number(),
  maxMs: z.number(),
  /** HdrHistogram-style percentile curve for charts: ascending percentiles (0..100). */
  curve: z.array(z.object({ percentile: z.number(), valueMs: z.number() })),
});
export type LatencySummary = z.infer<typeof latencySummary>;

/** Every checker returns this shape; `counts` and `examples` keys are checker-specific (see typedCheckResults). */
export const checkResult = z.object({
  checker: z.string(),
  valid: validity,
  counts: z.record(z.string(), z.number()),
  /** capped lists of example operation ids (or song ids), by category */
  examples: z.record(z.string(), z.array(z.string())),
  notes: z.array(z.string()).default([]),
  /** latency checker only: summaries per hop ("e2e", "publishDelay", "api", "broker", ...) */
  latency: z.record(z.string(), latencySummary).optional(),
});
export type CheckResult = z.infer<typeof checkResult>;

/**
 * A known checker's counts, typed from the metric catalogue (runner/checkers/catalogue.ts), each
 * with its meaning. Additive in v1: every count is optional (older files lack later ones) and
 * other numeric keys are still allowed (a latency hop beyond the standard ones).
 */
function countsOf<C extends CheckerName>(checker: C) {
  const counts = CATALOGUE[checker].counts as Record<string, { meaning: string }>;
  const shape = Object.fromEntries(Object.entries(counts).map(([key, info]) => [key, z.number().optional().describe(info.meaning)]));
  return z.object(shape as Record<CountKey<C>, z.ZodOptional<z.ZodNumber>>).catchall(z.number());
}

function typedCheckResult<C extends CheckerName>(checker: C) {
  return checkResult.extend({ counts: countsOf(checker) }).describe(`checker ${checker}: ${CATALOGUE[checker].summary}`);
}

const typedCheckResults = Object.fromEntries(CHECKER_NAMES.map((name) => [name, typedCheckResult(name).optional()])) as {
  [C in CheckerName]: z.ZodOptional<ReturnType<typeof typedCheckResult<C>>>;
};

/**
 * A flow's checks by checker name: the catalogue's checkers typed (validated, and printed by
 * `moshpit export results-schema` with each count's meaning), any other name as checkResult.
 * Its TypeScript type stays a record of CheckResult, as in every v1 reader: a flow has only
 * its own checkers, and typed access goes through CheckCounts / the catalogue's count keys.
 */
export const flowChecks = z.object(typedCheckResults).catchall(checkResult) as unknown as z.ZodRecord<z.ZodString, typeof checkResult>;

/** A known checker's counts as TypeScript sees them (every count optional: older files lack later ones). */
export type CheckCounts<C extends CheckerName> = { [K in CountKey<C>]?: number } & Record<string, number>;

export const flowResult = z.object({
  kind: z.enum(['message', 'event']),
  /** false if any check is false; "unknown" if none is false and any is unknown */
  valid: validity,
  checks: flowChecks,
});
export type FlowResult = z.infer<typeof flowResult>;

export const timelinePoint = z.object({
  /** seconds since the run's load started */
  t: z.number(),
  offered: z.number(),
  acknowledged: z.number(),
  committed: z.number(),
  errors: z.number(),
  /**
   * messages / events waiting in the broker at that second, all entities of the run together
   * (sampled from the emulators' control APIs; direct: 0); absent when not sampled (older runs)
   */
  backlog: z.number().optional(),
  /** the same per flow (uploads, comments, song-added) */
  backlogByFlow: z.record(z.string(), z.number()).optional(),
});

export type TimelinePoint = z.infer<typeof timelinePoint>;

export const faultWindow = z.object({
  id: z.string(),
  target: z.string(),
  type: z.string(),
  /** ms since the run's load started */
  startMs: z.number(),
  endMs: z.number().nullable(),
  /** recovery checker: back to normal after the heal (true/false), or "unknown" (never healed) */
  recovered: validity.optional(),
  /** ms from the heal until the backlog drained and the committed rate was back; null if not */
  recoveryMs: z.number().nullable().optional(),
});

/** What a drain that hit its limit was still waiting for (results.json run.drain.pending). */
export const drainPending = z.object({
  /** non-empty broker backlogs of the run's entities: entity, flow, messages/events, breakdown */
  backlogs: z.array(z.object({ entity: z.string(), flow: z.string(), count: z.number(), detail: z.string() })),
  /** requests the api was still publishing (null: the api could not be asked) */
  apiInFlight: z.number().nullable(),
  /** operations a worker had received but not stored or dead-lettered */
  unsettled: z.number(),
  /** broker backlogs that could not be read (emulator down or not answering) */
  unreadable: z.array(z.string()),
  /** pending operation and event counts, with the first ids of each */
  operations: z.number(),
  operationIds: z.array(z.string()),
  events: z.number(),
  eventIds: z.array(z.string()),
});
export type DrainPending = z.infer<typeof drainPending>;

/**
 * k6's own end-of-test figures (its handleSummary JSON), merged over the run's k6 processes
 * (execution segments). Present only for k6-engine runs whose k6 wrote a summary.
 */
export const k6LoadFigures = z.object({
  /** k6 processes (execution segments) whose end-of-test summary was read and merged */
  segments: z.number().int().nonnegative(),
  /** k6's http_reqs, summed over segments (client side: every request k6 sent) */
  httpRequests: z.number().int().nonnegative(),
  /** k6's dropped_iterations, summed over segments */
  droppedIterations: z.number().int().nonnegative(),
  /**
   * k6's http_req_duration (client side, ms). p95 and p99 are the WORST segment's: k6 cannot
   * merge percentiles computed by separate processes, so with several segments they are an
   * upper bound of the whole run's. max is the maximum over segments (exact). null: no request.
   */
  httpReqDurationMs: z
    .object({ p95: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable() })
    .describe("k6's http_req_duration in ms; p95/p99: the worst segment's (k6 cannot merge percentiles of separate processes); max: over all segments; null: no request"),
  /**
   * whether k6's dropped_iterations equals the history's dropped records (`load.dropped`).
   * They can differ: k6 also counts iterations past the scenario's caps or cut by the end.
   */
  droppedCrossCheck: z.boolean().describe("whether k6's dropped_iterations equals the history's dropped records (load.dropped)"),
}).describe("k6 engine only: k6's end-of-test figures merged over its segments");
export type K6LoadFigures = z.infer<typeof k6LoadFigures>;

export const runResult = z.object({
  tech: z.string(),
  /**
   * where the brokers were: `embedded` (emulators the run started itself) or `external`
   * (run --target: Azure, Microsoft's emulators or moshpit's started separately). Additive in
   * v1: absent in older files, which were all embedded.
   */
  target: z.enum(['embedded', 'external']).optional(),
  status: z.enum(['completed', 'failed']),
  error: z.string().optional(),
  valid: validity,
  startedAt: z.string(),
  durationMs: z.number(),
  /**
   * drained: the drain reached quiescence (empty broker backlogs, idle workers and api) before
   * its limit. When not, `pending` names what was still in doubt; the checkers count those
   * operations and events `pending`, never lost or missing.
   */
  drain: z.object({ durationMs: z.number(), drained: z.boolean(), pending: drainPending.optional() }),
  load: z.object({
    engine: z.string(),
    attempted: z.number(),
    sent: z.number(),
    acknowledged: z.number(),
    failed: z.number(),
    dropped: z.number(),
    /** k6 engine only (additive in v1; absent for the builtin engine and aborted k6 runs) */
    k6: k6LoadFigures.optional(),
  }),
  flows: z.record(z.string(), flowResult),
  timeline: z.array(timelinePoint),
  faults: z.array(faultWindow),
  /** where the planned load is at its peak (>= 90 % of its highest rate; ramping loads only), ms since the load started */
  peaks: z.array(z.object({ startMs: z.number(), endMs: z.number() })).optional(),
  errors: z.array(z.string()),
  /** the backend/consumer settings this run used (no secrets) */
  config: z.record(z.string(), z.unknown()),
});
export type RunResult = z.infer<typeof runResult>;

export const resultsSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA_ID),
  version: z.literal(RESULTS_VERSION),
  generatedAt: z.string(),
  moshpitVersion: z.string(),
  scenario: z.object({
    name: z.string(),
    description: z.string(),
    seed: z.number(),
    file: z.string(),
    durationMs: z.number(),
    drainLimitMs: z.number(),
    thresholds: z.record(z.string(), z.array(z.string())).default({}),
  }),
  environment: z.object({
    target: z.enum(['emulated', 'azure']),
    /** the Azure profile the emulators played (absent in results written before profiles existed) */
    profile: profileSummary.optional(),
    machine: z.object({ cpus: z.number(), memoryGiB: z.number(), platform: z.string(), node: z.string() }),
    gitRevision: z.string().nullable(),
  }),
  runs: z.array(runResult),
});
export type Results = z.infer<typeof resultsSchema>;

export function resultsJsonSchema(): unknown {
  return z.toJSONSchema(resultsSchema, { io: 'input' });
}
