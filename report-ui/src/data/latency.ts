/**
 * Latency percentile curves on a "nines" axis: x = -log10(1 - p/100), so 90% → 1, 99% → 2,
 * 99.9% → 3 (HdrHistogram style). 100% (the max) is infinitely far on that axis and is left
 * out of the curve; the summary table shows it.
 */
import { latencyOf } from './checks.ts';
import type { Results } from './types.ts';

export interface CurvePoint {
  /** position on the nines axis */
  x: number;
  percentile: number;
  valueMs: number;
}

export interface LatencySeries {
  id: string;
  label: string;
  tech: string;
  flow: string;
  hop: string;
  points: CurvePoint[];
}

export function ninesOf(percentile: number): number {
  if (percentile >= 100) return Number.POSITIVE_INFINITY;
  if (percentile <= 0) return 0;
  return -Math.log10(1 - percentile / 100);
}

export function percentileOf(nines: number): number {
  return 100 * (1 - 10 ** -nines);
}

/** "50%", "99.9%", "99.99%": as many decimals as the percentile needs, at most 6. */
export function formatPercentile(percentile: number): string {
  const text = percentile.toFixed(6).replace(/\.?0+$/, '');
  return `${text}%`;
}

export function latencySeries(results: Results, hop = 'e2e'): LatencySeries[] {
  const series: LatencySeries[] = [];
  for (const run of results.runs) {
    for (const [flowName, flow] of Object.entries(run.flows)) {
      const summary = latencyOf(flow, hop);
      if (!summary || summary.count === 0) continue;
      const points = summary.curve
        .filter((point) => point.percentile < 100 && Number.isFinite(point.valueMs))
        .map((point) => ({ x: ninesOf(point.percentile), percentile: point.percentile, valueMs: point.valueMs }))
        .sort((a, b) => a.x - b.x);
      if (points.length === 0) continue;
      series.push({
        id: `${run.tech}/${flowName}/${hop}`,
        label: `${run.tech} · ${flowName}`,
        tech: run.tech,
        flow: flowName,
        hop,
        points,
      });
    }
  }
  return series;
}

export interface AxisTick {
  x: number;
  label: string;
}

/** Ticks 0%, 50%, 90%, 99%, 99.9%, ... up to the first whole nine at or beyond the data. */
export function ninesTicks(series: readonly LatencySeries[]): AxisTick[] {
  let maxX = 0;
  for (const s of series) for (const p of s.points) maxX = Math.max(maxX, p.x);
  const lastNine = Math.max(2, Math.ceil(maxX - 1e-9));
  const ticks: AxisTick[] = [
    { x: 0, label: '0%' },
    { x: ninesOf(50), label: '50%' },
  ];
  for (let nine = 1; nine <= lastNine; nine += 1) {
    ticks.push({ x: nine, label: formatPercentile(percentileOf(nine)) });
  }
  return ticks;
}

export interface SeriesStyle {
  /** index into a colour palette: one colour per technology */
  colorIndex: number;
  /** SVG dash pattern: one per flow (solid for the first) */
  dash: string | undefined;
}

const DASHES = [undefined, '8 4', '2 3', '12 4 2 4'];

/** Same technology, same colour; same flow, same dash: a comparison reads at a glance. */
export function seriesStyles(series: readonly LatencySeries[]): Map<string, SeriesStyle> {
  const techs = [...new Set(series.map((s) => s.tech))];
  const flows = [...new Set(series.map((s) => s.flow))];
  return new Map(
    series.map((s) => [s.id, { colorIndex: techs.indexOf(s.tech), dash: DASHES[flows.indexOf(s.flow) % DASHES.length] }]),
  );
}

/** Log-scale y needs positive values: the smallest positive value, or undefined if none. */
export function minPositiveMs(series: readonly LatencySeries[]): number | undefined {
  let min = Number.POSITIVE_INFINITY;
  for (const s of series) for (const p of s.points) if (p.valueMs > 0 && p.valueMs < min) min = p.valueMs;
  return Number.isFinite(min) ? min : undefined;
}

/** Hops in pipeline order; any other hop a checker reports comes after, alphabetically. */
export const HOP_ORDER = ['e2e', 'publishDelay', 'request', 'broker', 'process', 'event'];

/** The hops with at least one sample in any run and flow, in pipeline order. */
export function availableHops(results: Results): string[] {
  const found = new Set<string>();
  for (const run of results.runs) {
    for (const flow of Object.values(run.flows)) {
      for (const check of Object.values(flow.checks)) {
        for (const [hop, summary] of Object.entries(check.latency ?? {})) if (summary.count > 0) found.add(hop);
      }
    }
  }
  const known = HOP_ORDER.filter((hop) => found.has(hop));
  const other = [...found].filter((hop) => !HOP_ORDER.includes(hop)).sort();
  return [...known, ...other];
}
