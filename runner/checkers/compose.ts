/**
 * The composition: records in (any order, any number of files), every checker's result per
 * flow, the per-second timeline and the load counts out. One pass builds the index; the
 * checkers run on it in `finish()`. Use `createChecker` to feed records while streaming,
 * `checkHistory` for an in-memory history, `checkHistoryDir` for a run's history directory.
 */
import type { HopRecord } from '../contracts/history.ts';
import { readHistoryDir, type ReadStats } from '../history/reader.ts';
import type { CheckResult, FlowResult, TimelinePoint, Validity } from '../results/schema.ts';

export type { TimelinePoint };
import { FLOW_KIND, FLOWS, type Flow } from '../contracts/flows.ts';
import { F, FLOW_NONE, HistoryIndex, type FaultRecordWindow } from './index.ts';
import { checkersFor } from './registry.ts';
import { combineValidity } from './result.ts';

export interface CheckMeta {
  /** subscribers expected to receive every song-added event */
  subscribers: string[];
  /** epoch ms when the load started (timeline second 0) */
  startedAtMs: number;
}

export interface LoadCounts {
  attempted: number;
  sent: number;
  acknowledged: number;
  /** operations that ended in `failed` (any status) and were never acknowledged */
  failed: number;
  dropped: number;
}

export interface HistoryCheck {
  flows: Record<Flow, FlowResult>;
  timeline: TimelinePoint[];
  load: LoadCounts;
  /** fault windows from faultStart / faultStop records, ms since startedAtMs */
  faults: FaultRecordWindow[];
}

export interface Checker {
  add(record: HopRecord): void;
  finish(): HistoryCheck;
}

export function createChecker(meta: CheckMeta): Checker {
  const index = new HistoryIndex(meta);
  return {
    add: (record) => index.add(record),
    finish: () => judge(index),
  };
}

export function checkHistory(records: Iterable<HopRecord>, meta: CheckMeta): HistoryCheck {
  const index = new HistoryIndex(meta);
  for (const record of records) index.add(record);
  return judge(index);
}

/** Streams a run's history directory through the checker. */
export async function checkHistoryDir(dir: string, meta: CheckMeta): Promise<HistoryCheck & { read: ReadStats }> {
  const index = new HistoryIndex(meta);
  const read = await readHistoryDir(dir, (record) => index.add(record));
  return { ...judge(index), read };
}

/**
 * Runs every registered checker on a built index. A flow's `valid` combines the checks that
 * judge (not latency): false if any is false, "unknown" if none is false and any is unknown.
 */
export function judge(index: HistoryIndex): HistoryCheck {
  const flows = {} as Record<Flow, FlowResult>;
  for (const flow of FLOWS) {
    const checks: Record<string, CheckResult> = {};
    const verdicts: Validity[] = [];
    for (const checker of checkersFor(flow)) {
      const check = checker.run(index, flow);
      checks[checker.name] = check;
      if (checker.judges) verdicts.push(check.valid);
    }
    flows[flow] = { kind: FLOW_KIND[flow], valid: combineValidity(verdicts), checks };
  }
  return { flows, timeline: timeline(index), load: loadCounts(index), faults: [...index.faults.values()] };
}

function timeline(index: HistoryIndex): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  for (let s = 0; s <= index.lastSecond; s++) {
    points.push({
      t: s,
      offered: index.offered[s],
      acknowledged: index.acknowledged[s],
      committed: index.committed[s],
      errors: index.errors[s],
    });
  }
  return points;
}

function loadCounts(index: HistoryIndex): LoadCounts {
  const load: LoadCounts = { attempted: 0, sent: 0, acknowledged: 0, failed: 0, dropped: 0 };
  for (let i = 0; i < index.size; i++) {
    if (index.flow[i] === FLOW_NONE) continue;
    const f = index.flags[i];
    if (f & F.INTENDED) load.attempted++;
    if (f & F.SENT) load.sent++;
    if (f & F.ACKED) load.acknowledged++;
    else if (f & (F.FAILED_DEFINITE | F.FAILED_INDETERMINATE)) load.failed++;
    if (f & F.DROPPED) load.dropped++;
  }
  return load;
}
