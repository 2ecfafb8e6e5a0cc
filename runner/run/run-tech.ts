/**
 * One scenario on one technology: stack up, load, drain, stack down, export the database into
 * the history, check the history. Always tears the stack down, whatever fails.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import { openHistoryWriter } from '../history/writer.ts';
import { checkHistoryDir } from '../checkers/compose.ts';
import { getLoadEngine, type EngineOptions } from '../load/registry.ts';
import type { LoadSummary } from '../load/engine.ts';
import { startStack, type Stack } from '../stack/stack.ts';
import { createProgress, type Progress } from '../progress.ts';
import { exportCommitted } from '../../fixtures/music-backend/db.ts';
import type { RunResult } from '../results/schema.ts';
import { createRecordTail, drain, type DrainProbe } from './drain.ts';
import { runFaults, type FaultRun } from '../faults/schedule.ts';
import { emptyRun, summarizeRun } from './summarize.ts';

export interface TechRunOptions {
  scenario: Scenario;
  tech: Tech;
  outDir: string;
  engine: string;
  engineOptions?: EngineOptions;
  signal: AbortSignal;
  /** network faults through this existing Toxiproxy(-compatible) server instead of a proxy child */
  toxiproxyUrl?: string;
  /** test seam: called once the stack is up, before the load starts */
  onStackReady?: (stack: Stack) => void;
}

function dbProbe(stack: Stack, historyDir: string): DrainProbe & { committedCount(): number; close(): void } {
  let db: Database.Database | undefined;
  const open = () => (db ??= new Database(stack.dbPath, { readonly: true, fileMustExist: true }));
  const safe = <T>(fallback: T, read: () => T): T => {
    try {
      return read();
    } catch {
      return fallback; // the database appears when the first worker opens it
    }
  };
  const consumers = [...stack.members.keys()].filter((n) => n.startsWith('worker-') || n.startsWith('subscriber-'));
  return {
    committedCount: () => safe(0, () => open().prepare('SELECT (SELECT count(*) FROM songs) + (SELECT count(*) FROM comments)').pluck().get() as number),
    stored: (ids) =>
      safe(new Set<string>(), () => {
        const found = new Set<string>();
        for (let i = 0; i < ids.length; i += 500) {
          const chunk = ids.slice(i, i + 500);
          const marks = chunk.map(() => '?').join(',');
          const rows = open().prepare(`SELECT id FROM songs WHERE id IN (${marks}) UNION ALL SELECT id FROM comments WHERE id IN (${marks})`).pluck().all(...chunk, ...chunk) as string[];
          for (const id of rows) found.add(id);
        }
        return found;
      }),
    songs: () => safe([], () => open().prepare('SELECT id FROM songs').pluck().all() as string[]),
    newRecords: createRecordTail(consumers.map((name) => join(historyDir, `${name}.jsonl`))),
    close: () => db?.close(),
  };
}

/** Ids of the operations the load engine saw acknowledged (every loadgen history file). */
function acknowledgedIds(historyDir: string): string[] {
  const files = readdirSync(historyDir).filter((f) => f.startsWith('loadgen') && f.endsWith('.jsonl'));
  const records = createRecordTail(files.map((f) => join(historyDir, f)))();
  return records.filter((r) => r.h === 'acked' && (r.f === 'uploads' || r.f === 'comments')).map((r) => String(r.op));
}

async function loadAndDrain(options: TechRunOptions, stack: Stack, historyDir: string, progress: Progress) {
  const { scenario } = options;
  const history = openHistoryWriter(join(historyDir, 'loadgen.jsonl'), 'loadgen');
  const runnerHistory = openHistoryWriter(join(historyDir, 'runner.jsonl'), 'runner');
  const probe = dbProbe(stack, historyDir);
  let faults: FaultRun | undefined;
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
        if (scenario.faults.length) faults = runFaults({ entries: scenario.faults, stack, history: runnerHistory, startMs, log: (line) => progress.line(line) });
      },
    });
    progress.end();
    progress.line(`load done: ${summary.acknowledged} acknowledged, ${summary.failed} failed, ${summary.dropped} dropped; draining (limit ${scenario.drainLimit / 1000}s)`);
    const drained = await drain(probe, {
      acknowledged: acknowledgedIds(historyDir),
      subscribers: stack.subscribers,
      limitMs: options.signal.aborted ? 0 : scenario.drainLimit,
      onWait: (s) => progress.line(`draining ${Math.round(s.elapsedMs / 1000)}s: ${s.pendingCommits} acknowledged not yet committed, ${s.pendingEvents} events not yet received`),
    });
    await faults?.stop();
    return { summary, drained, faultErrors: faults?.errors ?? [] };
  } finally {
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
  try {
    progress.line('starting emulators and the music backend');
    stack = await startStack({ tech, scenario, dir, log: (line) => progress.line(line), toxiproxyUrl: options.toxiproxyUrl });
    options.onStackReady?.(stack);
    const { summary, drained, faultErrors } = await loadAndDrain(options, stack, historyDir, progress);
    await stack.close();
    const dbWriter = openHistoryWriter(join(historyDir, 'db.jsonl'), 'db');
    try {
      exportCommitted(stack.dbPath, dbWriter);
    } finally {
      dbWriter.close();
    }
    const checked = await checkHistoryDir(historyDir, { subscribers: stack.subscribers, startedAtMs: summary.startedAtMs });
    const result = summarizeRun({ tech, scenario, startedAt, summary, drained, checked, engine: options.engine });
    result.errors.push(...faultErrors);
    if (options.signal.aborted) return { ...result, status: 'failed', error: 'interrupted (SIGINT)' };
    return result;
  } catch (error) {
    progress.end();
    const message = error instanceof Error ? error.message : String(error);
    progress.line(`failed: ${message}`);
    return emptyRun(tech, scenario, startedAt, options.engine, message);
  } finally {
    await stack?.close();
    progress.end();
  }
}


