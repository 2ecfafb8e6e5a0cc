/**
 * One scenario on one technology: stack up, load, drain, stack down, export the database into
 * the history, check the history. Always tears the stack down, whatever fails.
 */
import type { ResolvedProfile } from '../../profiles/model.ts';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import { openHistoryWriter } from '../contracts/history-writer.ts';
import { checkHistoryDir } from '../checkers/compose.ts';
import { getLoadEngine, type EngineOptions } from '../load/registry.ts';
import type { LoadSummary } from '../load/engine.ts';
import { startStack, type Stack } from '../stack/stack.ts';
import type { StackTarget } from '../stack/target.ts';
import { createProgress, type Progress } from '../progress.ts';
import { committedRows } from '../../fixtures/music-backend/public.ts';
import { writeCommitted } from '../history/committed.ts';
import type { RunResult } from '../results/schema.ts';
import { drain, type DrainState } from './drain.ts';
import { loadOutcomes, recordDrainEnd, stackProbe } from './drain-probe.ts';
import { nowMs } from '../contracts/history-writer.ts';
import { runFaults, type FaultRun } from '../faults/schedule.ts';
import { emptyRun, summarizeRun } from './summarize.ts';
import { backlogProbeFor } from './backlog/registry.ts';
import { startBacklogSampler, type BacklogSampler } from './backlog-sampler.ts';

export interface TechRunOptions {
  scenario: Scenario;
  tech: Tech;
  outDir: string;
  engine: string;
  engineOptions?: EngineOptions;
  signal: AbortSignal;
  /** network faults through this existing Toxiproxy(-compatible) server instead of a proxy child */
  toxiproxyUrl?: string;
  /** run --target: the brokers are there; no embedded emulators */
  target?: StackTarget;
  /** the Azure profile the emulators play */
  profile?: ResolvedProfile;
  /** test seam: called once the stack is up, before the load starts */
  onStackReady?: (stack: Stack) => void;
}

function describeWait(s: DrainState): string {
  const parts = [`${s.pendingCommits} acknowledged not yet committed`, `${s.pendingEvents} events not yet received`];
  if (s.backlogs.length) parts.push(`backlog ${s.backlogs.map((b) => `${b.entity} ${b.count}`).join(', ')}`);
  if (s.unsettled) parts.push(`${s.unsettled} received by a worker, not yet stored`);
  if (s.apiInFlight !== 0) parts.push(`api ${s.apiInFlight ?? 'not answering'} in flight`);
  if (s.unreadable.length) parts.push(`unreadable: ${s.unreadable.join('; ')}`);
  return parts.join(', ');
}

/** The history files of the workers and subscribers (the backlog sampler's Event Hubs positions). */
function consumerHistories(stack: Stack, historyDir: string): string[] {
  return [...stack.members.keys()].filter((n) => n.startsWith('worker-') || n.startsWith('subscriber-')).map((n) => join(historyDir, `${n}.jsonl`));
}

async function loadAndDrain(options: TechRunOptions, stack: Stack, historyDir: string, progress: Progress) {
  const { scenario } = options;
  const history = openHistoryWriter(join(historyDir, 'loadgen.jsonl'), 'loadgen');
  const runnerHistory = openHistoryWriter(join(historyDir, 'runner.jsonl'), 'runner');
  const probe = stackProbe(stack, historyDir);
  let faults: FaultRun | undefined;
  let sampler: BacklogSampler | undefined;
  try {
    const engine = getLoadEngine(options.engine, options.engineOptions);
    progress.line(`load: ${engine.name} engine against ${stack.apiUrl}`);
    const summary: LoadSummary = await engine.run({
      scenario,
      baseUrl: stack.apiUrl,
      history,
      opIdPrefix: 'b0',
      signal: options.signal,
      log: (line) => progress.line(line),
      onProgress: (c) => progress.sample({ ...c, committed: probe.committedCount() }),
      onLoadStart: (startMs) => {
        sampler = startBacklogSampler({ probe: backlogProbeFor(stack.tech), endpoints: stack.endpoints, subscribers: stack.subscribers, consumerHistories: consumerHistories(stack, historyDir), startMs });
        if (scenario.faults.length) faults = runFaults({ entries: scenario.faults, stack, history: runnerHistory, startMs, log: (line) => progress.line(line) });
      },
    });
    progress.end();
    progress.line(`load done: ${summary.acknowledged} acknowledged, ${summary.failed} failed, ${summary.dropped} dropped; draining (limit ${scenario.drainLimit / 1000}s)`);
    const outcomes = loadOutcomes(historyDir);
    const result = await drain(probe, {
      acknowledged: outcomes.acknowledged,
      inDoubt: outcomes.inDoubt,
      subscribers: stack.subscribers,
      limitMs: options.signal.aborted ? 0 : scenario.drainLimit,
      onWait: (s) => progress.line(`draining ${Math.round(s.elapsedMs / 1000)}s: ${describeWait(s)}`),
    });
    const pending = recordDrainEnd(runnerHistory, result, nowMs());
    const drained = { durationMs: result.durationMs, drained: result.drained, ...(pending ? { pending } : {}) };
    if (pending) progress.line(`drain limit reached: ${pending.operations} operation(s) and ${pending.events} event(s) still pending (counted pending, not lost)`);
    await faults?.stop();
    const backlog = (await sampler?.stop()) ?? [];
    return { summary, drained, faultErrors: faults?.errors ?? [], backlog };
  } finally {
    await sampler?.stop();
    await faults?.stop(); // heal whatever is still active, whatever happened
    probe.close();
    history.close();
    runnerHistory.close();
  }
}

export async function runTech(options: TechRunOptions): Promise<RunResult> {
  const { scenario, tech } = options;
  const dir = join(options.outDir, tech);
  rmSync(dir, { recursive: true, force: true });
  const historyDir = join(dir, 'history');
  mkdirSync(historyDir, { recursive: true });
  const progress = createProgress(tech, scenario.duration);
  const startedAt = new Date();
  let stack: Stack | undefined;
  const where = options.target ? ('external' as const) : ('embedded' as const);
  try {
    progress.line(options.target ? `target ${options.target.target.file}: starting the music backend` : 'starting emulators and the music backend');
    stack = await startStack({ tech, scenario, dir, log: (line) => progress.line(line), toxiproxyUrl: options.toxiproxyUrl, target: options.target, profile: options.profile });
    options.onStackReady?.(stack);
    const { summary, drained, faultErrors, backlog } = await loadAndDrain(options, stack, historyDir, progress);
    await stack.close();
    const dbWriter = openHistoryWriter(join(historyDir, 'db.jsonl'), 'db');
    try {
      writeCommitted(committedRows(stack.dbPath), dbWriter);
    } finally {
      dbWriter.close();
    }
    const checked = await checkHistoryDir(historyDir, { subscribers: stack.subscribers, startedAtMs: summary.startedAtMs });
    const result = summarizeRun({ tech, scenario, startedAt, summary, drained, checked, engine: options.engine, backlog });
    result.errors.push(...faultErrors);
    result.target = where;
    if (options.signal.aborted) return { ...result, status: 'failed', error: 'interrupted (SIGINT)' };
    return result;
  } catch (error) {
    progress.end();
    const message = error instanceof Error ? error.message : String(error);
    progress.line(`failed: ${message}`);
    return { ...emptyRun(tech, scenario, startedAt, options.engine, message), target: where };
  } finally {
    await stack?.close();
    progress.end();
  }
}


