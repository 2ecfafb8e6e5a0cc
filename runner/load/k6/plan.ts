/**
 * The k6 load plan (pure): what `scenarios/k6/driver.js` reads (as JSON) to offer the same load
 * as the builtin engine, and the inverse used to convert its output: the intended start of
 * iteration `i` of a flow, computed with the builtin engine's arrival code (arrival.ts).
 */
import { fileURLToPath } from 'node:url';
import type { ArrivalSpec, Scenario } from '../../scenario/schema.ts';
import { invertLinearRampMs, rampSegments } from '../arrival.ts';
import { flowLimit, type LoadFlow } from '../plan.ts';

export const K6_DRIVER_PATH = fileURLToPath(new URL('../../../scenarios/k6/driver.js', import.meta.url));

export interface K6FlowPlan {
  rate?: number;
  startRate: number;
  stages?: { durationMs: number; target: number }[];
  /**
   * operations of the flow: the schedule's count, capped by maxSongs / songs × perSong. k6 may
   * start one more iteration exactly at the end of the duration; the driver skips it.
   */
  limit: number;
}

export interface K6Plan {
  v: 1;
  baseUrl: string;
  seed: number;
  opIdPrefix: string;
  durationMs: number;
  drainLimitMs: number;
  requestTimeoutMs: number;
  sizeBytes: { min: number; max: number };
  uploads?: K6FlowPlan;
  comments?: K6FlowPlan & { songs: number };
  /** songs the comments go to, when the runner seeded them (else the driver's setup() does) */
  songIds?: string[];
  vus: { pre: number; max: number };
}

export interface K6PlanOptions {
  baseUrl: string;
  opIdPrefix: string;
  songIds?: string[];
  requestTimeoutMs?: number;
  /** VUs = requests in flight before k6 drops iterations (default 1024, like the builtin's maxInFlight) */
  maxVUs?: number;
}

function flowPlanOf(scenario: Scenario, flow: LoadFlow, spec: ArrivalSpec): K6FlowPlan {
  const base = { startRate: spec.startRate ?? 0, limit: 0 };
  const plan: K6FlowPlan = spec.stages ? { ...base, stages: spec.stages.map((s) => ({ durationMs: s.duration, target: s.target })) } : { ...base, rate: spec.rate };
  plan.limit = Math.min(scheduledCount(plan, scenario.duration), flowLimit(scenario, flow));
  return plan;
}

function peakRate(spec: K6FlowPlan | undefined): number {
  if (!spec) return 0;
  return spec.stages ? Math.max(spec.startRate, ...spec.stages.map((s) => s.target)) : (spec.rate ?? 0);
}

export function buildK6Plan(scenario: Scenario, options: K6PlanOptions): K6Plan {
  const { uploads, comments } = scenario.load;
  const plan: K6Plan = {
    v: 1,
    baseUrl: options.baseUrl,
    seed: scenario.seed,
    opIdPrefix: options.opIdPrefix,
    durationMs: scenario.duration,
    drainLimitMs: scenario.drainLimit,
    requestTimeoutMs: options.requestTimeoutMs ?? scenario.load.clientTimeoutMs ?? 10_000,
    sizeBytes: uploads?.sizeBytes ?? { min: 4096, max: 4096 },
    vus: { pre: 1, max: 1 },
  };
  if (uploads) plan.uploads = flowPlanOf(scenario, 'uploads', uploads);
  if (comments) plan.comments = { ...flowPlanOf(scenario, 'comments', comments), songs: comments.songs };
  if (options.songIds) plan.songIds = options.songIds;
  const maxVUs = options.maxVUs ?? 1024;
  const peak = Math.max(peakRate(plan.uploads), peakRate(plan.comments));
  // pre-allocate for ~200 ms of requests in flight at the peak rate; k6 adds VUs up to maxVUs
  plan.vus = { pre: Math.min(maxVUs, Math.max(5, Math.ceil(peak / 5))), max: maxVUs };
  return plan;
}

/**
 * Intended start (ms after the flow's k6 scenario started) of iteration `index`, as k6 schedules
 * it: constant-arrival-rate starts iteration i at i / rate (like the builtin engine);
 * ramping-arrival-rate starts it when the integral of the rate reaches i + 1 (the builtin
 * engine: i), so a k6 ramp is the builtin ramp shifted by one operation. Computed with the
 * builtin engine's ramp code (arrival.ts).
 */
export function intendedOffsetMs(flow: K6FlowPlan, index: number): number {
  if (!flow.stages) return (index * 1000) / (flow.rate ?? 1);
  const x = index + 1;
  let last = 0;
  for (const seg of rampSegments(flow.startRate, flow.stages.map((s) => ({ duration: s.durationMs, target: s.target })))) {
    last = seg.startMs + seg.durationMs;
    if (x <= seg.opsBefore + seg.ops + 1e-9) return seg.startMs + invertLinearRampMs(seg.fromRate, seg.toRate, seg.durationMs, x - seg.opsBefore);
  }
  return last;
}

/**
 * Operations a flow's k6 schedule offers before the end, uncapped: constant, every i / rate
 * strictly below the duration (the builtin engine's count; k6 may also start one exactly at
 * the end, which the driver skips); ramping, every i with i + 1 strictly below the rate's
 * integral (one fewer than the builtin engine's ceil(integral): the last k6 event falls at
 * the very end and is cut or not by chance, so it is never planned).
 */
export function scheduledCount(flow: Pick<K6FlowPlan, 'rate' | 'startRate' | 'stages'>, durationMs: number): number {
  if (flow.stages) {
    const segments = rampSegments(flow.startRate, flow.stages.map((s) => ({ duration: s.durationMs, target: s.target })));
    const last = segments[segments.length - 1];
    return last ? Math.max(0, Math.ceil(last.opsBefore + last.ops - 1e-9) - 1) : 0;
  }
  return Math.ceil((durationMs * (flow.rate ?? 0)) / 1000 - 1e-9);
}

/** Number of operations a flow offers in total (all segments together). */
export function plannedCount(flow: K6FlowPlan): number {
  return flow.limit;
}
