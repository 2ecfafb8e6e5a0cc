/**
 * Crash-safe history writer: one JSONL file per process, opened in append mode, every record
 * handed to the OS with a synchronous write before `append` returns. A SIGKILL can cut at most
 * the line being written (the reader skips a torn last line); it never loses a record that was
 * appended before the process acknowledged something. (A machine crash is out of scope: we do
 * not fsync per record.)
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HopRecord } from './history.ts';

export interface HistoryWriter {
  append(record: HopRecord): void;
  close(): void;
}

export function openHistoryWriter(file: string, proc: string): HistoryWriter {
  mkdirSync(dirname(file), { recursive: true });
  let fd: number | undefined = openSync(file, 'a');
  return {
    append(record) {
      if (fd === undefined) throw new Error(`history writer for ${file} is closed`);
      if (record.p === undefined) record.p = proc;
      writeSync(fd, JSON.stringify(record) + '\n');
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Current wall-clock time in epoch ms with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
