/**
 * Percentiles with distribution-free confidence intervals (order statistics), and the one rule
 * that turns two intervals into a winner or "no measurable difference".
 *
 * Why order statistics and not a bootstrap: the interval for a quantile needs no resampling and
 * no random numbers (the same data always gives the same verdict), and it is honest at the tail:
 * with n = 200 the 99th percentile's upper bound is beyond the largest sample, so the interval is
 * open (`highMs: null`) and no winner can be declared on it. The ranks come from the binomial
 * distribution of "how many samples fall below the true quantile" (normal approximation with a
 * continuity correction; n is always shown beside the interval).
 *
 * A QuantileSource is where the ranked values come from: raw samples (exact order statistics,
 * what `compare` uses) or a recorded percentile curve (results.json's HdrHistogram curve,
 * interpolated; what the single-run report uses). Pure: no I/O, runs in the browser too.
 */

export interface QuantileSource {
  /** number of samples */
  n: number;
  /** the value of rank r (1-based, 1 = smallest, n = largest) */
  at(rank: number): number;
  /** 'samples' (exact) or 'curve' (interpolated from recorded percentiles) */
  basis: 'samples' | 'curve';
}

export interface Interval {
  /** the percentile (0..100) */
  percentile: number;
  estimateMs: number;
  /** lower bound (the smallest sample when the interval is open below) */
  lowMs: number;
  /** upper bound; null: the interval is open above (too few samples for this percentile) */
  highMs: number | null;
  n: number;
  confidence: number;
}

/** z for a two-sided interval: 0.95 → 1.96 (the only levels offered, so no inverse-normal code). */
const Z: Record<string, number> = { '0.9': 1.6449, '0.95': 1.96, '0.99': 2.5758 };

export function fromSamples(values: readonly number[]): QuantileSource {
  const sorted = Float64Array.from(values).sort();
  return { n: sorted.length, basis: 'samples', at: (rank) => sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]! };
}

/** A recorded curve (ascending percentiles 0..100) of n samples, linearly interpolated. */
export function fromCurve(curve: readonly { percentile: number; valueMs: number }[], n: number): QuantileSource {
  const points = [...curve].sort((a, b) => a.percentile - b.percentile);
  const valueAt = (pct: number): number => {
    if (points.length === 0) return NaN;
    if (pct <= points[0]!.percentile) return points[0]!.valueMs;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      if (pct <= b.percentile) return b.percentile === a.percentile ? b.valueMs : a.valueMs + ((pct - a.percentile) / (b.percentile - a.percentile)) * (b.valueMs - a.valueMs);
    }
    return points[points.length - 1]!.valueMs;
  };
  return { n, basis: 'curve', at: (rank) => valueAt(n <= 1 ? 100 : ((Math.min(n, Math.max(1, rank)) - 1) / (n - 1)) * 100) };
}

/** The percentile's estimate (nearest rank) and its order-statistic confidence interval. */
export function percentileInterval(source: QuantileSource, percentile: number, confidence = 0.95): Interval | null {
  const { n } = source;
  if (n === 0) return null;
  const p = percentile / 100;
  const z = Z[String(confidence)] ?? 1.96;
  const spread = z * Math.sqrt(n * p * (1 - p));
  const lowRank = Math.floor(n * p - spread - 0.5);
  const highRank = Math.ceil(n * p + spread + 0.5) + 1;
  const estimateRank = Math.max(1, Math.ceil(p * n));
  return {
    percentile,
    estimateMs: source.at(estimateRank),
    lowMs: source.at(Math.max(1, lowRank)),
    highMs: highRank > n ? null : source.at(highRank),
    n,
    confidence,
  };
}

export interface Separation {
  /** the candidate whose interval lies wholly below every other's; null when none does */
  winner: string | null;
  /** candidates whose intervals overlap the best one's (no measurable difference among them) */
  tied: string[];
}

/**
 * A winner only where intervals separate: the candidate with the lowest estimate wins when its
 * upper bound is below every other candidate's lower bound. An open interval (highMs null) never
 * separates. Fewer than two candidates: no comparison (winner null, tied = the candidates).
 */
export function separate(intervals: { name: string; interval: Interval | null }[]): Separation {
  const known = intervals.filter((c): c is { name: string; interval: Interval } => c.interval !== null);
  if (known.length < 2) return { winner: null, tied: known.map((c) => c.name) };
  const sorted = [...known].sort((a, b) => a.interval.estimateMs - b.interval.estimateMs);
  const best = sorted[0]!;
  const high = best.interval.highMs;
  const overlapping = sorted.slice(1).filter((c) => high === null || c.interval.lowMs <= high);
  if (overlapping.length === 0) return { winner: best.name, tied: [] };
  return { winner: null, tied: [best.name, ...overlapping.map((c) => c.name)] };
}

export function formatInterval(interval: Interval | null): string {
  if (!interval) return 'no samples';
  const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
  return `p${interval.percentile} ${f(interval.estimateMs)} ms [${f(interval.lowMs)}, ${interval.highMs === null ? 'open' : f(interval.highMs)}] n=${interval.n}`;
}
