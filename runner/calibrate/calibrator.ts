/**
 * What `moshpit calibrate` needs of a technology, asked of its profile (fixtures/<tech>/profile.ts,
 * `calibrator`): the operations it times (the latency keys of its tier files in fixtures/<tech>/tiers),
 * those it cannot time, how it measures, what it creates and how it cleans up, and the load it
 * sends (for the estimate). A technology without one (direct) has no broker to time.
 */
import type { PlannedLoad } from '../pricing/estimate.ts';
import type { Target } from '../target/resolve.ts';
import type { Tech } from '../techs.ts';
import type { MeasureContext, Samples } from './samples.ts';
import { profileOf } from '../../fixtures/technologies.ts';

export interface Calibrator {
  operations: readonly string[];
  /** latency keys of the tier this version cannot measure (the tier's estimate stays) */
  notMeasured: readonly string[];
  /** the endpoint field of the target whose host names the calibration */
  endpointField: string;
  creates(target: Target, prefix: string): string[];
  /** the broker load of `calls` iterations, in the estimate's terms (no namespace is created: no hourly charge) */
  load(calls: number): PlannedLoad;
  measure(ctx: MeasureContext, created: (what: string) => void): Promise<Samples>;
  clean(ctx: Pick<MeasureContext, 'target' | 'prefix'>): Promise<void>;
}

/** The calibrator of a technology that has one (every profiled technology does). */
export function calibratorOf(tech: Tech): Calibrator {
  const calibrator = profileOf(tech).calibrator;
  if (!calibrator) throw new Error(`${tech} has no broker to time`);
  return calibrator;
}
