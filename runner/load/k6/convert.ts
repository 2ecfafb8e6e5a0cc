/**
 * Turns the driver's console lines (one JSON object per line, see scenarios/k6/driver.js) into
 * history hop records: `sent` becomes `intended` (at the planned start of its iteration,
 * computed with the builtin engine's arrival code) + `sent`; `acked` / `failed` pass through.
 * Planned iterations that no segment ran are the ones k6 dropped: `intended` + `dropped`.
 */
import { readFileSync } from 'node:fs';
import type { Hop, HopRecord } from '../../contracts/history.ts';
import type { LoadCounters } from '../engine.ts';
import type { LoadFlow } from '../plan.ts';
import { intendedOffsetMs, plannedCount, type K6Plan } from './plan.ts';

export class K6OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'K6OutputError';
  }
}

interface DriverLine {
  /** the hops the driver writes (a subset of the history's HOP_KINDS) */
  h: Extract<Hop, 'sent' | 'acked' | 'failed'>;
  op: string;
  f: LoadFlow;
  k: string;
  t: number;
  i?: number;
  s0?: number;
  it?: number;
  b?: number;
  sum?: string;
  seq?: number;
  st?: number;
  err?: string;
}

const FLOWS: readonly string[] = ['uploads', 'comments'];
const HALF_MS = 0.5;

function parseLine(text: string, where: string): DriverLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new K6OutputError(`${where}: not a JSON line from the moshpit k6 driver: ${JSON.stringify(text.slice(0, 120))}`);
  }
  const v = value as Partial<DriverLine> | null;
  const ok =
    v !== null && typeof v === 'object' && (v.h === 'sent' || v.h === 'acked' || v.h === 'failed') &&
    typeof v.op === 'string' && typeof v.k === 'string' && typeof v.t === 'number' && FLOWS.includes(v.f as string) &&
    (v.h !== 'sent' || (typeof v.i === 'number' && typeof v.s0 === 'number') || typeof v.it === 'number');
  if (!ok) throw new K6OutputError(`${where}: unexpected record from the k6 driver (needs h, op, f, k, t; sent needs i+s0 or it): ${text.slice(0, 120)}`);
  return v as DriverLine;
}

/** Accumulates the records of every segment; `finish()` adds the dropped operations. */
export class K6HistoryConverter {
  readonly counters = { sent: 0, acknowledged: 0, failed: 0 };
  private readonly seen: Record<LoadFlow, Set<number>> = { uploads: new Set(), comments: new Set() };
  /** earliest scenario start seen per flow (the dropped operations' intended times) */
  private readonly startMs: Partial<Record<LoadFlow, number>> = {};
  /** setup uploads (the driver's setup()): history, but not load counters */
  private readonly seedOps = new Set<string>();

  constructor(private readonly plan: K6Plan) {}

  /** lines skipped by `skipForeign` (k6's own log lines in a pod log) */
  foreignLines = 0;

  /**
   * Converts one segment's console output; calls `emit` for each record in order. With
   * `skipForeign` (pod logs, where k6's own messages are interleaved) lines that do not start
   * with "{" are skipped and counted instead of rejected.
   */
  addText(text: string, source: string, emit: (record: HopRecord) => void, skipForeign = false): void {
    const lines = text.split('\n');
    lines.forEach((raw, n) => {
      const line = raw.trim();
      if (!line) return;
      if (skipForeign && !line.startsWith('{')) {
        this.foreignLines++;
        return;
      }
      // a torn last line (process killed mid-write) is skipped, like the history reader does
      if (n === lines.length - 1 && !line.endsWith('}')) return;
      this.addLine(parseLine(line, `${source}:${n + 1}`), emit);
    });
  }

  addFile(path: string, source: string, emit: (record: HopRecord) => void, skipForeign = false): void {
    this.addText(readFileSync(path, 'utf8'), source, emit, skipForeign);
  }

