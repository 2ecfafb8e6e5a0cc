/**
 * Executes planned operations over HTTP and writes their history: `intended` (t = the
 * scheduled time), then `dropped` when `maxInFlight` requests are already outstanding
 * (the operation could not start on time), else `sent` and later `acked` or `failed`.
 */
import type { HistoryWriter } from '../contracts/history-writer.ts';
import type { HopRecord } from '../contracts/history.ts';
import type { LoadCounters } from './engine.ts';
import type { BackendClient, HttpOutcome } from './http.ts';
import { commentContent, type PayloadFactory } from './payload.ts';
import type { LoadFlow, PlannedOp } from './plan.ts';

export interface ExecutorOptions {
  client: BackendClient;
  history: HistoryWriter;
  payloads: PayloadFactory;
  seed: number;
  opIdPrefix: string;
  /** song ids the comments go to, round-robin (the setup phase's songs) */
  commentSongIds: readonly string[];
  maxInFlight: number;
  now: () => number;
}

/** The identity of one operation in the history. */
export interface OpIdentity {
  op: string;
  f: LoadFlow;
  k: string;
}

/** Appends one hop of an operation. */
export function appendHop(history: HistoryWriter, hop: HopRecord['h'], id: OpIdentity, t: number, extra?: Partial<HopRecord>): void {
  history.append({ h: hop, op: id.op, f: id.f, k: id.k, t, ...extra });
}

/** Appends `sent`, issues the request, and appends `acked` (2xx) or `failed` when it ends. */
export async function sendAndRecord(history: HistoryWriter, id: OpIdentity, now: () => number, send: () => Promise<HttpOutcome>): Promise<HttpOutcome> {
  appendHop(history, 'sent', id, now());
  const outcome = await send();
  if (outcome.status >= 200 && outcome.status < 300) appendHop(history, 'acked', id, now(), { st: outcome.status });
  else appendHop(history, 'failed', id, now(), { st: outcome.status, err: outcome.error ?? `HTTP ${outcome.status}` });
  return outcome;
}

export class LoadExecutor {
  readonly counters = { offered: 0, sent: 0, acknowledged: 0, failed: 0, dropped: 0, inFlight: 0 };
  private readonly nextSeqBySong: number[];
  private idleWaiters: (() => void)[] = [];
  /** first unexpected error while recording an outcome (the engine rethrows it) */
  firstError: unknown;

  constructor(private readonly options: ExecutorOptions) {
    this.nextSeqBySong = options.commentSongIds.map(() => 1);
  }

  /** Fires one due operation (synchronous up to issuing the request). */
  readonly fire = (planned: PlannedOp, intendedMs: number): void => {
    this.counters.offered++;
    const saturated = this.counters.inFlight >= this.options.maxInFlight;
    if (planned.flow === 'uploads') this.fireUpload(planned.index, intendedMs, saturated);
    else this.fireComment(planned.index, intendedMs, saturated);
  };

  snapshot(elapsedMs: number): LoadCounters {
    return { elapsedMs, ...this.counters };
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    if (this.counters.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private fireUpload(index: number, intendedMs: number, saturated: boolean): void {
    const { history, payloads, opIdPrefix, client } = this.options;
    const op = `${opIdPrefix}-u${index}`;
    const id: OpIdentity = { op, f: 'uploads', k: op };
    if (saturated) {
      appendHop(history, 'intended', id, intendedMs, { b: payloads.sizeOf('upload', index) });
      return this.drop(id);
    }
    const song = payloads.song('upload', index);
    appendHop(history, 'intended', id, intendedMs, { b: song.sizeBytes, sum: song.sum });
    this.track(id, () => client.postSong(op, song.title, song.bytes));
  }

  private fireComment(index: number, intendedMs: number, saturated: boolean): void {
    const { history, opIdPrefix, client, commentSongIds, seed } = this.options;
    const songIndex = index % commentSongIds.length;
    const op = `${opIdPrefix}-c${index}`;
    const id: OpIdentity = { op, f: 'comments', k: commentSongIds[songIndex]! };
    if (saturated) {
      // a dropped comment takes no sequence number: seq counts what was actually sent
      appendHop(history, 'intended', id, intendedMs);
      return this.drop(id);
    }
    const seq = this.nextSeqBySong[songIndex]!++;
    appendHop(history, 'intended', id, intendedMs, { seq });
    const { text, author } = commentContent(seed, index);
    this.track(id, () => client.postComment(id.k, { opId: op, seq, text, author }));
  }

  private drop(id: OpIdentity): void {
    this.counters.dropped++;
    appendHop(this.options.history, 'dropped', id, this.options.now());
  }

  private track(id: OpIdentity, send: () => Promise<HttpOutcome>): void {
    this.counters.sent++;
    this.counters.inFlight++;
    sendAndRecord(this.options.history, id, this.options.now, send)
      .then(
        (outcome) => {
          if (outcome.status >= 200 && outcome.status < 300) this.counters.acknowledged++;
          else this.counters.failed++;
        },
        (error: unknown) => {
          // only the history writer can throw here (e.g. closed too early): surface it at the end
          this.counters.failed++;
          this.firstError ??= error;
        },
      )
      .finally(() => {
        this.counters.inFlight--;
        if (this.counters.inFlight === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const resolve of waiters) resolve();
        }
      });
  }
}
