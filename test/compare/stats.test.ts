import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../runner/contracts/random.ts';
import { fromCurve, fromSamples, percentileInterval, separate } from '../../runner/verdict/stats.ts';

/** Deterministic log-normal samples (mulberry32 + Box-Muller): same seed, same data. */
function lognormal(seed: number, n: number, medianMs: number, sigma = 0.5): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand())));
}

describe('order-statistic percentile intervals', () => {
  it('contains the estimate, narrows with n, and is open above when n is too small for the tail', () => {
    const small = percentileInterval(fromSamples(lognormal(1, 200, 20)), 99)!;
    expect(small.n).toBe(200);
    expect(small.highMs).toBeNull(); // rank above 200: the p99 of 200 samples has no upper bound
    const big = percentileInterval(fromSamples(lognormal(1, 20_000, 20)), 50)!;
    expect(big.lowMs).toBeLessThanOrEqual(big.estimateMs);
    expect(big.highMs!).toBeGreaterThanOrEqual(big.estimateMs);
    expect(big.highMs! - big.lowMs).toBeLessThan(1.5); // about ±0.7 % of the median at n=20000
    const mid = percentileInterval(fromSamples(lognormal(1, 500, 20)), 50)!;
    expect(mid.highMs! - mid.lowMs).toBeGreaterThan(big.highMs! - big.lowMs);
    expect(percentileInterval(fromSamples([]), 50)).toBeNull();
  });

  it('covers the true median about 95 % of the time (calibration over 400 seeds)', () => {
    let covered = 0;
    for (let seed = 0; seed < 400; seed++) {
      const i = percentileInterval(fromSamples(lognormal(seed * 7919 + 3, 300, 10)), 50)!;
      if (i.lowMs <= 10 && 10 <= i.highMs!) covered++;
    }
    expect(covered / 400).toBeGreaterThan(0.9);
    expect(covered / 400).toBeLessThan(0.995);
  });

  it('reads a recorded curve the same way (interpolated)', () => {
    const curve = [0, 50, 90, 99, 100].map((percentile) => ({ percentile, valueMs: percentile }));
    const i = percentileInterval(fromCurve(curve, 1001), 50)!;
    expect(i.estimateMs).toBeCloseTo(50, 0);
    expect(i.lowMs).toBeLessThan(50);
    expect(i.highMs!).toBeGreaterThan(50);
  });
});

describe('winner only where intervals separate', () => {
  it('two technologies with samples from the same distribution: no measurable difference', () => {
    const a = fromSamples(lognormal(11, 800, 25));
    const b = fromSamples(lognormal(12, 800, 25));
    for (const p of [50, 99]) {
      const s = separate([{ name: 'a', interval: percentileInterval(a, p) }, { name: 'b', interval: percentileInterval(b, p) }]);
      expect(s.winner).toBeNull();
      expect(s.tied.sort()).toEqual(['a', 'b']);
    }
  });

  it('clearly separated distributions: the faster one wins', () => {
    const fast = fromSamples(lognormal(21, 800, 10));
    const slow = fromSamples(lognormal(22, 800, 40));
    const s = separate([{ name: 'slow', interval: percentileInterval(slow, 50) }, { name: 'fast', interval: percentileInterval(fast, 50) }]);
    expect(s).toEqual({ winner: 'fast', tied: [] });
    const p99 = separate([{ name: 'slow', interval: percentileInterval(slow, 99) }, { name: 'fast', interval: percentileInterval(fast, 99) }]);
    expect(p99.winner).toBe('fast');
  });

  it('an open interval never separates; one candidate is no comparison', () => {
    const few = fromSamples(lognormal(31, 50, 5));
    const many = fromSamples(lognormal(32, 5000, 50));
    expect(separate([{ name: 'few', interval: percentileInterval(few, 99) }, { name: 'many', interval: percentileInterval(many, 99) }]).winner).toBeNull();
    expect(separate([{ name: 'x', interval: percentileInterval(many, 50) }])).toEqual({ winner: null, tied: ['x'] });
  });
});
