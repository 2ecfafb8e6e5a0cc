/**
 * The fault schedule of a run. Planning is pure (entries → time-ordered start/heal events);
 * running applies them on timers measured from the load start, writes a `faultStart` /
 * `faultStop` record for each into the history, and heals whatever is still active when it is
 * stopped — always, also when the run fails.
 */
import type { HistoryWriter } from '../contracts/history-writer.ts';
import { nowMs } from '../contracts/history-writer.ts';
import type { Stack } from '../stack/stack.ts';
import type { FaultEntry } from './spec.ts';
import type { ActiveFault } from './active-fault.ts';
import { startFault } from './registry.ts';

export interface FaultEvent {
  atMs: number;
  kind: 'start' | 'heal';
  index: number;
}

export function planFaults(entries: FaultEntry[]): FaultEvent[] {
  const events: FaultEvent[] = [];
  entries.forEach((entry, index) => {
    events.push({ atMs: entry.at, kind: 'start', index });
    if (entry.for !== undefined) events.push({ atMs: entry.at + entry.for, kind: 'heal', index });
  });
  // at equal times heal first, so back-to-back faults on one target do not overlap
  return events.sort((a, b) => a.atMs - b.atMs || (a.kind === b.kind ? a.index - b.index : a.kind === 'heal' ? -1 : 1));
}

export interface FaultRun {
  /** cancels what has not started and heals everything still active */
  stop(): Promise<void>;
  errors: string[];
}

export interface FaultRunOptions {
  entries: FaultEntry[];
  stack: Stack;
  history: HistoryWriter;
  startMs: number;
  log: (line: string) => void;
}

export function runFaults(options: FaultRunOptions): FaultRun {
  const { entries, stack, history, log } = options;
  const active = new Map<number, Promise<ActiveFault | undefined>>();
  const errors: string[] = [];
  const id = (i: number) => `fault-${i + 1}`;
  const describe = (i: number) => `${entries[i]!.fault.type} on ${entries[i]!.target}`;
  const record = (h: 'faultStart' | 'faultStop', i: number) =>
    history.append({ h, op: id(i), f: 'fault', k: entries[i]!.target, target: entries[i]!.target, type: entries[i]!.fault.type, t: nowMs() });
  const fail = (what: string, error: unknown) => {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    errors.push(message);
    log(`fault error: ${message}`);
  };
  const begin = (i: number) => {
    log(`fault ${id(i)} starts: ${describe(i)}`);
    record('faultStart', i);
    active.set(i, startFault(entries[i]!.fault, entries[i]!.target, stack).catch((error) => void fail(`${id(i)} (${describe(i)})`, error)));
  };
  const heal = async (i: number) => {
    const fault = active.get(i);
    if (!fault) return;
    active.delete(i);
    try {
      await (await fault)?.heal();
      log(`fault ${id(i)} healed: ${describe(i)}`);
    } catch (error) {
      fail(`healing ${id(i)} (${describe(i)})`, error);
    } finally {
      record('faultStop', i);
    }
  };
  const timers = planFaults(entries).map((event) =>
    setTimeout(() => (event.kind === 'start' ? begin(event.index) : void heal(event.index)), Math.max(0, options.startMs + event.atMs - nowMs())),
  );
  return {
    errors,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const i of [...active.keys()]) await heal(i);
    },
  };
}
