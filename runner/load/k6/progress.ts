/**
 * Live counters while k6 runs: reads what the segments appended to their console files since
 * the last look (incrementally: each byte is read once) and counts the driver's hops.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { LoadCounters } from '../engine.ts';

const SENT = /"h":"sent","op":"[^"]*-[uc]\d+"/g;
const ACKED = /"h":"acked"/g;
const FAILED = /"h":"failed"/g;

export class K6ProgressTail {
  private readonly offsets: number[];
  private readonly counts = { sent: 0, acked: 0, failed: 0 };

  constructor(private readonly files: string[]) {
    this.offsets = files.map(() => 0);
  }

  /** Counters so far (acknowledged/failed include the few setup uploads of the driver's setup()). */
  poll(elapsedMs: number): LoadCounters {
    this.files.forEach((file, n) => {
      if (!existsSync(file)) return;
      const size = statSync(file).size;
      if (size <= this.offsets[n]!) return;
      const buffer = Buffer.allocUnsafe(size - this.offsets[n]!);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, this.offsets[n]!);
      } finally {
        closeSync(fd);
      }
      const text = buffer.toString('utf8');
      const end = text.lastIndexOf('\n') + 1; // a line being written is counted next time
      const complete = text.slice(0, end);
      this.offsets[n]! += Buffer.byteLength(complete);
      this.counts.sent += complete.match(SENT)?.length ?? 0;
      this.counts.acked += complete.match(ACKED)?.length ?? 0;
      this.counts.failed += complete.match(FAILED)?.length ?? 0;
    });
    const { sent, acked, failed } = this.counts;
    return { elapsedMs, offered: sent, sent, acknowledged: acked, failed, dropped: 0, inFlight: Math.max(0, sent - acked - failed) };
  }
}
