/**
 * Gate metric names → values in one flow of one run of results.json.
 * Counters (lost, duplicated, ...) have a count and a rate (count / a denominator); latencies
 * (`<hop>_latency`) are trends (avg, min, max, med, p(N), count); `recovery` is per run: the
 * recovery time of each fault (a fault that did not recover counts as infinitely long; a run
 * without faults has nothing to measure, so its threshold fails as "not measured").
 * The counter names come from the metric catalogue (runner/checkers/catalogue.ts): each count
 * with a denominator is `<checker prefix>_<count in snake_case>`; older names stay aliases.
 */
import { COUNTER_METRIC_LIST, countKeys } from '../checkers/catalogue.ts';
import type { FlowResult, LatencySummary, RunResult } from '../results/schema.ts';
import type { Aggregate, ThresholdExpression } from './expression.ts';

export interface CounterSpec {
  kind: 'counter';
  checker: string;
  count: string;
  /** the count the rate divides by */
  per: string;
}
export interface TrendSpec {
  kind: 'trend';
  hop: string;
}
export interface UnmeasuredSpec {
  kind: 'unmeasured';
  reason: string;
  /** measured in ms once it exists: thresholds may use ms/s/m */
  isTime: boolean;
}
/** per run, from runs[].faults[].recoveryMs (time values in ms) */
export interface RecoverySpec {
  kind: 'recovery';
}
export type MetricSpec = CounterSpec | TrendSpec | UnmeasuredSpec | RecoverySpec;

const toSpec = (m: (typeof COUNTER_METRIC_LIST)[number]): CounterSpec => ({ kind: 'counter', checker: m.checker, count: m.count, per: m.per });

/** Counter metrics by their catalogue name (lost, duplicated_delivery, fanout_missing, ...). */
export const COUNTER_METRICS: Record<string, CounterSpec> = Object.fromEntries(COUNTER_METRIC_LIST.map((m) => [m.name, toSpec(m)]));

/**
 * Older names of counter metrics (duplicated → duplicated_delivery, integrity_failures →
 * integrity_mismatched), accepted so existing threshold files keep working.
 */
export const COUNTER_METRIC_ALIASES: Record<string, CounterSpec> = Object.fromEntries(COUNTER_METRIC_LIST.flatMap((m) => m.aliases.map((alias) => [alias, toSpec(m)])));

/** The latency checker's hops, as the catalogue lists them (any other hop in results also works). */
export const STANDARD_HOPS: string[] = countKeys('latency');

export const UNMEASURED_METRICS: Record<string, UnmeasuredSpec> = {};

/** publishDelay → publish_delay_latency */
export function hopMetricName(hop: string): string {
  return `${hop.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_latency`;
}

export function metricSpec(name: string, hopsInResults: Iterable<string> = []): MetricSpec | undefined {
  if (COUNTER_METRICS[name]) return COUNTER_METRICS[name];
  if (COUNTER_METRIC_ALIASES[name]) return COUNTER_METRIC_ALIASES[name];
  if (UNMEASURED_METRICS[name]) return UNMEASURED_METRICS[name];
  if (name === 'recovery') return { kind: 'recovery' };
  for (const hop of [...STANDARD_HOPS, ...hopsInResults]) if (hopMetricName(hop) === name) return { kind: 'trend', hop };
  return undefined;
}

export function knownMetricNames(hopsInResults: Iterable<string> = []): string[] {
  const hops = [...new Set([...STANDARD_HOPS, ...hopsInResults])].map(hopMetricName);
  return [...Object.keys(COUNTER_METRICS), ...hops, 'recovery', ...Object.keys(UNMEASURED_METRICS), ...Object.keys(COUNTER_METRIC_ALIASES)];
}

export type Observation =
  | { kind: 'counter'; count: number; per: number }
  | { kind: 'trend'; summary: LatencySummary }
  | { kind: 'unmeasured'; reason: string };

