/** The SQLite store: idempotent vs naive processing, commit order, event flag, export (rows, and the runner's records of them). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendDb, committedRows, countCommitted, sha256Hex, StoredView } from '../../fixtures/music-backend/db.ts';
import { writeCommitted } from '../../runner/history/committed.ts';
import { openHistoryWriter } from '../../runner/contracts/history-writer.ts';
import { readHistory } from './helpers.ts';

let dir: string;
let db: BackendDb;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'moshpit-db-'));
  db = new BackendDb(join(dir, 'music.sqlite'));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backend db', () => {
  it('idempotent processing stores a redelivered song once; naive counts every processing', () => {
    const data = Buffer.from('song bytes');
    expect(db.storeSong({ id: 'a', title: 'A', data }, 'idempotent')).toEqual({ processCount: 1, eventPublished: false, sizeBytes: data.length, sha256: sha256Hex(data) });
    expect(db.storeSong({ id: 'a', title: 'A', data }, 'idempotent').processCount).toBe(1);
    db.storeSong({ id: 'b', title: 'B', data }, 'naive');
    expect(db.storeSong({ id: 'b', title: 'B', data }, 'naive').processCount).toBe(2);
    db.markEventPublished('a');
    expect(db.storeSong({ id: 'a', title: 'A', data }, 'idempotent').eventPublished).toBe(true);
    expect(db.storeComment({ id: 'c1', songId: 'a', seq: 1, text: 'x' }, 'idempotent')).toBe(1);
    expect(db.storeComment({ id: 'c1', songId: 'a', seq: 1, text: 'x' }, 'idempotent')).toBe(1);
    expect(db.storeComment({ id: 'c2', songId: 'a', seq: 2, text: 'y' }, 'naive')).toBe(1);
    expect(db.storeComment({ id: 'c2', songId: 'a', seq: 2, text: 'y' }, 'naive')).toBe(2);
    expect(db.getSong('a')?.comments.map((c) => [c.id, c.seq])).toEqual([['c1', 1], ['c2', 2]]);
    expect(db.getSong('zzz')).toBeUndefined();
  });

  it('exports one committed record per row with commit order, process count and checksum', () => {
    db.storeSong({ id: 's2', title: '', data: Buffer.from('two') }, 'idempotent');
    db.storeSong({ id: 's1', title: '', data: Buffer.from('one') }, 'naive');
    db.storeSong({ id: 's1', title: '', data: Buffer.from('one') }, 'naive');
    db.storeComment({ id: 'c', songId: 's1', seq: 4, text: 't' }, 'idempotent');
    expect(countCommitted(join(dir, 'music.sqlite'))).toEqual({ songs: 2, comments: 1 });
    const file = join(dir, 'db.jsonl');
    const writer = openHistoryWriter(file, 'db');
    expect(writeCommitted(committedRows(join(dir, 'music.sqlite')), writer)).toEqual({ songs: 2, comments: 1 });
    writer.close();
    const records = readHistory(file).map(({ t, ...rest }) => {
      expect(t).toBeGreaterThan(0);
      return rest;
    });
    expect(records).toEqual([
      { h: 'committed', f: 'uploads', op: 's2', k: 's2', pc: 1, ord: 1, b: 3, sum: sha256Hex(Buffer.from('two')), p: 'db' },
      { h: 'committed', f: 'uploads', op: 's1', k: 's1', pc: 2, ord: 2, b: 3, sum: sha256Hex(Buffer.from('one')), p: 'db' },
      { h: 'committed', f: 'comments', op: 'c', k: 's1', seq: 4, pc: 1, ord: 1, p: 'db' },
    ]);
    expect(countCommitted(join(dir, 'missing.sqlite'))).toEqual({ songs: 0, comments: 0 });
  });

  it('exposes its rows in the export format (runner/contracts/database.ts): songs then comments, each in commit order', () => {
    db.storeSong({ id: 's2', title: '', data: Buffer.from('two') }, 'idempotent');
    db.storeComment({ id: 'c', songId: 's2', seq: 7, text: 't' }, 'naive');
    db.storeComment({ id: 'c', songId: 's2', seq: 7, text: 't' }, 'naive');
    const rows = [...committedRows(join(dir, 'music.sqlite'))].map(({ committedAt, ...rest }) => {
      expect(committedAt).toBeGreaterThan(0);
      return rest;
    });
    expect(rows).toEqual([
      { kind: 'song', id: 's2', sizeBytes: 3, sha256: sha256Hex(Buffer.from('two')), processCount: 1, ord: 1 },
      { kind: 'comment', id: 'c', songId: 's2', seq: 7, processCount: 2, ord: 1 },
    ]);
    expect([...committedRows(join(dir, 'missing.sqlite'))]).toEqual([]);
  });

  it("gives the drain a read-only view of what is stored, which throws while the database does not exist", () => {
    db.storeSong({ id: 's1', title: '', data: Buffer.from('one') }, 'idempotent');
    db.storeComment({ id: 'c1', songId: 's1', seq: 1, text: 't' }, 'idempotent');
    const view = new StoredView(join(dir, 'music.sqlite'));
    const missing = new StoredView(join(dir, 'missing.sqlite'));
    try {
      expect(view.count()).toBe(2);
      expect(view.stored(['s1', 'c1', 'nope'])).toEqual(new Set(['s1', 'c1']));
      expect(view.songIds()).toEqual(['s1']);
      expect(() => missing.count()).toThrow();
    } finally {
      view.close();
      missing.close();
    }
  });
});
