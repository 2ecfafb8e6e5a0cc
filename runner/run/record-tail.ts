/**
 * Reads new records from JSONL history files while their writers still append: whole lines
 * only, a torn line (writer killed mid-write) skipped (the checker counts it).
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
