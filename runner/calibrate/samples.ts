/**
 * What a calibration measures: per operation, the round-trip times (ms) of the calls after the
 * warm-up, and the entities it created (deleted afterwards). One context per technology.
 */
import { performance } from 'node:perf_hooks';
import type { Target } from '../target/resolve.ts';
import type { PlannedLoad } from '../pricing/estimate.ts';

export type Samples = Record<string, number[]>;

export interface MeasureContext {
  target: Target;
  /** per-run, per-technology prefix of every entity created (mp-<hex>-<tag>) */
  prefix: string;
  /** measured calls per operation, after `warmup` unmeasured ones (connection set-up) */
  ops: number;
  warmup: number;
  /** a call done (for the progress line) */
  tick(): void;
  /** payload of every message, event and blob (bytes) */
  bodyBytes: number;
}

export interface Recorder {
  samples: Samples;
  /** times `call`; recorded only past the warm-up of iteration `i` */
  time<T>(op: string, i: number, call: () => Promise<T>): Promise<T>;
  /** records a duration measured some other way */
  record(op: string, i: number, ms: number): void;
}

export function recorder(ctx: Pick<MeasureContext, 'warmup'>, operations: readonly string[]): Recorder {
  const samples: Samples = Object.fromEntries(operations.map((op) => [op, []]));
  const record = (op: string, i: number, ms: number) => {
    if (i >= ctx.warmup) (samples[op] ??= []).push(Math.max(0, ms));
  };
  return {
    samples,
    record,
    async time(op, i, call) {
      const start = performance.now();
      const value = await call();
      record(op, i, performance.now() - start);
      return value;
    },
  };
}

/** Waits for values announced by id (an arrival on a receiver), with the time each arrived. */
export class Arrivals<T> {
  private readonly got = new Map<string, { value: T; atMs: number }>();
  private readonly waiting = new Map<string, (v: { value: T; atMs: number }) => void>();

  put(id: string, value: T): void {
    const entry = { value, atMs: performance.now() };
    const waiter = this.waiting.get(id);
    if (waiter) this.waiting.delete(id), waiter(entry);
    else this.got.set(id, entry);
  }

  take(id: string, timeoutMs: number, what: string): Promise<{ value: T; atMs: number }> {
    const ready = this.got.get(id);
    if (ready) return this.got.delete(id), Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.waiting.delete(id), reject(new Error(`${what} did not arrive within ${timeoutMs / 1000} s`))), timeoutMs);
      this.waiting.set(id, (entry) => (clearTimeout(timer), resolve(entry)));
    });
  }
}

export const body = (bytes: number) => 'x'.repeat(bytes);

/** the broker load of `calls` calibration iterations, in the estimate's terms (no namespace is created: no hourly charge) */
export const calibrationLoad = (calls: number, blobs = 0): PlannedLoad => ({ uploads: 0, comments: calls, subscribers: 0, blobUploads: blobs, hours: 0 });
