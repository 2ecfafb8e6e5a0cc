import { describe, expect, it } from 'vitest';
import { recoveryOfFaults, type TimelineSecond } from '../../runner/checkers/recovery.ts';

/** offered/acked per second, committed per second */
function timeline(rows: Array<[number, number]>): TimelineSecond[] {
  return rows.map(([offered, committed], t) => ({ t, offered, acknowledged: offered, committed }));
}

describe('recovery checker', () => {
  it('empty: no faults, no verdicts', () => {
    expect(recoveryOfFaults([], [])).toEqual([]);
  });

  it('sane: a backlog built during the fault drains two seconds after the heal', () => {
    // 10/s offered; commits stop during seconds 3-5 (fault 3000-6000 ms), then catch up
    const t = timeline([[10, 10], [10, 10], [10, 10], [10, 0], [10, 0], [10, 0], [10, 20], [10, 20], [10, 10], [10, 10]]);
    expect(recoveryOfFaults(t, [{ id: 'fault-1', startMs: 3000, endMs: 6000 }])).toEqual([{ id: 'fault-1', recovered: true, recoveryMs: 2000 }]);
  });

  it('pathological: never drains → not recovered; never healed → unknown', () => {
    const t = timeline([[10, 10], [10, 10], [10, 0], [10, 5], [10, 5], [10, 5]]);
    expect(recoveryOfFaults(t, [{ id: 'f1', startMs: 2000, endMs: 3000 }, { id: 'f2', startMs: 4000, endMs: null }])).toEqual([
      { id: 'f1', recovered: false, recoveryMs: null },
      { id: 'f2', recovered: 'unknown', recoveryMs: null },
    ]);
  });

  it('after the load ended, only the backlog matters', () => {
    // backlog 20 at the heal (more than one second of the pre-fault 10/s), drained in second 4
    const t = timeline([[10, 10], [10, 0], [10, 0], [0, 0], [0, 20], [0, 0]]);
    expect(recoveryOfFaults(t, [{ id: 'f', startMs: 1000, endMs: 3500 }])).toEqual([{ id: 'f', recovered: true, recoveryMs: 1500 }]);
  });

  it('a heal after the last second of the timeline (a restart slower than the load) is judged on how it ended', () => {
    // issue 19: under a busy machine the broker came back 17 s in, after the 12 s timeline; nothing acked was left uncommitted
    const t = timeline([[10, 10], [10, 10], [10, 0], [0, 0]]).map((p, i) => (i === 2 ? { ...p, acknowledged: 0 } : p));
    expect(recoveryOfFaults(t, [{ id: 'f', startMs: 2000, endMs: 17_184 }])).toEqual([{ id: 'f', recovered: true, recoveryMs: 0 }]);
    // the same late heal with acknowledged operations never committed: not recovered
    const stuck = timeline([[10, 10], [10, 10], [30, 0], [0, 0]]);
    expect(recoveryOfFaults(stuck, [{ id: 'f', startMs: 2000, endMs: 17_184 }])).toEqual([{ id: 'f', recovered: false, recoveryMs: null }]);
  });
});
