/**
 * comparison.json v1: what `moshpit compare` concluded, the contract with its report and the
 * gate (beside each run's own results.json, referenced by path). Versioned like results.json;
 * `npx moshpit export comparison-schema` prints it as JSON Schema.
 */
import { z } from 'zod';
import { validity } from '../results/schema.ts';

export const COMPARISON_SCHEMA_ID = 'moshpit.comparison';
export const COMPARISON_VERSION = 1;

const interval = z.object({ percentile: z.number(), estimateMs: z.number(), lowMs: z.number(), highMs: z.number().nullable(), n: z.number().int(), confidence: z.number() });
const source = z.object({ url: z.string(), read: z.string(), title: z.string().optional() });
const scenarioNote = z.object({ scenario: z.string(), what: z.string() });
const separation = z.object({ winner: z.string().nullable(), tied: z.array(z.string()) });

const techVerdict = z.object({
  tech: z.string(),
  tier: z.string().optional(),
  promise: z.object({
    ok: z.boolean(),
    items: z.array(z.object({ promise: z.string(), label: z.string(), value: z.enum(['yes', 'no', 'conditional']), text: z.string(), source, required: z.boolean(), semantics: z.string().optional() })),
    reasons: z.array(z.string()),
    consumption: z.enum(['push', 'pull', 'unknown']),
    sizeLimit: z.object({ bytes: z.number(), key: z.string(), source }).optional(),
  }),
  measured: z.object({ ok: validity, scenarios: z.number().int(), failures: z.array(scenarioNote), caveats: z.array(scenarioNote) }),
  latency: z.object({ n: z.number().int(), basis: z.string(), p50: interval.nullable(), p99: interval.nullable() }),
  fit: z.boolean(),
  reasons: z.array(z.string()),
});

export const flowVerdictSchema = z.object({
  flow: z.string(),
  kind: z.enum(['message', 'event']),
  question: z.string(),
  techs: z.array(techVerdict),
  latency: z.object({ representative: z.boolean(), basis: z.string(), p50: separation, p99: separation, text: z.string() }),
  fits: z.array(z.string()),
  recommended: z.string().nullable(),
  decidedBy: z.enum(['only-fit', 'latency', 'cost']).nullable(),
  conclusion: z.string(),
});

const fault = z.object({ id: z.string(), type: z.string(), target: z.string(), startMs: z.number(), endMs: z.number().nullable() });

/** One matrix cell: scenario × technology × flow, merged over --repeat. */
export const matrixCellSchema = z.object({
  scenario: z.string(),
  tech: z.string(),
  flow: z.string(),
  kind: z.enum(['message', 'event']),
  /** met: kept every measured property; failed: a loss/inversion/missing... in some repeat; unknown: no completed run */
  verdict: z.enum(['met', 'failed', 'unknown']),
  /** whether the technology promises what the flow needs (a met cell on an unpromised flow is luck) */
  promised: z.boolean(),
  failures: z.array(z.string()),
  repeats: z.number().int(),
  counts: z.record(z.string(), z.number()),
  e2e: z.object({ n: z.number().int(), p50: interval.nullable(), p99: interval.nullable() }),
  faults: z.array(fault),
  /** id of the run's section in report.html (its charts) */
  anchor: z.string(),
  results: z.array(z.string()),
});
export type MatrixCell = z.infer<typeof matrixCellSchema>;

const cost = z.object({ scenario: z.string(), tech: z.string(), tier: z.string(), units: z.number(), billablePerSecond: z.number(), monthlyMillions: z.number(), monthlyUsd: z.number(), breakdown: z.string(), source: z.string(), read: z.string(), estimate: z.boolean() });
const headroom = z.object({ scenario: z.string(), tech: z.string(), tier: z.string(), units: z.number(), quota: z.string(), limitPerSecond: z.number(), peakPerSecond: z.number(), factor: z.number(), text: z.string(), source: z.string() });

export const comparisonSchema = z.object({
  schema: z.literal(COMPARISON_SCHEMA_ID),
  version: z.literal(COMPARISON_VERSION),
  generatedAt: z.string(),
  moshpitVersion: z.string(),
  question: z.string(),
  suite: z.object({
    name: z.string(),
    description: z.string(),
    file: z.string(),
    entries: z.array(z.object({ name: z.string(), file: z.string(), overridden: z.boolean(), durationMs: z.number(), description: z.string(), faults: z.array(z.string()) })),
  }),
  techs: z.array(z.string()),
  repeat: z.number().int().positive(),
  wallTimeMs: z.number(),
  profile: z.object({
    name: z.string(),
    quotas: z.boolean(),
    /** false under ideal: latency is this machine's loopback timing, never a deciding reason */
    latencyRepresentative: z.boolean(),
    tiers: z.record(z.string(), z.object({ tier: z.string(), units: z.number(), unitName: z.string().optional() })),
  }),
  /**
   * compare --target: the brokers were a target's, not the emulators (additive in v1). kind
   * azure: a real namespace (its own quotas and latency: representative); external: brokers on
   * this machine started separately (latency not representative).
   */
  target: z.object({ file: z.string(), kind: z.enum(['azure', 'external']) }).optional(),
  /** scenario × technology pairs a target cannot run (e.g. broker faults need the embedded emulators), with why */
  skipped: z.array(z.object({ scenario: z.string(), tech: z.string(), reason: z.string() })).optional(),
  /** the scenarios latency is compared on (those with no fault; all when none is fault-free) */
  latencyScenarios: z.array(z.string()),
  verdicts: z.array(flowVerdictSchema),
  matrix: z.array(matrixCellSchema),
  runs: z.array(z.object({ scenario: z.string(), tech: z.string(), repeat: z.number().int(), status: z.enum(['completed', 'failed']), valid: validity, durationMs: z.number(), results: z.string(), error: z.string().optional() })),
  cost: z.object({
    prices: z.object({ file: z.string(), read: z.string(), currency: z.string(), estimate: z.boolean(), basis: z.string() }),
    /** the scenario whose average rate is priced in the verdict (the first latency scenario) */
    referenceScenario: z.string().nullable(),
    estimates: z.array(cost),
  }),
  headroom: z.array(headroom),
  sources: z.object({ promises: z.string(), prices: z.string() }),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export function comparisonJsonSchema(): unknown {
  return z.toJSONSchema(comparisonSchema, { io: 'input' });
}
