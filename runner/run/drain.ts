/**
 * Drain: after the load stops, wait until every acknowledged operation is committed and every
 * committed song's event reached every subscriber — or until the drain limit. What did not
 * arrive by then is what the checkers judge (lost, missing), so the limit bounds the wait, not
 * the verdict.
 */
import { openSync, readSync, closeSync, existsSync, fstatSync } from 'node:fs';

/** Counts lines appended to files since the last call, reading only the new bytes. */
export function createLineCounter(files: string[]): () => number {
  const offsets = new Map<string, number>();
  let total = 0;
  const buffer = Buffer.alloc(1 << 16);
  return () => {
    for (const file of files) {
      if (!existsSync(file)) continue;
      const fd = openSync(file, 'r');
      try {
        let offset = offsets.get(file) ?? 0;
        const size = fstatSync(fd).size;
        while (offset < size) {
          const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - offset), offset);
          if (read <= 0) break;
          for (let i = 0; i < read; i++) if (buffer[i] === 10) total++;
          offset += read;
        }
        offsets.set(file, offset);
      } finally {
        closeSync(fd);
      }
    }
    return total;
  };
}

export interface DrainProbe {
  /** rows in the database (songs + comments) */
  committed(): number;
  /** committed songs (each must reach every subscriber) */
  songs(): number;
  /** song-added deliveries recorded by subscribers */
  eventsReceived(): number;
}

export interface DrainOptions {
  /** operations acknowledged to the load engine, setup uploads included */
  acknowledged: number;
  subscribers: number;
  limitMs: number;
  pollMs?: number;
  onWait?: (state: { elapsedMs: number; pendingCommits: number; pendingEvents: number }) => void;
}

export async function drain(probe: DrainProbe, options: DrainOptions): Promise<{ durationMs: number; drained: boolean }> {
  const started = Date.now();
  const pollMs = options.pollMs ?? 250;
  let lastReport = 0;
  for (;;) {
    const pendingCommits = Math.max(0, options.acknowledged - probe.committed());
    const pendingEvents = Math.max(0, probe.songs() * options.subscribers - probe.eventsReceived());
    const elapsedMs = Date.now() - started;
    if (pendingCommits === 0 && pendingEvents === 0) return { durationMs: elapsedMs, drained: true };
    if (elapsedMs >= options.limitMs) return { durationMs: elapsedMs, drained: false };
    if (elapsedMs - lastReport >= 2000) {
      options.onWait?.({ elapsedMs, pendingCommits, pendingEvents });
      lastReport = elapsedMs;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
