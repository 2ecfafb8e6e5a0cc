/**
 * Keeps the inlined data small for large runs: each run's timeline is reduced to at most
 * `maxPoints` points by merging consecutive seconds into buckets. Rates in a bucket are averaged
 * (per second stays per second); errors keep the bucket's maximum so a short burst stays visible.
 * Latency curves are already a few dozen points each and are left alone.
 */
import type { Results } from '../results/schema.ts';

export const MAX_TIMELINE_POINTS = 600;

type Point = Results['runs'][number]['timeline'][number];

export function downsampleTimeline(points: readonly Point[], maxPoints = MAX_TIMELINE_POINTS): Point[] {
  if (maxPoints < 1) throw new Error(`maxPoints must be at least 1, got ${maxPoints}`);
  if (points.length <= maxPoints) return points.map((p) => ({ ...p }));
  const size = Math.ceil(points.length / maxPoints);
  const out: Point[] = [];
  for (let start = 0; start < points.length; start += size) {
    const bucket = points.slice(start, start + size);
    const mean = (key: 'offered' | 'acknowledged' | 'committed') => bucket.reduce((s, p) => s + p[key], 0) / bucket.length;
    out.push({
      t: bucket[0]!.t,
      offered: mean('offered'),
      acknowledged: mean('acknowledged'),
      committed: mean('committed'),
      errors: Math.max(...bucket.map((p) => p.errors)),
    });
  }
  return out;
}

export function downsampleResults(results: Results, maxPoints = MAX_TIMELINE_POINTS): Results {
  return { ...results, runs: results.runs.map((run) => ({ ...run, timeline: downsampleTimeline(run.timeline, maxPoints) })) };
}
