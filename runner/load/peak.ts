/**
 * The scenario's peak: the windows where the planned arrival rate (all flows together) is at
 * least 90 % of its highest, for a ramping load only (a constant load has no peak). The report
 * shades them beside the fault windows, so what a technology did under the peak is visible.
 * Pure; sampled every 100 ms of the plan (stages are piecewise linear, as k6 ramps).
 */
import type { ArrivalSpec, Scenario } from '../scenario/schema.ts';

const STEP_MS = 100;
const PEAK_SHARE = 0.9;

/** Planned rate (ops/s) of one flow `tMs` after the load started. */
export function rateAt(spec: ArrivalSpec, tMs: number): number {
  if (!spec.stages) return spec.rate ?? 0;
  let from = spec.startRate ?? 0;
  let startMs = 0;
  for (const stage of spec.stages) {
    if (tMs < startMs + stage.duration) return stage.duration === 0 ? stage.target : from + ((stage.target - from) * (tMs - startMs)) / stage.duration;
    startMs += stage.duration;
    from = stage.target;
  }
  return 0;
}

export function peakWindows(scenario: Pick<Scenario, 'load' | 'duration'>): Array<{ startMs: number; endMs: number }> {
  const specs = [scenario.load.uploads, scenario.load.comments].filter((s): s is NonNullable<typeof s> => s !== undefined);
  if (!specs.some((s) => s.stages)) return [];
  const rates: number[] = [];
  for (let t = 0; t < scenario.duration; t += STEP_MS) rates.push(specs.reduce((sum, s) => sum + rateAt(s, t), 0));
  const max = Math.max(0, ...rates);
  const min = Math.min(...rates);
  if (max === 0 || max <= min * 1.2) return []; // flat: no peak to speak of
  const windows: Array<{ startMs: number; endMs: number }> = [];
  rates.forEach((rate, i) => {
    if (rate < max * PEAK_SHARE) return;
    const last = windows.at(-1);
    if (last && last.endMs === i * STEP_MS) last.endMs = (i + 1) * STEP_MS;
    else windows.push({ startMs: i * STEP_MS, endMs: (i + 1) * STEP_MS });
  });
  return windows;
}
