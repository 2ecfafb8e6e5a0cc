/**
 * End to end with real child processes on an in-memory Azurite: api + one worker per flow +
 * two subscribers; uploads (one over 64 KiB: claim-check) and comments reach the database with
 * matching checksums, and every subscriber receives every song-added event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendConfig } from '../../fixtures/music-backend/config.ts';
import { sha256Hex } from '../../fixtures/music-backend/db.ts';
import { committedRows, countCommitted } from '../../fixtures/music-backend/public.ts';
import { writeCommitted } from '../../runner/history/committed.ts';
import { openHistoryWriter } from '../../runner/contracts/history-writer.ts';
import { consumerOptions, readHistory, startBackend, startStorage, stopBackend, uniquePrefix, waitFor, type BackendChild, type Storage } from './helpers.ts';

let storage: Storage;
let dir: string;
const children: BackendChild[] = [];

beforeAll(async () => {
  storage = await startStorage();
  dir = mkdtempSync(join(tmpdir(), 'moshpit-e2e-'));
});

afterAll(async () => {
  await Promise.all(children.map((c) => stopBackend(c, 5000)));
  await storage?.azurite.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.json() };
}

describe('music backend end to end on storage queues', () => {
  it('stores uploads and comments, exports them with matching sha256, and fans events out', async () => {
    const subscribers = ['subscriber-1', 'subscriber-2'];
    const config: BackendConfig = {
      tech: 'storage-queue', runDir: dir, dbPath: join(dir, 'music.sqlite'), endpoints: storage.endpoints,
      entityPrefix: uniquePrefix('e2e'), subscribers, consumer: consumerOptions(), maxUploadBytes: 1024 * 1024,
    };
    const api = await startBackend(['api'], config);
    children.push(api);
    expect(api.ready).toEqual({ ready: true, role: 'api', port: expect.any(Number) });
    const started = await Promise.all([
      startBackend(['worker', '--flow', 'uploads', '--index', '1'], config),
      startBackend(['worker', '--flow', 'comments', '--index', '1'], config),
      ...subscribers.map((name) => startBackend(['subscriber', '--name', name], config)),
    ]);
    children.push(...started);
    const base = `http://127.0.0.1:${api.ready.port}`;

    const songs = [Buffer.alloc(2000, 1), Buffer.alloc(30_000, 2), Buffer.alloc(100 * 1024, 3)].map((data, i) => ({ id: `song-${i + 1}`, data }));
    for (const song of songs) {
      const res = await post(`${base}/songs`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-op-id': song.id }, body: song.data });
      expect(res).toEqual({ status: 202, body: { id: song.id } });
    }
    await waitFor('songs committed', async () => {
      const res = await Promise.all(songs.map((s) => fetch(`${base}/songs/${s.id}`)));
      return res.every((r) => r.status === 200) || undefined;
    }, 30_000, 200);
    for (let seq = 1; seq <= 3; seq++) {
      const res = await post(`${base}/songs/song-1/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ opId: `c-${seq}`, seq, text: `comment ${seq}` }) });
      expect(res.status).toBe(202);
    }
    await waitFor('comments committed', () => countCommitted(config.dbPath).comments === 3 || undefined, 30_000, 200);
    await waitFor('events received', () => subscribers.every((s) => readHistory(join(dir, 'history', `${s}.jsonl`)).length >= 3) || undefined, 30_000, 200);

    const exitCodes = await Promise.all(children.splice(0).map((c) => stopBackend(c)));
    expect(exitCodes).toEqual([0, 0, 0, 0, 0]);

    const exportFile = join(dir, 'history', 'db.jsonl');
    const writer = openHistoryWriter(exportFile, 'db');
    expect(writeCommitted(committedRows(config.dbPath), writer)).toEqual({ songs: 3, comments: 3 });
    writer.close();
    const committed = readHistory(exportFile);
    for (const song of songs) {
      expect(committed.find((r) => r.op === song.id)).toMatchObject({ h: 'committed', f: 'uploads', k: song.id, b: song.data.length, sum: sha256Hex(song.data), pc: 1, p: 'db' });
    }
    const comments = committed.filter((r) => r.f === 'comments').sort((a, b) => a.ord! - b.ord!);
    expect(comments.map((r) => [r.op, r.k, r.seq, r.pc])).toEqual([['c-1', 'song-1', 1, 1], ['c-2', 'song-1', 2, 1], ['c-3', 'song-1', 3, 1]]);

    for (const name of subscribers) {
      const received = readHistory(join(dir, 'history', `${name}.jsonl`)).filter((r) => r.h === 'eventReceived');
      expect(received.map((r) => r.op).sort()).toEqual(songs.map((s) => s.id));
      expect(received.every((r) => r.sub === name && r.p === name)).toBe(true);
    }
    const worker = readHistory(join(dir, 'history', 'worker-uploads-1.jsonl'));
    expect(worker.filter((r) => r.h === 'eventPublished').map((r) => r.op).sort()).toEqual(songs.map((s) => s.id));
    expect(worker.filter((r) => r.h === 'received').every((r) => r.dc === 1)).toBe(true);
    const acks = readHistory(join(dir, 'history', 'api.jsonl')).filter((r) => r.h === 'brokerAck');
    expect(acks).toHaveLength(6);
  });
});
