import { describe, expect, it } from 'vitest';
import { arrivalLengthMs, arrivalOffsetsMs, countArrivals, invertLinearRampMs } from '../../runner/load/arrival.ts';
import { flowLimit, loadLengthMs, loadPlan } from '../../runner/load/plan.ts';
import { scenarioSchema, type ArrivalSpec } from '../../runner/scenario/schema.ts';

const constant = (rate: number): ArrivalSpec => ({ rate, startRate: 0 });
const ramp = (startRate: number, stages: [number, number][]): ArrivalSpec => ({
  startRate,
  stages: stages.map(([duration, target]) => ({ duration, target })),
});
const offsets = (spec: ArrivalSpec, durationMs: number, limit?: number) => [...arrivalOffsetsMs(spec, durationMs, limit)];

function expectNonDecreasing(values: number[]) {
  for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
}

describe('constant arrival rate', () => {
  it('spaces operations evenly from 0, strictly before the end', () => {
    expect(offsets(constant(10), 1000)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('handles rates that do not divide the duration', () => {
    expect(offsets(constant(3), 1000)).toHaveLength(3);
    expect(offsets(constant(0.5), 5000)).toEqual([0, 2000, 4000]);
    expect(countArrivals(constant(7), 2500)).toBe(18);
  });

  it('stops at the limit', () => {
    expect(offsets(constant(100), 10_000, 4)).toEqual([0, 10, 20, 30]);
  });

  it('offers nothing for an empty duration', () => {
    expect(offsets(constant(100), 0)).toEqual([]);
  });
});

describe('ramping arrival rate', () => {
  it('inverts the integral of a linear ramp from 0 (rate = t per second: op i at sqrt(2i) s)', () => {
    const spec = ramp(0, [[10_000, 10]]);
    const times = offsets(spec, 1);
    expect(times).toHaveLength(50);
    expect(times[0]).toBe(0);
    expect(times[8]).toBeCloseTo(4000, 6);
    expect(times[49]).toBeCloseTo(Math.sqrt(98) * 1000, 6);
    expectNonDecreasing(times);
  });

  it('is dense where the rate is high: a ramp down front-loads operations', () => {
    const times = offsets(ramp(10, [[10_000, 0]]), 1);
    expect(times).toHaveLength(50);
    expectNonDecreasing(times);
    const firstHalf = times.filter((t) => t < 5000).length;
    expect(firstHalf).toBe(38); // integral over 0..5 s = 37.5 → ops 0..37
    expect(times.length - firstHalf).toBe(12);
  });

  it('chains stages, each starting from the previous target', () => {
    const spec = ramp(0, [
      [2000, 10],
      [3000, 10],
      [1000, 0],
    ]);
    const times = offsets(spec, 1);
    expect(times).toHaveLength(10 + 30 + 5);
    expectNonDecreasing(times);
    // the flat stage is evenly spaced at 100 ms, starting where the ramp's integral reached 10
    expect(times[10]).toBeCloseTo(2000, 6);
    expect(times[11]).toBeCloseTo(2100, 6);
    expect(times.every((t) => t < 6000)).toBe(true);
    expect(arrivalLengthMs(spec, 99_999)).toBe(6000);
  });

  it('a zero-length stage jumps the rate; a stage at rate 0 offers nothing', () => {
    const jump = offsets(ramp(0, [[0, 100], [1000, 100]]), 1);
    expect(jump).toHaveLength(100);
    expect(jump[1]).toBeCloseTo(10, 9);
    expect(jump[99]).toBeCloseTo(990, 9);
    expect(offsets(ramp(0, [[5000, 0]]), 1)).toEqual([]);
  });

  it('ignores the scenario duration and honours the limit', () => {
    expect(countArrivals(ramp(10, [[1000, 10]]), 1)).toBe(10);
    expect(countArrivals(ramp(10, [[1000, 10]]), 1, 3)).toBe(3);
  });

  it('inverts a sloped ramp exactly at its end points', () => {
    // 4 → 8 ops/s over 2 s: 12 operations in total
    expect(invertLinearRampMs(4, 8, 2000, 0)).toBe(0);
    expect(invertLinearRampMs(4, 8, 2000, 12)).toBeCloseTo(2000, 9);
    expect(invertLinearRampMs(8, 4, 2000, 12)).toBeCloseTo(2000, 9);
    // first second of 4 → 8: integral = 4 + 1 = 5
    expect(invertLinearRampMs(4, 8, 2000, 5)).toBeCloseTo(1000, 9);
  });
});

describe('load plan', () => {
  const scenario = scenarioSchema.parse({
    name: 'plan',
    description: 'plan test',
    duration: '2s',
    load: {
      uploads: { rate: 30, maxSongs: 25 },
      comments: { stages: [{ duration: '1s', target: 40 }], songs: 3, perSong: 4 },
    },
  });

  it('caps flows and merges them in time order', () => {
    expect(flowLimit(scenario, 'uploads')).toBe(25);
    expect(flowLimit(scenario, 'comments')).toBe(12);
    const plan = [...loadPlan(scenario)];
    expect(plan.filter((op) => op.flow === 'uploads').map((op) => op.index)).toEqual([...Array(25).keys()]);
    expect(plan.filter((op) => op.flow === 'comments')).toHaveLength(12);
    expectNonDecreasing(plan.map((op) => op.offsetMs));
    expect(loadLengthMs(scenario)).toBe(2000);
  });
});
