import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlannedOp } from '../../runner/load/plan.ts';
import { runSchedule } from '../../runner/load/scheduler.ts';

const plan = (offsets: number[]): PlannedOp[] => offsets.map((offsetMs, index) => ({ flow: 'uploads', index, offsetMs }));

interface Fired {
  index: number;
  intendedMs: number;
  firedAtMs: number;
}

describe('scheduler (fake clock)', { timeout: 5000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function start(offsets: number[], extra: { signal?: AbortSignal; maxBatch?: number; onFire?: (f: Fired) => void } = {}) {
    const fired: Fired[] = [];
    const startMs = Date.now();
    const done = runSchedule({
      plan: plan(offsets),
      startMs,
      now: () => Date.now(),
      signal: extra.signal,
      maxBatch: extra.maxBatch,
      fire: (op, intendedMs) => {
        const record = { index: op.index, intendedMs, firedAtMs: Date.now() };
        fired.push(record);
        extra.onFire?.(record);
      },
    });
    return { fired, startMs, done };
  }

  it('fires each operation at its time, never early, at most one timer tick late', async () => {
    const offsets = [0, 0, 5, 10.5, 100, 100.2, 250];
    const { fired, startMs, done } = start(offsets);
    await vi.advanceTimersByTimeAsync(0);
    expect(fired.map((f) => f.index)).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(9);
    expect(fired.map((f) => f.index)).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(300);
    const outcome = await done;
    expect(outcome).toEqual({ fired: 7, aborted: false });
    fired.forEach((f, i) => {
      expect(f.intendedMs).toBe(startMs + offsets[i]!);
      expect(f.firedAtMs).toBeGreaterThanOrEqual(f.intendedMs);
      expect(f.firedAtMs - f.intendedMs).toBeLessThanOrEqual(1);
    });
  });

  it('fires operations sharing a due time in one batch, yielding between batches', async () => {
    const { fired, done } = start(Array(10).fill(20), { maxBatch: 3 });
    await vi.advanceTimersByTimeAsync(19);
    expect(fired).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toHaveLength(3); // the rest wait for the event loop to turn
    await vi.runAllTimersAsync();
    await done;
    expect(fired).toHaveLength(10);
    expect(fired.every((f) => f.firedAtMs >= f.intendedMs)).toBe(true);
  });

  it('never slows the schedule down: after a stall, overdue operations keep their intended times', async () => {
    let stalled = false;
    const { fired, startMs, done } = start([0, 10, 20, 30, 40], {
      onFire: (f) => {
        if (f.index === 0 && !stalled) {
          stalled = true;
          vi.setSystemTime(Date.now() + 35); // the event loop was blocked for 35 ms
        }
      },
    });
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(fired.map((f) => f.intendedMs - startMs)).toEqual([0, 10, 20, 30, 40]);
    // ops 1..3 became due during the stall and went out together, late, at the same moment
    expect(new Set(fired.slice(1, 4).map((f) => f.firedAtMs)).size).toBe(1);
    expect(fired[1]!.firedAtMs - fired[1]!.intendedMs).toBeGreaterThanOrEqual(25);
  });

  it('stops scheduling when aborted, also while sleeping', async () => {
    const controller = new AbortController();
    const { fired, done } = start([0, 50, 1000, 2000], { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(60);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(await done).toEqual({ fired: 2, aborted: true });
    expect(fired).toHaveLength(2);
  });

  it('uses one timer per wake-up rather than spinning', async () => {
    const spy = vi.spyOn(globalThis, 'setImmediate');
    const { done } = start([0, 100, 200, 300]);
    await vi.advanceTimersByTimeAsync(400);
    await done;
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
