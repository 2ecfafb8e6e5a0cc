/**
 * Baseline comparison: the first results file is the current run, the second the baseline.
 * Per technology present in both, each comparison metric's delta; a change for the worse
 * (beyond a small tolerance for latency and throughput noise) is a regression.
 */
import { COMPARE_COLUMNS, runValues, type CompareKey } from './compare.ts';
import type { Results } from './types.ts';

/** relative change below which latency/throughput differences are noise, not regressions */
export const NOISE_FRACTION = 0.1;

export interface MetricDelta {
  key: CompareKey;
  current: number | undefined;
  baseline: number | undefined;
  delta: number | undefined;
  /** delta / baseline; undefined when the baseline is 0 or missing */
  relative: number | undefined;
  regression: boolean;
  improvement: boolean;
}

export interface TechDelta {
  tech: string;
  metrics: MetricDelta[];
}

export interface BaselineComparison {
  currentLabel: string;
  baselineLabel: string;
  techs: TechDelta[];
  /** technologies only in one of the two files */
  onlyCurrent: string[];
  onlyBaseline: string[];
}

function judge(key: CompareKey, current: number, baseline: number): { regression: boolean; improvement: boolean } {
  const column = COMPARE_COLUMNS.find((c) => c.key === key)!;
  const worse = column.better === 'lower' ? current > baseline : current < baseline;
  const better = column.better === 'lower' ? current < baseline : current > baseline;
  if (column.unit === undefined) return { regression: worse, improvement: better }; // counts: any change matters
  const relative = baseline === 0 ? (current === 0 ? 0 : Infinity) : Math.abs(current - baseline) / Math.abs(baseline);
  return { regression: worse && relative > NOISE_FRACTION, improvement: better && relative > NOISE_FRACTION };
}

export function metricDelta(key: CompareKey, current: number | undefined, baseline: number | undefined): MetricDelta {
  if (current === undefined || baseline === undefined) {
    return { key, current, baseline, delta: undefined, relative: undefined, regression: false, improvement: false };
  }
  const delta = current - baseline;
  const relative = baseline === 0 ? undefined : delta / baseline;
  return { key, current, baseline, delta, relative, ...judge(key, current, baseline) };
}

export function baselineComparison(current: Results, baseline: Results): BaselineComparison {
  const baseRuns = new Map(baseline.runs.map((run) => [run.tech, run]));
  const techs: TechDelta[] = [];
  for (const run of current.runs) {
    const base = baseRuns.get(run.tech);
    if (!base) continue;
    const now = runValues(run, current.scenario.durationMs);
    const then = runValues(base, baseline.scenario.durationMs);
    techs.push({ tech: run.tech, metrics: COMPARE_COLUMNS.map((c) => metricDelta(c.key, now[c.key], then[c.key])) });
  }
  const currentTechs = new Set(current.runs.map((r) => r.tech));
  return {
    currentLabel: `${current.scenario.name} · ${current.generatedAt}`,
    baselineLabel: `${baseline.scenario.name} · ${baseline.generatedAt}`,
    techs,
    onlyCurrent: current.runs.map((r) => r.tech).filter((t) => !baseRuns.has(t)),
    onlyBaseline: baseline.runs.map((r) => r.tech).filter((t) => !currentTechs.has(t)),
  };
}
