/**
 * A worker SIGKILLed while it holds messages (received, not yet settled): after the visibility
 * timeout another worker gets them (delivery count > 1) and nothing the api acknowledged is
 * missing from the database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueName } from '../../fixtures/music-backend/transports/queue-names.ts';
import type { BackendConfig } from '../../fixtures/music-backend/config.ts';
import { BackendDb } from '../../fixtures/music-backend/db.ts';
import { committedRows, countCommitted } from '../../fixtures/music-backend/public.ts';
import { writeCommitted } from '../../runner/history/committed.ts';
import { openHistoryWriter } from '../../runner/contracts/history-writer.ts';
import { consumerOptions, readHistory, startBackend, startStorage, stopBackend, uniquePrefix, waitFor, type BackendChild, type Storage } from './helpers.ts';

const SONGS = 5;
let storage: Storage;
let dir: string;
const children: BackendChild[] = [];

beforeAll(async () => {
  storage = await startStorage();
  dir = mkdtempSync(join(tmpdir(), 'moshpit-kill-'));
});

afterAll(async () => {
  await Promise.all(children.map((c) => stopBackend(c, 5000)));
  await storage?.azurite.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('worker killed mid-flight', () => {
  it('redelivers held messages to another worker after the visibility timeout; no acknowledged upload is lost', async () => {
    const base: BackendConfig = {
      tech: 'storage-queue', runDir: dir, dbPath: join(dir, 'music.sqlite'), endpoints: storage.endpoints,
      entityPrefix: uniquePrefix('kill'), subscribers: [], maxUploadBytes: 1024 * 1024,
      // the first worker takes every message at once and then sits on them (60 s of "work")
      consumer: consumerOptions({ visibilityTimeout: 2000, maxConcurrentCalls: SONGS, batchSize: SONGS, processingTime: 60_000 }),
    };
    const api = await startBackend(['api'], base);
    children.push(api);
    const slow = await startBackend(['worker', '--flow', 'uploads', '--index', '1'], base);
    children.push(slow);
    const url = `http://127.0.0.1:${api.ready.port}/songs`;
    for (let i = 1; i <= SONGS; i++) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-op-id': `k-${i}` }, body: Buffer.alloc(500 * i, i), signal: AbortSignal.timeout(15_000) });
      expect(res.status).toBe(202);
    }
    const slowHistory = join(dir, 'history', 'worker-uploads-1.jsonl');
    await waitFor('worker 1 holds every message', () => readHistory(slowHistory).filter((r) => r.h === 'received').length === SONGS || undefined, 20_000);
    slow.child.kill('SIGKILL');
    expect(await slow.exited).toBe(null);
    expect(countCommitted(base.dbPath).songs).toBe(0);

    const fast = await startBackend(['worker', '--flow', 'uploads', '--index', '2'], { ...base, consumer: { ...base.consumer, processingTime: 0 } });
    children.push(fast);
    await waitFor('every upload committed', () => countCommitted(base.dbPath).songs === SONGS || undefined, 30_000, 200);

    const redelivered = readHistory(join(dir, 'history', 'worker-uploads-2.jsonl')).filter((r) => r.h === 'received');
    expect(redelivered.map((r) => r.op).sort()).toEqual(Array.from({ length: SONGS }, (_, i) => `k-${i + 1}`));
    expect(redelivered.every((r) => (r.dc ?? 0) >= 2)).toBe(true);

    expect(await stopBackend(fast)).toBe(0);
    expect(await stopBackend(api)).toBe(0);
    const exportFile = join(dir, 'history', 'db.jsonl');
    const writer = openHistoryWriter(exportFile, 'db');
    writeCommitted(committedRows(base.dbPath), writer);
    writer.close();
    const stored = new Set(readHistory(exportFile).map((r) => r.op));
    const acked = readHistory(join(dir, 'history', 'api.jsonl')).filter((r) => r.h === 'brokerAck').map((r) => r.op);
    expect(acked).toHaveLength(SONGS);
    expect(acked.filter((op) => !stored.has(op))).toEqual([]);
  });

  it('SIGTERM abandons in-flight work: exit 0 at once and the message is visible again', async () => {
    const config: BackendConfig = {
      tech: 'storage-queue', runDir: join(dir, 'term'), dbPath: join(dir, 'term', 'music.sqlite'), endpoints: storage.endpoints,
      entityPrefix: uniquePrefix('term'), subscribers: [], maxUploadBytes: 1024 * 1024,
      consumer: consumerOptions({ visibilityTimeout: 60_000, processingTime: 60_000 }),
    };
    const api = await startBackend(['api'], config);
    children.push(api);
    const worker = await startBackend(['worker', '--flow', 'comments', '--index', '1'], config);
    children.push(worker);
    const db = new BackendDb(config.dbPath);
    db.storeSong({ id: 's-1', title: '', data: Buffer.from('x') }, 'idempotent');
    db.close();
    const res = await fetch(`http://127.0.0.1:${api.ready.port}/songs/s-1/comments`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ opId: 'held-1', seq: 1, text: 'hi' }), signal: AbortSignal.timeout(15_000),
    });
    expect(res.status).toBe(202);
    const history = join(config.runDir, 'history', 'worker-comments-1.jsonl');
    await waitFor('worker holds the comment', () => readHistory(history).some((r) => r.h === 'received') || undefined, 20_000);
    expect(await stopBackend(worker, 8000)).toBe(0);
    const queue = QueueServiceClient.fromConnectionString(storage.endpoints.storage!.connectionString).getQueueClient(queueName(config.entityPrefix, 'comments'));
    const visible = await queue.peekMessages({ numberOfMessages: 32 });
    expect(visible.peekedMessageItems.map((p) => [JSON.parse(p.messageText).id, p.dequeueCount])).toEqual([['held-1', 1]]);
    expect(await stopBackend(api)).toBe(0);
  });
});
