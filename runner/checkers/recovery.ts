/**
 * recovery: for each healed fault, the time from the heal until the system is back — the
 * backlog (acknowledged but not yet committed, cumulative) is down to at most about one second
 * of the pre-fault traffic and, while load is still offered, the committed rate is back to at
 * least 90% of the offered rate. Pure: per-second timeline + fault windows in, one verdict per
 * fault out. A fault never healed is "unknown"; one that did not recover before the run's last
 * second is `recovered: false` with `recoveryMs: null`. A heal after the timeline's last second
 * (a slow restart that outlived the load) is judged on the state the timeline ended in: no load
 * and a backlog within bounds is back at the heal (recoveryMs 0).
 */
import type { Validity } from '../results/schema.ts';

export interface TimelineSecond {
  t: number;
  offered: number;
  acknowledged: number;
  committed: number;
}

export interface FaultWindowMs {
  id: string;
  startMs: number;
  endMs: number | null;
}

export interface FaultRecovery {
  id: string;
  recovered: Validity;
  /** ms from the heal until recovered (second resolution); null when not recovered or unknown */
  recoveryMs: number | null;
}

const PRE_FAULT_WINDOW_S = 5;
const RATE_RATIO = 0.9;

export function recoveryOfFaults(timeline: TimelineSecond[], faults: FaultWindowMs[]): FaultRecovery[] {
  const backlog: number[] = [];
  let acked = 0;
  let committed = 0;
  for (const point of timeline) {
    acked += point.acknowledged;
    committed += point.committed;
    backlog.push(Math.max(0, acked - committed));
  }
  return faults.map((fault) => recoveryOf(fault, timeline, backlog));
}

function recoveryOf(fault: FaultWindowMs, timeline: TimelineSecond[], backlog: number[]): FaultRecovery {
  if (fault.endMs === null) return { id: fault.id, recovered: 'unknown', recoveryMs: null };
  const startS = Math.max(0, Math.floor(fault.startMs / 1000));
  const pre = timeline.slice(Math.max(0, startS - PRE_FAULT_WINDOW_S), startS);
  const preRate = pre.length ? pre.reduce((sum, p) => sum + p.offered, 0) / pre.length : 0;
  const allowedBacklog = Math.max(backlog[startS - 1] ?? 0, Math.ceil(preRate), 1);
  const healS = Math.floor(fault.endMs / 1000);
  if (healS >= timeline.length) {
    const back = (backlog[timeline.length - 1] ?? 0) <= allowedBacklog;
    return back ? { id: fault.id, recovered: true, recoveryMs: 0 } : { id: fault.id, recovered: false, recoveryMs: null };
  }
  for (let s = healS; s < timeline.length; s++) {
    const point = timeline[s]!;
    const rateBack = point.offered === 0 || point.committed >= RATE_RATIO * point.offered;
    if (backlog[s]! <= allowedBacklog && rateBack) {
      return { id: fault.id, recovered: true, recoveryMs: Math.max(0, (s + 1) * 1000 - fault.endMs) };
    }
  }
  return { id: fault.id, recovered: false, recoveryMs: null };
}
