/**
 * The load-engine interface, shared by the builtin open-model engine and the k6 engine.
 *
 * An engine drives the scenario's `load` section against the music backend's HTTP API and
 * appends, for every operation, `intended` then `sent` then `acked` | `failed`, or `intended`
 * then `dropped` when it could not start on time. It never slows the schedule down.
 */
import type { HistoryWriter } from '../contracts/history-writer.ts';
import type { K6LoadFigures } from '../results/schema.ts';
import type { Scenario } from '../scenario/schema.ts';

export interface LoadContext {
  scenario: Scenario;
  /** base URL of the music backend's api, e.g. http://127.0.0.1:PORT */
  baseUrl: string;
  history: HistoryWriter;
  /** prefix of every operation id; unique per engine process (ids are `<prefix>-u<n>` ...) */
  opIdPrefix: string;
  /** called about once per second during the load phase, and once at the end */
  onProgress?: (counters: LoadCounters) => void;
  /** called once when the load phase starts (after setup), with its epoch ms: faults are timed from it */
  onLoadStart?: (startedAtMs: number) => void;
  /** aborts early: stop scheduling, wait a few seconds for requests in flight */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/**
 * Cumulative counters of the load phase (the setup phase's song uploads are in the history
 * like any upload, but not in these counters: they describe the scheduled load).
 */
export interface LoadCounters {
  /** ms since the load phase started */
  elapsedMs: number;
  /** operations whose intended start has come (sent + dropped) */
  offered: number;
  sent: number;
  /** answered 2xx */
  acknowledged: number;
  /** answered non-2xx, or no answer */
  failed: number;
  /** could not start on time (too many requests in flight) */
  dropped: number;
  inFlight: number;
}

export interface LoadSummary extends LoadCounters {
  /** epoch ms when the load phase started (after setup) */
  startedAtMs: number;
  /** epoch ms when the last request finished */
  endedAtMs: number;
  /** ms spent in the setup phase (seeding songs for comments and waiting until stored) */
  setupMs: number;
  /** k6 engine only: k6's own end-of-test figures, when k6 wrote its summary (not when aborted) */
  k6?: K6LoadFigures;
}

export interface LoadEngine {
  readonly name: string;
  run(ctx: LoadContext): Promise<LoadSummary>;
}
