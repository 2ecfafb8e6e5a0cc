/**
 * Throughput timeline per run: offered, acknowledged, committed and errors per second, with the
 * fault windows as shaded bands (seconds since the load started) and recovery per fault.
 */
import type { Results, RunResult } from './types.ts';

export interface TimelineRow {
  t: number;
  offered: number;
  acknowledged: number;
  committed: number;
  errors: number;
}

export interface FaultBand {
  id: string;
  label: string;
  startS: number;
  /** an open fault (endMs null) is shaded to the end of the timeline */
  endS: number;
  open: boolean;
  /** recovery time after the fault; null = not measured (no recovery check in the results) */
  recoveryMs: number | null;
}

export interface RunTimeline {
  tech: string;
  rows: TimelineRow[];
  faults: FaultBand[];
}

/** A recovery check, when one exists, reports `recoveryMs.<faultId>` or `recoveryMs` counts. */
function recoveryOf(run: RunResult, faultId: string): number | null {
  for (const flow of Object.values(run.flows)) {
    for (const check of Object.values(flow.checks)) {
      if (!/recover/i.test(check.checker)) continue;
      const value = check.counts[`recoveryMs.${faultId}`] ?? check.counts[`${faultId}.recoveryMs`];
      if (typeof value === 'number') return value;
    }
  }
  return null;
}

export function runTimeline(run: RunResult): RunTimeline {
  const rows = [...run.timeline].sort((a, b) => a.t - b.t).map((p) => ({ ...p }));
  const lastT = rows.length > 0 ? rows[rows.length - 1]!.t : 0;
  const faults = run.faults.map((fault) => {
    const startS = fault.startMs / 1000;
    const endS = fault.endMs === null ? Math.max(lastT, startS) : fault.endMs / 1000;
    return {
      id: fault.id,
      label: `${fault.type} on ${fault.target}`,
      startS,
      endS,
      open: fault.endMs === null,
      recoveryMs: recoveryOf(run, fault.id),
    };
  });
  return { tech: run.tech, rows, faults };
}

export function timelines(results: Results): RunTimeline[] {
  return results.runs.map(runTimeline);
}

export function formatRecovery(recoveryMs: number | null): string {
  if (recoveryMs === null) return 'not measured';
  return recoveryMs < 1000 ? `${Math.round(recoveryMs)} ms` : `${(recoveryMs / 1000).toFixed(1)} s`;
}
