/**
 * Reads new records from JSONL history files while their writers still append: whole lines
 * only, parsed and checked as hop records by the history reader's line parser; a torn line
 * (writer killed mid-write) or one that is not a record is skipped (the checker counts it).
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { HopRecord } from '../contracts/history.ts';
import { parseRecordLine } from '../history/reader.ts';

/** Reads the records appended to JSONL files since the last call (whole lines only). */
export function createRecordTail(files: string[]): () => HopRecord[] {
  const offsets = new Map<string, number>();
  const buffer = Buffer.alloc(1 << 16);
  return () => {
    const records: HopRecord[] = [];
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
            const record = line ? parseRecordLine(line) : undefined;
            if (record) records.push(record); // else a torn line: the checker counts it; drain ignores it
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
