/** Turns one technology's checked history into its results.json entry. */
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import type { LoadSummary } from '../load/engine.ts';
import type { ReadStats } from '../history/reader.ts';
import type { HistoryCheck } from '../checkers/compose.ts';
import { combineValidity } from '../checkers/result.ts';
import { recoveryOfFaults } from '../checkers/recovery.ts';
import type { RunResult } from '../results/schema.ts';
import { peakWindows } from '../load/peak.ts';
import { withBacklog, type BacklogSample } from './backlog-sampler.ts';

/** The settings a run used, for the report (no endpoints or keys: nothing secret). */
export function runConfig(scenario: Scenario, tech: Tech): Record<string, unknown> {
  return { tech, seed: scenario.seed, load: scenario.load, backend: scenario.backend, durationMs: scenario.duration, drainLimitMs: scenario.drainLimit };
}

interface SummarizeInput {
  tech: Tech;
  scenario: Scenario;
  startedAt: Date;
  summary: LoadSummary;
  drained: RunResult['drain'];
  checked: HistoryCheck & { read: ReadStats };
  engine: string;
  /** the broker's backlog sampled during the load and the drain (none: the timeline has no backlog) */
  backlog?: BacklogSample[];
}

/** Fault windows with the recovery checker's verdict for each. */
function withRecovery(checked: HistoryCheck): RunResult['faults'] {
  const recoveries = recoveryOfFaults(checked.timeline, checked.faults);
  return checked.faults.map((fault, i) => ({ ...fault, recovered: recoveries[i]!.recovered, recoveryMs: recoveries[i]!.recoveryMs }));
}

function peaksOf(scenario: Scenario): Pick<RunResult, 'peaks'> {
  const peaks = peakWindows(scenario);
  return peaks.length ? { peaks } : {};
}

export function summarizeRun(input: SummarizeInput): RunResult {
  const { checked, drained } = input;
  const stats = checked.read;
  const errors: string[] = [];
  if (!drained.drained) {
    const p = drained.pending;
    const what = p ? `: ${p.operations} operation(s) and ${p.events} event(s) still pending (counted pending, not lost or missing)${p.backlogs.length ? `; backlog ${p.backlogs.map((b) => `${b.entity} ${b.count}`).join(', ')}` : ''}` : '';
    errors.push(`the drain limit (${input.scenario.drainLimit} ms) passed before the stack was quiet${what}`);
  }
  if (stats.tornLines > 0) errors.push(`${stats.tornLines} torn history line(s) skipped (a process was killed mid-write): ${stats.tornAt.join(', ')}`);
  return {
    tech: input.tech,
    status: 'completed',
    valid: combineValidity(Object.values(checked.flows).map((f) => f.valid)),
    startedAt: input.startedAt.toISOString(),
    durationMs: input.summary.endedAtMs - input.summary.startedAtMs,
    drain: drained,
    load: { engine: input.engine, ...checked.load, ...(input.summary.k6 ? { k6: input.summary.k6 } : {}) },
    flows: checked.flows,
    timeline: withBacklog(checked.timeline, input.backlog ?? []),
    faults: withRecovery(checked),
    ...peaksOf(input.scenario),
    errors,
    config: runConfig(input.scenario, input.tech),
  };
}

export function emptyRun(tech: Tech, scenario: Scenario, startedAt: Date, engine: string, error: string): RunResult {
  return {
    tech,
    status: 'failed',
    error,
    valid: 'unknown',
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    drain: { durationMs: 0, drained: false },
    load: { engine, attempted: 0, sent: 0, acknowledged: 0, failed: 0, dropped: 0 },
    flows: {},
    timeline: [],
    faults: [],
    errors: [error],
    config: runConfig(scenario, tech),
  };
}
