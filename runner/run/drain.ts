/**
 * Drain: after the load stops, wait until every acknowledged operation is in the database (or
 * dead-lettered) and every stored song's event reached every subscriber — or until the drain
 * limit. Waiting is by identity, not by counts: operations the client saw fail may be stored
 * too (recovered), and deliveries may repeat, so counts alone could stop the wait early and
 * turn a late message into a false loss. What did not arrive by the limit is what the checkers
 * judge (lost, missing); the limit bounds the wait, not the verdict.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

/** Reads the records appended to JSONL files since the last call (whole lines only). */
export function createRecordTail(files: string[]): () => Array<Record<string, unknown>> {
  const offsets = new Map<string, number>();
  const buffer = Buffer.alloc(1 << 16);
  return () => {
    const records: Array<Record<string, unknown>> = [];
    for (const file of files) {
      if (!existsSync(file)) continue;
      const fd = openSync(file, 'r');
      try {
        let offset = offsets.get(file) ?? 0;
        const size = fstatSync(fd).size;
        let carry = '';
        while (offset < size) {
          const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - offset), offset);
          if (read <= 0) break;
          const text = carry + buffer.toString('utf8', 0, read);
          const lastNewline = text.lastIndexOf('\n');
          carry = lastNewline < 0 ? text : text.slice(lastNewline + 1);
          for (const line of (lastNewline < 0 ? '' : text.slice(0, lastNewline)).split('\n')) {
            if (!line) continue;
            try {
              records.push(JSON.parse(line) as Record<string, unknown>);
            } catch {
              // a torn line (writer killed mid-write): the checker counts it; drain ignores it
            }
          }
          offset += read;
        }
        offsets.set(file, offset - Buffer.byteLength(carry));
      } finally {
        closeSync(fd);
      }
    }
    return records;
  };
}

export interface DrainProbe {
  /** which of these operation ids are stored in the database */
  stored(ids: string[]): Set<string>;
  /** ids of every stored song */
  songs(): string[];
  /** new records from the workers' and subscribers' histories (deadLettered, eventReceived) */
  newRecords(): Array<Record<string, unknown>>;
}

export interface DrainOptions {
  /** ids of the operations the load engine saw acknowledged (setup uploads included) */
  acknowledged: Iterable<string>;
  subscribers: string[];
  limitMs: number;
  pollMs?: number;
  onWait?: (state: { elapsedMs: number; pendingCommits: number; pendingEvents: number }) => void;
}

export async function drain(probe: DrainProbe, options: DrainOptions): Promise<{ durationMs: number; drained: boolean }> {
  const started = Date.now();
  const pollMs = options.pollMs ?? 250;
  const pending = new Set(options.acknowledged);
  const received = new Set<string>();
  let lastReport = 0;
  for (;;) {
    for (const record of probe.newRecords()) {
      if (record.h === 'deadLettered' && record.f === 'song-added') received.add(`${String(record.op)}\u0000${String(record.p)}`); // a subscriber gave up on it
      else if (record.h === 'deadLettered') pending.delete(String(record.op));
      if (record.h === 'eventReceived') received.add(`${String(record.op)}\u0000${String(record.sub)}`);
    }
    for (const id of probe.stored([...pending])) pending.delete(id);
    let pendingEvents = 0;
    for (const song of probe.songs()) for (const sub of options.subscribers) if (!received.has(`${song}\u0000${sub}`)) pendingEvents++;
    const elapsedMs = Date.now() - started;
    if (pending.size === 0 && pendingEvents === 0) return { durationMs: elapsedMs, drained: true };
    if (elapsedMs >= options.limitMs) return { durationMs: elapsedMs, drained: false };
    if (elapsedMs - lastReport >= 2000) {
      options.onWait?.({ elapsedMs, pendingCommits: pending.size, pendingEvents });
      lastReport = elapsedMs;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
