/**
 * The k6 load engine: the same scenario load as the builtin engine, driven by real k6
 * (scenarios/k6/driver.js). Setup (the comment songs) runs here with the builtin engine's code,
 * once, so every segment comments on the same songs; then N k6 processes run the execution
 * segments of the load in parallel; their console output is converted into hop records.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../contracts/errors.ts';
import { nowMs } from '../../contracts/history-writer.ts';
import type { HopRecord } from '../../contracts/history.ts';
import type { LoadContext, LoadEngine, LoadSummary } from '../engine.ts';
import { BackendClient } from '../http.ts';
import { PayloadFactory } from '../payload.ts';
import { LoadSetupError, seedSongs } from '../setup.ts';
import { findK6Binary } from './binary.ts';
import { K6HistoryConverter, K6OutputError } from './convert.ts';
import { buildK6Plan, type K6Plan } from './plan.ts';
import { K6EngineError, runK6Segment, segmentFiles, type SegmentRun } from './process.ts';
import { K6ProgressTail } from './progress.ts';
import { describeK6Summary, mergeK6Summaries, readK6Summary } from './summary.ts';

export interface K6EngineOptions {
  /** path of the k6 binary (default: $MOSHPIT_K6_BIN, k6 on PATH, $GOPATH/bin/k6) */
  bin?: string;
  /** k6 processes run in parallel, each on one execution segment (default 1) */
  segments?: number;
  /** VUs per flow = requests in flight before k6 drops iterations (default 1024) */
  maxVUs?: number;
  /** per-request timeout (default 10,000) */
  requestTimeoutMs?: number;
  /** keep k6's raw outputs here instead of a temporary directory (deleted afterwards) */
  workDir?: string;
}

export { K6EngineError, K6OutputError };

export function createK6Engine(options: K6EngineOptions = {}): LoadEngine {
  const segments = options.segments ?? 1;
  if (!Number.isInteger(segments) || segments < 1 || segments > 64) {
    throw new UserError(`k6 engine option segments: expected an integer from 1 to 64 (got ${segments})`);
  }
  for (const key of ['maxVUs', 'requestTimeoutMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new UserError(`k6 engine option ${key}: expected a positive number (got ${value})`);
  }
  return { name: 'k6', run: (ctx) => runK6(ctx, { ...options, segments }) };
}

async function seed(ctx: LoadContext, client: BackendClient): Promise<string[] | undefined> {
  const { scenario } = ctx;
  const health = await client.health();
  if (health.status === 0) throw new LoadSetupError(`setup: the music backend api at ${ctx.baseUrl} does not answer GET /health (${health.error}). Is it running?`);
  if (!scenario.load.comments) return undefined;
  const payloads = new PayloadFactory(scenario.seed, scenario.load.uploads?.sizeBytes ?? { min: 4096, max: 4096 });
  return seedSongs({
    client, history: ctx.history, payloads, opIdPrefix: ctx.opIdPrefix, songs: scenario.load.comments.songs,
    waitLimitMs: scenario.drainLimit, pollIntervalMs: 200, concurrency: 16, attempts: 3, now: nowMs, signal: ctx.signal, log: ctx.log,
  });
}

async function runSegments(ctx: LoadContext, bin: string, planFile: string, segments: SegmentRun[], launchedAtMs: number): Promise<void> {
  if (ctx.signal?.aborted) return;
  const tail = new K6ProgressTail(segments.map((s) => s.consoleFile));
  const progress = setInterval(() => ctx.onProgress?.(tail.poll(nowMs() - launchedAtMs)), 1_000);
  progress.unref();
  const results = await Promise.allSettled(
    segments.map((segment) => runK6Segment({ bin, planFile, segment, signal: ctx.signal, killAfterMs: 5_000, log: ctx.log })),
  ).finally(() => clearInterval(progress));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
  if (failures.length) throw new K6EngineError(`k6 engine: ${failures.join('\n')}`);
}

/** Converts every segment's output into ctx.history; returns the load counters and start. */
function convertSegments(ctx: LoadContext, bin: string, plan: K6Plan, segments: SegmentRun[], launchedAtMs: number, endedAtMs: number) {
  const converter = new K6HistoryConverter(plan);
  const append = (record: HopRecord) => ctx.history.append(record);
  for (const segment of segments) {
    if (!existsSync(segment.consoleFile)) {
      if (ctx.signal?.aborted) continue;
      throw new K6OutputError(`k6 engine: k6 wrote no output to ${segment.consoleFile} (is ${bin} really k6 v1+ with --console-output?)`);
    }
    converter.addFile(segment.consoleFile, `k6 output ${segment.consoleFile}`, append);
  }
  const startedAtMs = converter.firstStartMs() ?? launchedAtMs;
  // after an abort, operations past the last one started were never due: not dropped
  const counters = converter.finish(startedAtMs, append, endedAtMs - startedAtMs, ctx.signal?.aborted ?? false);
  return { counters, startedAtMs };
}

async function runK6(ctx: LoadContext, options: K6EngineOptions & { segments: number }): Promise<LoadSummary> {
  const bin = findK6Binary(options.bin);
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'moshpit-k6-'));
  const client = new BackendClient(ctx.baseUrl, { connections: 16, requestTimeoutMs: options.requestTimeoutMs ?? ctx.scenario.load.clientTimeoutMs ?? 10_000 });
  try {
    const setupStartMs = nowMs();
    let songIds: string[] | undefined;
    try {
      songIds = await seed(ctx, client);
    } finally {
      await client.close().catch(() => undefined);
    }
    const plan = buildK6Plan(ctx.scenario, { baseUrl: ctx.baseUrl, opIdPrefix: ctx.opIdPrefix, songIds, requestTimeoutMs: options.requestTimeoutMs, maxVUs: options.maxVUs });
    const planFile = join(workDir, 'moshpit-plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const segments = Array.from({ length: options.segments }, (_, i) => segmentFiles(workDir, i, options.segments));
    // k6 appends to --console-output: never mix in a previous run's lines
    for (const s of segments) for (const file of [s.consoleFile, s.summaryFile]) rmSync(file, { force: true });
    const launchedAtMs = nowMs();
    ctx.log?.(`load: ${segments.length} k6 process(es) (${bin}), outputs in ${workDir}`);
    await runSegments(ctx, bin, planFile, segments, launchedAtMs);
    const endedAtMs = nowMs();
    const { counters, startedAtMs } = convertSegments(ctx, bin, plan, segments, launchedAtMs, endedAtMs);
    const k6 = mergeK6Summaries(segments.map((s) => readK6Summary(s.summaryFile)).filter((s) => s !== undefined), counters.dropped);
    const summary: LoadSummary = { ...counters, startedAtMs, endedAtMs, setupMs: launchedAtMs - setupStartMs, ...(k6 ? { k6 } : {}) };
    ctx.log?.(describeK6Summary(k6, counters.dropped));
    ctx.onProgress?.(counters);
    ctx.log?.(
      `load: ${summary.offered} offered, ${summary.sent} sent, ${summary.acknowledged} acknowledged, ${summary.failed} failed, ` +
        `${summary.dropped} dropped in ${(summary.elapsedMs / 1000).toFixed(1)} s (k6, ${segments.length} segment(s))`,
    );
    return summary;
  } finally {
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}
