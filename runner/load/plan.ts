/**
 * The load plan of a scenario (pure): every operation of every flow with its intended start
 * offset, merged into one time-ordered sequence. Built lazily, so a million-operation
 * scenario costs no memory up front.
 */
import type { Scenario } from '../scenario/schema.ts';
import { arrivalLengthMs, arrivalOffsetsMs } from './arrival.ts';

export type LoadFlow = 'uploads' | 'comments';

export interface PlannedOp {
  flow: LoadFlow;
  /** 0-based index of the operation within its flow */
  index: number;
  /** intended start, ms after the load phase starts */
  offsetMs: number;
}

/** Cap on a flow's operations: uploads.maxSongs; comments.songs × comments.perSong. */
export function flowLimit(scenario: Scenario, flow: LoadFlow): number {
  if (flow === 'uploads') return scenario.load.uploads?.maxSongs ?? Infinity;
  const comments = scenario.load.comments;
  if (!comments || comments.perSong === undefined) return Infinity;
  return comments.songs * comments.perSong;
}

export function* flowPlan(scenario: Scenario, flow: LoadFlow): Generator<PlannedOp> {
  const spec = scenario.load[flow];
  if (!spec) return;
  let index = 0;
  for (const offsetMs of arrivalOffsetsMs(spec, scenario.duration, flowLimit(scenario, flow))) {
    yield { flow, index: index++, offsetMs };
  }
}

/** Merges time-ordered sources into one; ties keep source order (uploads before comments). */
export function* mergePlans(...sources: Iterable<PlannedOp>[]): Generator<PlannedOp> {
  const iterators = sources.map((s) => s[Symbol.iterator]());
  const heads = iterators.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (head.done) continue;
      if (best < 0 || head.value.offsetMs < (heads[best]!.value as PlannedOp).offsetMs) best = i;
    }
    if (best < 0) return;
    yield heads[best]!.value as PlannedOp;
    heads[best] = iterators[best]!.next();
  }
}

/** Every operation of the scenario's load, in intended-start order. */
export function loadPlan(scenario: Scenario): Generator<PlannedOp> {
  return mergePlans(flowPlan(scenario, 'uploads'), flowPlan(scenario, 'comments'));
}

/** Length of the load phase in ms: the longest flow (stages' total, or the scenario duration). */
export function loadLengthMs(scenario: Scenario): number {
  const lengths = (['uploads', 'comments'] as const).flatMap((flow) => {
    const spec = scenario.load[flow];
    return spec ? [arrivalLengthMs(spec, scenario.duration)] : [];
  });
  return Math.max(0, ...lengths);
}
