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
  /** recovery time after the heal (results' faults[].recoveryMs); null when not recovered or not measured */
  recoveryMs: number | null;
  /** the recovery checker's verdict; undefined = not measured (older results) */
  recovered?: boolean | 'unknown';
}

export interface RunTimeline {
  tech: string;
  rows: TimelineRow[];
  faults: FaultBand[];
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
      recoveryMs: fault.recoveryMs ?? null,
      ...(fault.recovered === undefined ? {} : { recovered: fault.recovered }),
    };
  });
  return { tech: run.tech, rows, faults };
}

export function timelines(results: Results): RunTimeline[] {
  return results.runs.map(runTimeline);
}

export function formatRecovery(recoveryMs: number | null, recovered?: boolean | 'unknown'): string {
  if (recovered === false) return 'did not recover before the run ended';
  if (recovered === 'unknown') return 'unknown (never healed)';
  if (recoveryMs === null) return 'not measured';
  return recoveryMs < 1000 ? `${Math.round(recoveryMs)} ms` : `${(recoveryMs / 1000).toFixed(1)} s`;
}
