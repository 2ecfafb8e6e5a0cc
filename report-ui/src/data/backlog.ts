/**
 * Backlog depth per second (results timeline `backlog`, `backlogByFlow`), with the fault and
 * peak windows as shaded bands: load levelling is the backlog growing while demand exceeds
 * what the workers can store, then draining. Runs without samples (older results): no rows.
 */
import { runTimeline, type FaultBand } from './timeline.ts';
import type { RunResult } from './types.ts';

export interface BacklogRow {
  t: number;
  backlog: number;
  uploads: number;
  comments: number;
  songAdded: number;
}

export interface BacklogView {
  tech: string;
  rows: BacklogRow[];
  faults: FaultBand[];
  peaks: Array<{ startS: number; endS: number }>;
  maxBacklog: number;
}

export function backlogView(run: RunResult): BacklogView {
  const rows = [...run.timeline]
    .filter((p) => p.backlog !== undefined)
    .sort((a, b) => a.t - b.t)
    .map((p) => ({ t: p.t, backlog: p.backlog!, uploads: p.backlogByFlow?.uploads ?? 0, comments: p.backlogByFlow?.comments ?? 0, songAdded: p.backlogByFlow?.['song-added'] ?? 0 }));
  const peaks = (run.peaks ?? []).map((p) => ({ startS: p.startMs / 1000, endS: p.endMs / 1000 }));
  return { tech: run.tech, rows, faults: runTimeline(run).faults, peaks, maxBacklog: Math.max(0, ...rows.map((r) => r.backlog)) };
}
