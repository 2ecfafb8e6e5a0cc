/**
 * Open-model arrival schedules (pure; no clocks). Given an ArrivalSpec, yields the intended
 * start offset (ms from the start of load) of every operation of one flow.
 *
 * - constant `rate` (k6 constant-arrival-rate): operation i starts at i / rate, evenly spaced,
 *   the first at 0, for every offset strictly below the duration.
 * - `stages` (k6 ramping-arrival-rate): the rate moves linearly from `startRate` to each
 *   stage's `target` over the stage's duration; operation i starts at the moment the integral
 *   of the rate reaches i (so the first starts at 0 whenever the rate is positive there).
 *
 * `limit` caps the number of operations (maxSongs, songs × perSong).
 */
import type { ArrivalSpec } from '../scenario/schema.ts';

/** Length of a flow's load in ms: the stages' total, or the scenario duration for `rate`. */
export function arrivalLengthMs(spec: ArrivalSpec, scenarioDurationMs: number): number {
  if (spec.stages) return spec.stages.reduce((sum, s) => sum + s.duration, 0);
  return scenarioDurationMs;
}

/** Yields intended start offsets (ms, non-decreasing) of every operation of the flow. */
export function* arrivalOffsetsMs(spec: ArrivalSpec, scenarioDurationMs: number, limit = Infinity): Generator<number> {
  if (spec.stages) {
    yield* rampingOffsetsMs(spec.startRate, spec.stages, limit);
    return;
  }
  if (spec.rate === undefined || !(spec.rate > 0)) return;
  yield* constantOffsetsMs(spec.rate, scenarioDurationMs, limit);
}

function* constantOffsetsMs(ratePerSec: number, durationMs: number, limit: number): Generator<number> {
  const intervalMs = 1000 / ratePerSec;
  for (let i = 0; i < limit; i++) {
    const offsetMs = i * intervalMs;
    if (offsetMs >= durationMs) return;
    yield offsetMs;
  }
}

interface Segment {
  startMs: number;
  durationMs: number;
  fromRate: number;
  toRate: number;
  /** operations completed (integral of the rate) before the segment */
  opsBefore: number;
  /** operations over the segment (integral of the rate over it) */
  ops: number;
}

/** Cuts the stages into linear segments with the cumulative count at each start. */
export function rampSegments(startRate: number, stages: { duration: number; target: number }[]): Segment[] {
  const segments: Segment[] = [];
  let fromRate = startRate;
  let startMs = 0;
  let opsBefore = 0;
  for (const stage of stages) {
    const ops = ((fromRate + stage.target) / 2) * (stage.duration / 1000);
    if (stage.duration > 0) segments.push({ startMs, durationMs: stage.duration, fromRate, toRate: stage.target, opsBefore, ops });
    startMs += stage.duration;
    opsBefore += ops;
    fromRate = stage.target;
  }
  return segments;
}

/**
 * Time (ms into the segment) at which the integral of a linear rate a → b over d seconds
 * reaches x: solves a·t + (b−a)·t²/(2d) = x in the form 2x / (a + √(a² + 4kx)), which stays
 * exact when the ramp is flat and when it slopes down.
 */
export function invertLinearRampMs(fromRate: number, toRate: number, durationMs: number, x: number): number {
  if (x <= 0) return 0;
  const durationSec = durationMs / 1000;
  const k = (toRate - fromRate) / (2 * durationSec);
  const discriminant = Math.max(0, fromRate * fromRate + 4 * k * x);
  const denominator = fromRate + Math.sqrt(discriminant);
  if (denominator <= 0) return durationMs;
  return Math.min(durationMs, ((2 * x) / denominator) * 1000);
}

function* rampingOffsetsMs(startRate: number, stages: { duration: number; target: number }[], limit: number): Generator<number> {
  const segments = rampSegments(startRate, stages);
  let i = 0;
  let lastMs = 0;
  for (const seg of segments) {
    const end = seg.opsBefore + seg.ops;
    // ops whose cumulative index falls in [opsBefore, end) start inside this segment
    for (; i < limit && i < end - 1e-9; i++) {
      const offsetMs = seg.startMs + invertLinearRampMs(seg.fromRate, seg.toRate, seg.durationMs, i - seg.opsBefore);
      lastMs = Math.max(lastMs, offsetMs);
      yield lastMs;
    }
    if (i >= limit) return;
  }
}

/** Number of operations a flow will offer (walks the schedule; for tests and descriptions). */
export function countArrivals(spec: ArrivalSpec, scenarioDurationMs: number, limit = Infinity): number {
  let count = 0;
  for (const _ of arrivalOffsetsMs(spec, scenarioDurationMs, limit)) count++;
  return count;
}