/** The metric's raw observation in one flow, or undefined when that flow does not have it. */
export function observe(spec: MetricSpec, flow: FlowResult): Observation | undefined {
  if (spec.kind === 'unmeasured') return { kind: 'unmeasured', reason: spec.reason };
  if (spec.kind === 'recovery') return undefined; // per run: see observeRecovery
  if (spec.kind === 'trend') {
    const summary = flow.checks.latency?.latency?.[spec.hop];
    return summary ? { kind: 'trend', summary } : undefined;
  }
  const counts = flow.checks[spec.checker]?.counts;
  const count = counts?.[spec.count];
  if (counts === undefined || count === undefined) return undefined;
  return { kind: 'counter', count, per: counts[spec.per] ?? 0 };
}

/** Recovery times of a run's faults as a latency-like summary (Infinity for a fault that never recovered). */
export function observeRecovery(run: RunResult): Observation {
  if (run.faults.length === 0) return { kind: 'unmeasured', reason: `the ${run.tech} run had no faults, so there is no recovery to measure` };
  const unhealed = run.faults.filter((f) => f.recovered === 'unknown' || f.recovered === undefined);
  if (unhealed.length === run.faults.length) return { kind: 'unmeasured', reason: `no fault of the ${run.tech} run was healed (${unhealed.map((f) => f.id).join(', ')})` };
  const values = run.faults.filter((f) => f.recovered === true || f.recovered === false).map((f) => (f.recovered === true ? f.recoveryMs ?? 0 : Infinity)).sort((a, b) => a - b);
  const at = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1))]!;
  const summary: LatencySummary = {
    count: values.length, minMs: values[0]!, maxMs: values[values.length - 1]!, meanMs: values.reduce((a, b) => a + b, 0) / values.length,
    p50Ms: at(50), p90Ms: at(90), p99Ms: at(99), p999Ms: at(99.9), curve: [0, 50, 90, 99, 100].map((percentile) => ({ percentile, valueMs: at(percentile) })),
  };
  return { kind: 'trend', summary };
}

/** Which aggregates a kind of metric takes (for error messages and validation). */
export function aggregatesFor(spec: MetricSpec): Aggregate[] {
  if (spec.kind === 'counter') return ['count', 'rate'];
  if (spec.kind === 'trend' || spec.kind === 'recovery') return ['count', 'avg', 'min', 'max', 'med', 'p'];
  return ['count', 'rate', 'avg', 'min', 'max', 'med', 'p'];
}

export type Aggregated = { value: number; text: string } | { value: null; text: string; reason: string };

/** One number out of an observation: count, rate, avg, p(N)... Latencies are in ms. */
export function aggregate(obs: Observation, expr: ThresholdExpression): Aggregated {
  if (obs.kind === 'unmeasured') return { value: null, text: 'not measured', reason: obs.reason };
  if (obs.kind === 'counter') {
    if (expr.aggregate === 'count') return { value: obs.count, text: String(obs.count) };
    const rate = obs.per === 0 ? 0 : obs.count / obs.per;
    return { value: rate, text: `${formatNumber(rate)} (${obs.count}/${obs.per})` };
  }
  const summary = obs.summary;
  if (expr.aggregate === 'count') return { value: summary.count, text: String(summary.count) };
  if (summary.count === 0) return { value: null, text: 'no samples', reason: 'no latency samples for this hop' };
  const valueMs = trendValueMs(summary, expr);
  return { value: valueMs, text: formatMs(valueMs) };
}

function trendValueMs(summary: LatencySummary, expr: ThresholdExpression): number {
  switch (expr.aggregate) {
    case 'avg':
      return summary.meanMs;
    case 'min':
      return summary.minMs;
    case 'max':
      return summary.maxMs;
    case 'med':
      return summary.p50Ms;
    default:
      return percentileMs(summary, expr.percentile ?? 50);
  }
}

/** Exact for the summary's own percentiles; otherwise the curve's value at the first point ≥ N. */
export function percentileMs(summary: LatencySummary, percentile: number): number {
  const exact: Record<number, number> = { 0: summary.minMs, 50: summary.p50Ms, 90: summary.p90Ms, 99: summary.p99Ms, 99.9: summary.p999Ms, 100: summary.maxMs };
  if (exact[percentile] !== undefined) return exact[percentile];
  const point = summary.curve.find((p) => p.percentile >= percentile);
  return point ? point.valueMs : summary.maxMs;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

export function formatMs(valueMs: number): string {
  return `${Math.round(valueMs * 10) / 10} ms`;
}
