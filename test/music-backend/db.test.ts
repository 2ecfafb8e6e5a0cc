/** The SQLite store: idempotent vs naive processing, commit order, event flag, export. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendDb, countCommitted, exportCommitted, sha256Hex } from '../../fixtures/music-backend/db.ts';
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
    expect(exportCommitted(join(dir, 'music.sqlite'), writer)).toEqual({ songs: 2, comments: 1 });
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
});
