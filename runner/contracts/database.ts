/**
 * The backend database's export format: the rows the music backend says it stored, in the
 * database's own terms. The backend (fixtures/music-backend/db.ts `committedRows`) reads them
 * from its tables; the runner (runner/history/committed.ts) turns each into a `committed` history
 * record. Neither side knows the other's internals: the backend writes no history here, and the
 * runner runs no SQL against the backend's schema for the export.
 */

/** One stored song (table `songs`). */
export interface SongRow {
  kind: 'song';
  /** the upload's operation id (also the song id) */
  id: string;
  sizeBytes: number;
  /** sha256 hex of the stored bytes */
  sha256: string;
  /** epoch ms (fractional) of the first commit */
  committedAt: number;
  /** times the row was processed (> 1: processed more than once, naive processing) */
  processCount: number;
  /** commit order among songs (1, 2, 3...) */
  ord: number;
}

/** One stored comment (table `comments`). */
export interface CommentRow {
  kind: 'comment';
  /** the comment's operation id */
  id: string;
  songId: string;
  /** per-song sequence number the client sent */
  seq: number;
  committedAt: number;
  processCount: number;
  /** commit order among comments */
  ord: number;
}

/** The rows of an export: every song in commit order, then every comment in commit order. */
export type CommittedRow = SongRow | CommentRow;

/** How many rows each table holds (progress output, export summaries). */
export interface CommittedCounts {
  songs: number;
  comments: number;
}
