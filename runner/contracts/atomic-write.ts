/**
 * The one way the project replaces a file that another process (or a concurrent writer) may be
 * reading: the data goes to a temp file in the same directory (so the rename stays on one file
 * system), which is then renamed over the target. A reader sees the old content or the new,
 * never half a file; the temp file is removed if anything fails. `fsync` also flushes the data
 * and the directory entry, for stores that must survive a power cut (the emulators' logs);
 * without it the write is atomic but not durable, which is enough for results, reports and
 * the small signal files the runner hands to other processes.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** flush the file before the rename and the directory after it (default false) */
  fsync?: boolean;
  /**
   * A fixed temp file (same directory) for a file with one writer: a write killed midway leaves
   * this one known file, which the next write replaces (a log's recovery may also remove it).
   * Default: a name unique per process and call, so concurrent writers never share one.
   */
  temp?: string;
}

/** Streams the content into the open temp file (for content too large to build in memory). */
export type WriteContent = (fd: number) => void;

/** Writes `data` to `path` atomically; the directory must exist. Throws what the file system threw. */
export function writeFileAtomic(path: string, data: string | Uint8Array | WriteContent, options: AtomicWriteOptions = {}): void {
  const temp = options.temp ?? `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      if (typeof data === 'function') data(fd);
      else writeFileSync(fd, data);
      if (options.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (options.fsync) flushDirectory(dirname(path));
}

/** the rename itself is durable only once the directory is flushed */
function flushDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