  /** latest time any line carries (epoch ms; 0 before the first line) */
  lastMs = 0;

  private addLine(raw: DriverLine, emit: (record: HopRecord) => void): void {
    // k6 clocks are whole milliseconds (Date.now() floors): take the middle of the millisecond
    const line = { ...raw, t: raw.t + HALF_MS, ...(raw.s0 !== undefined ? { s0: raw.s0 + HALF_MS } : {}), ...(raw.it !== undefined ? { it: raw.it + HALF_MS } : {}) };
    this.lastMs = Math.max(this.lastMs, line.t);
    const id = { op: line.op, f: line.f, k: line.k };
    if (line.h !== 'sent') {
      if (this.seedOps.has(line.op)) this.seedOps.delete(line.op);
      else if (line.h === 'acked') this.counters.acknowledged++;
      else this.counters.failed++;
      emit({ h: line.h, ...id, t: line.t, st: line.st ?? 0, ...(line.err !== undefined ? { err: line.err } : {}) });
      return;
    }
    let intendedMs = line.it ?? line.t;
    if (line.i !== undefined && line.s0 !== undefined) {
      const flow = this.plan[line.f];
      if (!flow) throw new K6OutputError(`k6 output has a ${line.f} operation but the plan has no ${line.f} flow (output from another scenario?)`);
      this.counters.sent++;
      this.seen[line.f].add(line.i);
      this.startMs[line.f] = Math.min(this.startMs[line.f] ?? Infinity, line.s0);
      intendedMs = line.s0 + intendedOffsetMs(flow, line.i);
    } else {
      this.seedOps.add(line.op);
    }
    const extra: Partial<HopRecord> = {};
    if (line.b !== undefined) extra.b = line.b;
    if (line.sum !== undefined) extra.sum = line.sum;
    if (line.seq !== undefined) extra.seq = line.seq;
    emit({ h: 'intended', ...id, t: intendedMs, ...extra });
    emit({ h: 'sent', ...id, t: line.t });
  }

  /** Earliest k6 scenario start seen (epoch ms), if any operation was logged. */
  firstStartMs(): number | undefined {
    const starts = Object.values(this.startMs);
    return starts.length ? Math.min(...starts) : undefined;
  }

  /**
   * Emits `intended` + `dropped` for every planned operation no segment ran, and returns the
   * load counters. `fallbackStartMs` dates drops of a flow no segment logged at all. With
   * `onlyUpToLastSeen` (after an abort) only gaps below the last operation started count.
   */
  finish(fallbackStartMs: number, emit: (record: HopRecord) => void, elapsedMs = 0, onlyUpToLastSeen = false): LoadCounters {
    let offered = 0;
    let dropped = 0;
    for (const flow of ['uploads', 'comments'] as const) {
      const spec = this.plan[flow];
      if (!spec) continue;
      const seen = this.seen[flow];
      const total = onlyUpToLastSeen ? (seen.size ? Math.max(...seen) + 1 : 0) : plannedCount(spec);
      offered += total;
      const startMs = this.startMs[flow] ?? fallbackStartMs;
      for (let i = 0; i < total; i++) {
        if (seen.has(i)) continue;
        dropped++;
        const op = `${this.plan.opIdPrefix}-${flow === 'uploads' ? 'u' : 'c'}${i}`;
        const songIds = this.plan.songIds ?? [];
        const k = flow === 'uploads' ? op : (songIds[i % Math.max(1, songIds.length)] ?? `unsent-${i}`);
        const t = startMs + intendedOffsetMs(spec, i);
        emit({ h: 'intended', op, f: flow, k, t });
        emit({ h: 'dropped', op, f: flow, k, t });
      }
    }
    const { sent, acknowledged, failed } = this.counters;
    return { elapsedMs, offered, sent, acknowledged, failed, dropped, inFlight: Math.max(0, sent - acknowledged - failed) };
  }
}
