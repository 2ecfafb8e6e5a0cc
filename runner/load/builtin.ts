/**
 * The builtin open-model load engine: seeded constant and ramping arrival rates, keep-alive
 * HTTP (undici), the intended start of every operation recorded, and operations that cannot
 * start on time recorded as `dropped` instead of slowing the schedule down.
 *
 * Scheduling (plan.ts, scheduler.ts) is separate from execution (executor.ts, http.ts).
 */
import { UserError } from '../contracts/errors.ts';
import { nowMs } from '../contracts/history-writer.ts';
import type { LoadContext, LoadEngine, LoadSummary } from './engine.ts';
import { LoadExecutor } from './executor.ts';
import { BackendClient } from './http.ts';
import { PayloadFactory } from './payload.ts';
import { loadPlan } from './plan.ts';
import { runSchedule } from './scheduler.ts';
import { LoadSetupError, seedSongs } from './setup.ts';

export interface BuiltinEngineOptions {
  /** requests outstanding before new operations are dropped (default 1024) */
  maxInFlight?: number;
  /** keep-alive connections to the api (default 64) */
  connections?: number;
  /** per-request timeout; no answer by then = failed with st 0 (default: the scenario's load.clientTimeoutMs, 10,000) */
  requestTimeoutMs?: number;
  /** setup: interval between GET /songs/:id polls (default 200) */
  setupPollIntervalMs?: number;
  /** setup: uploads / polls in parallel (default 16) */
  setupConcurrency?: number;
  /** after an abort, how long requests in flight may still finish (default 3,000) */
  abortGraceMs?: number;
  /** interval of onProgress calls (default 1,000) */
  progressIntervalMs?: number;
}

const DEFAULTS: Required<Omit<BuiltinEngineOptions, 'requestTimeoutMs'>> = {
  maxInFlight: 1024,
  connections: 64,
  setupPollIntervalMs: 200,
  setupConcurrency: 16,
  abortGraceMs: 3_000,
  progressIntervalMs: 1_000,
};

const OP_ID_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function createBuiltinEngine(options: BuiltinEngineOptions = {}): LoadEngine {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  for (const [key, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value <= 0) throw new UserError(`builtin engine option ${key}: expected a positive number (got ${value})`);
  }
  return { name: 'builtin', run: (ctx) => runBuiltin(ctx, { ...settings, requestTimeoutMs: settings.requestTimeoutMs ?? ctx.scenario.load.clientTimeoutMs ?? 10_000 }) };
}

async function runBuiltin(ctx: LoadContext, settings: Required<BuiltinEngineOptions>): Promise<LoadSummary> {
  if (!OP_ID_PREFIX.test(ctx.opIdPrefix)) {
    throw new UserError(`opIdPrefix: expected letters, digits, ".", "_" or "-" (it becomes part of URLs), got ${JSON.stringify(ctx.opIdPrefix)}`);
  }
  const { scenario } = ctx;
  const client = new BackendClient(ctx.baseUrl, { connections: settings.connections, requestTimeoutMs: settings.requestTimeoutMs });
  const payloads = new PayloadFactory(scenario.seed, scenario.load.uploads?.sizeBytes ?? { min: 4096, max: 4096 }, scenario.load.uploads?.poisonEvery);
  let executor: LoadExecutor | undefined;
  try {
    const setupStartMs = nowMs();
    await warmUp(client, ctx.baseUrl, ctx.log);
    const commentSongIds = scenario.load.comments
      ? await seedSongs({
          client,
          history: ctx.history,
          payloads,
          opIdPrefix: ctx.opIdPrefix,
          songs: scenario.load.comments.songs,
          waitLimitMs: scenario.drainLimit,
          pollIntervalMs: settings.setupPollIntervalMs,
          concurrency: settings.setupConcurrency,
          attempts: 3,
          now: nowMs,
          signal: ctx.signal,
          log: ctx.log,
        })
      : [];
    const startedAtMs = nowMs();
    const setupMs = startedAtMs - setupStartMs;
    ctx.onLoadStart?.(startedAtMs);
    executor = new LoadExecutor({
      client,
      history: ctx.history,
      payloads,
      seed: scenario.seed,
      opIdPrefix: ctx.opIdPrefix,
      commentSongIds,
      maxInFlight: settings.maxInFlight,
      now: nowMs,
    });
    const ex = executor;
    const progress = setInterval(() => ctx.onProgress?.(ex.snapshot(nowMs() - startedAtMs)), settings.progressIntervalMs);
    progress.unref();
    try {
      if (!ctx.signal?.aborted) await runSchedule({ plan: loadPlan(scenario), startMs: startedAtMs, now: nowMs, fire: ex.fire, signal: ctx.signal });
      await finishInFlight(ex, client, ctx, settings.abortGraceMs);
    } finally {
      clearInterval(progress);
    }
    if (ex.firstError) throw ex.firstError;
    const endedAtMs = nowMs();
    const summary: LoadSummary = { ...ex.snapshot(endedAtMs - startedAtMs), startedAtMs, endedAtMs, setupMs };
    ctx.onProgress?.(ex.snapshot(summary.elapsedMs));
    ctx.log?.(describeSummary(summary));
    return summary;
  } finally {
    if (executor && executor.counters.inFlight > 0) await client.destroy().catch(() => undefined);
    else await client.close().catch(() => undefined);
  }
}

/**
 * One GET /health before the clock starts: fails clearly when the api is unreachable, and
 * pays the client's one-off costs (parser compilation, first connection) outside the load.
 */
async function warmUp(client: BackendClient, baseUrl: string, log?: (line: string) => void): Promise<void> {
  const outcome = await client.health();
  if (outcome.status === 0) {
    throw new LoadSetupError(`setup: the music backend api at ${baseUrl} does not answer GET /health (${outcome.error}). Is it running?`);
  }
  if (outcome.status !== 200) log?.(`setup: GET /health answered ${outcome.status}; starting the load anyway`);
}

/** Waits for the requests in flight; after an abort only for the grace period, then cuts them. */
async function finishInFlight(executor: LoadExecutor, client: BackendClient, ctx: LoadContext, graceMs: number): Promise<void> {
  if (!ctx.signal?.aborted) {
    // each request ends by itself within the request timeout; an abort now shortens the wait
    await Promise.race([executor.idle(), abortedPromise(ctx.signal)]);
    if (!ctx.signal?.aborted) return;
  }
  const idle = executor.idle();
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const finished = await Promise.race([idle.then(() => true), graceOver]);
  clearTimeout(timer);
  if (finished) return;
  ctx.log?.(`load: aborted; ${executor.counters.inFlight} request(s) still in flight after ${graceMs} ms are cut (recorded as failed, st 0)`);
  await client.destroy().catch(() => undefined);
  await idle;
}

function abortedPromise(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
}

function describeSummary(s: LoadSummary): string {
  return (
    `load: ${s.offered} offered, ${s.sent} sent, ${s.acknowledged} acknowledged, ${s.failed} failed, ${s.dropped} dropped ` +
    `in ${(s.elapsedMs / 1000).toFixed(1)} s (setup ${(s.setupMs / 1000).toFixed(1)} s)`
  );
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
