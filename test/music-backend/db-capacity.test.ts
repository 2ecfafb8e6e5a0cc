/**
 * The database's finite capacity (db-capacity.ts): writes wait for their turn, beyond the queue
 * timeout they fail with DatabaseBusyError, and two BackendDb instances (two processes in a
 * run) share one queue through the ledger file. Real SQLite files, real timers; the bounds
 * leave room for a busy machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendDb } from '../../fixtures/music-backend/db.ts';
import { DatabaseBusyError, isUnlimited, writeCostMs } from '../../fixtures/music-backend/db-capacity.ts';

let dir: string;
const opened: BackendDb[] = [];
const openDb = (limits?: ConstructorParameters<typeof BackendDb>[1]) => {
  const db = new BackendDb(join(dir, 'music.sqlite'), limits);
  opened.push(db);
  return db;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'moshpit-dbcap-'));
});

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const comment = (i: number) => ({ id: `c${i}`, songId: 's', seq: i, text: 'x' });

describe('database capacity', () => {
  it('is unlimited when no limit is given (writes never wait, as before the field existed)', async () => {
    expect(isUnlimited(undefined)).toBe(true);
    expect(isUnlimited({ writeMsPerOp: 0, writeMsPerKiB: 0, queueTimeoutMs: 5000 })).toBe(true);
    expect(isUnlimited({ maxConcurrent: 2, writeMsPerOp: 0, writeMsPerKiB: 0, queueTimeoutMs: 5000 })).toBe(false);
    expect(writeCostMs({ writeMsPerOp: 10, writeMsPerKiB: 2, queueTimeoutMs: 1 }, 2048)).toBe(14);
    const db = openDb();
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => db.writeComment(comment(i), 'idempotent')));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('queues writes beyond maxConcurrent across two processes, then refuses those that would wait past queueTimeoutMs', async () => {
    const limits = { maxConcurrent: 2, writeMsPerOp: 100, writeMsPerKiB: 0, queueTimeoutMs: 250 };
    const a = openDb(limits);
    const b = openDb(limits); // another process's view: same ledger file
    const started = Date.now();
    // 8 writes at once, 2 lanes of 100 ms: turns start at 0, 0, 100, 100, 200, 200 ms; 300 ms > 250 ms is refused
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).writeComment(comment(i), 'idempotent')));
    const elapsedMs = Date.now() - started;
    const stored = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(stored).toBe(6);
    expect(refused).toHaveLength(2);
    expect(refused[0]!.reason).toBeInstanceOf(DatabaseBusyError);
    expect(String(refused[0]!.reason.message)).toMatch(/over capacity.*queueTimeoutMs.*2 at once, 100 ms per write/);
    expect(elapsedMs).toBeGreaterThanOrEqual(290); // the last turn ends at 300 ms
    expect(elapsedMs).toBeLessThan(3000);
  });

  it('spaces write starts by maxWritesPerSecond, and an aborted wait does not write', async () => {
    const db = openDb({ maxWritesPerSecond: 20, writeMsPerOp: 0, writeMsPerKiB: 0, queueTimeoutMs: 5000 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, (_, i) => db.writeComment(comment(i), 'idempotent'))); // starts at 0, 50, ... 200 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const controller = new AbortController();
    const write = db.writeComment(comment(99), 'idempotent', controller.signal);
    for (let i = 100; i < 120; i++) void db.writeComment(comment(i), 'idempotent').catch(() => undefined);
    controller.abort(new Error('request timed out'));
    await expect(write).rejects.toThrow('request timed out');
    expect(db.getSong('s')).toBeUndefined(); // no song row; the comment table is what counts:
    expect(db.storeComment(comment(99), 'idempotent')).toBe(1); // first stored now: the aborted write never wrote
  });
});
