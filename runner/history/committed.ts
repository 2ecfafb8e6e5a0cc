/**
 * The database export as history: one `committed` record per stored row (proc "db"). The
 * backend hands over its rows (runner/contracts/database.ts, read by
 * fixtures/music-backend/public.ts `committedRows`); how a row becomes a hop record is the
 * runner's business, so the backend writes no history for its database.
 */
import type { CommittedCounts, CommittedRow } from '../contracts/database.ts';
import type { HopRecord } from '../contracts/history.ts';
import type { HistoryWriter } from '../contracts/history-writer.ts';

/** The `committed` record of one row (field order as the export has always written it). */
export function committedRecord(row: CommittedRow): HopRecord {
  if (row.kind === 'song') {
    return { h: 'committed', f: 'uploads', op: row.id, k: row.id, t: row.committedAt, pc: row.processCount, ord: row.ord, b: row.sizeBytes, sum: row.sha256 };
  }
  return { h: 'committed', f: 'comments', op: row.id, k: row.songId, seq: row.seq, t: row.committedAt, pc: row.processCount, ord: row.ord };
}

/** Appends one `committed` record per row; returns how many songs and comments were written. */
export function writeCommitted(rows: Iterable<CommittedRow>, writer: HistoryWriter): CommittedCounts {
  const counts: CommittedCounts = { songs: 0, comments: 0 };
  for (const row of rows) {
    writer.append(committedRecord(row));
    if (row.kind === 'song') counts.songs += 1;
    else counts.comments += 1;
  }
  return counts;
}
