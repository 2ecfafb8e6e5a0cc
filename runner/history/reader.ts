/**
 * History reader: streams every `*.jsonl` file of a run's history directory (one per process)
 * without loading a file's text whole (a 1,000,000-operation run writes ~7,000,000 lines).
 *
 * Tolerated damage, all caused by SIGKILL in the middle of a `writeSync`:
 * - a torn **last** line (no trailing newline, not parseable): skipped and counted;
 * - a torn fragment followed on the same line by a complete record (the process was killed,
 *   restarted and appended to the same file): the fragment is skipped and counted, the record
 *   is kept.
 * Anything else that does not parse as a hop record is an error naming `file:line`.
 */
import { open, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../contracts/errors.ts';
import { HOP_KINDS, RECORD_FLOWS, type HopRecord } from '../contracts/history.ts';

export interface ReadStats {
  files: number;
  records: number;
  /** torn lines skipped (SIGKILL mid-write) */
  tornLines: number;
  /** `file:line` of every torn line, capped at 20 */
  tornAt: string[];
}

export class HistoryFormatError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}. Fix or remove that line of the history (or re-run the scenario).`);
    this.name = 'HistoryFormatError';
  }
}

const HOPS: ReadonlySet<string> = new Set(HOP_KINDS);
const FLOWS: ReadonlySet<string> = new Set(RECORD_FLOWS);

/** Why `value` is not a hop record, or undefined when it is one (checks only what checkers rely on). */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object (one hop record per line)';
  const r = value as Record<string, unknown>;
  if (typeof r.h !== 'string' || !HOPS.has(r.h)) return `field "h": expected one of ${[...HOPS].join(', ')} (got ${JSON.stringify(r.h)})`;
  if (typeof r.op !== 'string') return 'field "op": expected the operation id (a string)';
  if (typeof r.f !== 'string' || !FLOWS.has(r.f)) return `field "f": expected one of ${[...FLOWS].join(', ')} (got ${JSON.stringify(r.f)})`;
  if (typeof r.t !== 'number' || !Number.isFinite(r.t)) return 'field "t": expected a time in epoch milliseconds (a number)';
  return undefined;
}

/** One line of a history file as a hop record, or undefined when it is not one (torn, or not a record). */
export function parseRecordLine(text: string): HopRecord | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return recordProblem(value) === undefined ? (value as HopRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** A malformed line may be a torn fragment followed by a whole record: return that record. */
function recordAfterFragment(line: string): HopRecord | undefined {
  for (let at = line.indexOf('{', 1); at > 0; at = line.indexOf('{', at + 1)) {
    const record = parseRecordLine(line.slice(at));
    if (record) return record;
  }
  return undefined;
}

/** Splits a file into lines by reading 1 MiB chunks; calls `onLine(text, lineNo, terminated)`. */
export async function forEachLine(
  file: string,
  onLine: (text: string, lineNo: number, terminated: boolean) => void,
  afterChunk?: () => Promise<void>,
  chunkBytes = 1 << 20,
): Promise<void> {
  const handle = await open(file, 'r');
  try {
    let buffer: Buffer = Buffer.allocUnsafe(chunkBytes);
    let carried = 0; // bytes of an unfinished line at the start of `buffer`
    let lineNo = 0;
    for (;;) {
      if (carried === buffer.length) buffer = grow(buffer);
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, null);
      const end = carried + bytesRead;
      if (bytesRead === 0) {
        if (carried > 0) onLine(buffer.toString('utf8', 0, carried), ++lineNo, false);
        return;
      }
      const lastNewline = buffer.lastIndexOf(10, end - 1);
      if (lastNewline < 0) {
        carried = end;
        continue;
      }
      // '\n' never occurs inside a multi-byte UTF-8 sequence, so cutting there is safe.
      const text = buffer.toString('utf8', 0, lastNewline);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        onLine(text.slice(start, nl), ++lineNo, true);
        start = nl + 1;
      }
      onLine(text.slice(start), ++lineNo, true);
      carried = end - lastNewline - 1;
      buffer.copy(buffer, 0, lastNewline + 1, end);
      if (afterChunk) await afterChunk();
    }
  } finally {
    await handle.close();
  }
}

function grow(buffer: Buffer): Buffer {
  const bigger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(bigger);
  return bigger;
}

/** Reads one history file, calling `onRecord` for every record in file order. */
export async function readHistoryFile(
  file: string,
  onRecord: (record: HopRecord) => void,
  stats: ReadStats = emptyStats(),
  afterChunk?: () => Promise<void>,
): Promise<ReadStats> {
  const name = basename(file);
  const torn = (lineNo: number) => {
    stats.tornLines++;
    if (stats.tornAt.length < 20) stats.tornAt.push(`${name}:${lineNo}`);
  };
  await forEachLine(file, (line, lineNo, terminated) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const problem = value === undefined ? 'not valid JSON' : recordProblem(value);
    if (problem === undefined) {
      stats.records++;
      onRecord(value as HopRecord);
      return;
    }
    if (line.trim() === '') return; // blank line: nothing to read
    if (!terminated && value === undefined) return torn(lineNo); // killed mid-write
    const after = value === undefined ? recordAfterFragment(line) : undefined;
    if (!after) throw new HistoryFormatError(file, lineNo, problem);
    torn(lineNo);
    stats.records++;
    onRecord(after);
  }, afterChunk);
  stats.files++;
  return stats;
}

export function emptyStats(): ReadStats {
  return { files: 0, records: 0, tornLines: 0, tornAt: [] };
}

/** The `*.jsonl` files of a history directory, sorted by name (a deterministic read order). */
export async function historyFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new UserError(`cannot read the history directory ${dir}: ${(error as Error).message}. Give a run's history directory (<run>/history).`);
  }
  return names.filter((n) => n.endsWith('.jsonl')).sort().map((n) => join(dir, n));
}

/** Reads every file of a history directory, calling `onRecord` for each record. */
export async function readHistoryDir(dir: string, onRecord: (record: HopRecord) => void): Promise<ReadStats> {
  const stats = emptyStats();
  for (const file of await historyFiles(dir)) await readHistoryFile(file, onRecord, stats);
  return stats;
}

/**
 * The same records as an async iterable (for callers that prefer `for await`). The reader
 * waits after every 1 MiB chunk until the consumer has taken its records, so memory stays
 * bounded. `stats` fills in as it goes.
 */
export function iterateHistoryDir(dir: string, stats: ReadStats = emptyStats()): AsyncIterable<HopRecord> {
  return {
    async *[Symbol.asyncIterator]() {
      for (const file of await historyFiles(dir)) {
        let pending: HopRecord[] = [];
        let taken: (() => void) | undefined;
        let ready: (() => void) | undefined;
        let finished = false;
        let failure: unknown;
        const handOver = () => new Promise<void>((resolve) => { taken = resolve; ready?.(); });
        const reading = readHistoryFile(file, (r) => pending.push(r), stats, handOver).then(
          () => { finished = true; ready?.(); },
          (error: unknown) => { failure = error; finished = true; ready?.(); },
        );
        for (;;) {
          if (pending.length === 0 && !finished && !taken) await new Promise<void>((resolve) => { ready = resolve; });
          ready = undefined;
          const batch = pending;
          pending = [];
          yield* batch;
          if (taken) { const t = taken; taken = undefined; t(); continue; }
          if (finished) break;
        }
        await reading;
        if (failure) throw failure;
      }
    },
  };
}
