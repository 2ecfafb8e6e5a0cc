/**
 * Time-driven firing of a load plan (no HTTP here). Sleeps with one timer until the next
 * operation is due, then fires every operation whose time has come in one batch; never fires
 * early and never slows the plan down: a late wake-up shows as publish delay, not as a shifted
 * schedule. Timers are the global ones so tests can drive it with fake timers.
 */
import type { PlannedOp } from './plan.ts';

export interface RunScheduleOptions {
  plan: Iterable<PlannedOp>;
  /** epoch ms of offset 0 (same clock as `now`) */
  startMs: number;
  now: () => number;
  /** called synchronously for every due operation; intendedMs = startMs + offsetMs */
  fire: (op: PlannedOp, intendedMs: number) => void;
  signal?: AbortSignal;
  /** operations fired before yielding to the event loop when behind (default 512) */
  maxBatch?: number;
}

export interface ScheduleOutcome {
  fired: number;
  aborted: boolean;
}

export async function runSchedule(options: RunScheduleOptions): Promise<ScheduleOutcome> {
  const { startMs, now, fire, signal } = options;
  const maxBatch = options.maxBatch ?? 512;
  const iterator = options.plan[Symbol.iterator]();
  let next = iterator.next();
  let fired = 0;
  while (!next.done) {
    if (signal?.aborted) return { fired, aborted: true };
    const dueMs = startMs + next.value.offsetMs;
    const nowMs = now();
    if (dueMs > nowMs) {
      await sleep(Math.max(1, Math.ceil(dueMs - nowMs)), signal);
      continue;
    }
    let batch = 0;
    while (!next.done && startMs + next.value.offsetMs <= nowMs && batch < maxBatch) {
      fire(next.value, startMs + next.value.offsetMs);
      fired++;
      batch++;
      next = iterator.next();
    }
    // let responses and timers run between batches (I/O is not starved when we are behind)
    if (batch >= maxBatch) await yieldToEventLoop();
  }
  return { fired, aborted: signal?.aborted ?? false };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
