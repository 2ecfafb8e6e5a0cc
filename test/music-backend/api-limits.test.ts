/**
 * The api's limits and the database's capacity through the api, on technology direct (the api
 * stores inside the request: the transport hands uploads to the upload handler in this
 * process). Real fastify, real SQLite, the real direct transport; no broker involved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../fixtures/music-backend/api.ts';
import { BackendDb } from '../../fixtures/music-backend/db.ts';
import { createDirectTransport } from '../../fixtures/direct/transport.ts';
import { startWorker } from '../../fixtures/music-backend/worker.ts';
import { createClaimCheckStore } from '../../fixtures/music-backend/claim-check.ts';
import { openHistoryWriter } from '../../runner/contracts/history-writer.ts';
import type { ApiLimits, DatabaseLimits } from '../../runner/contracts/backend-config.ts';
import { consumerOptions } from './helpers.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function directApi(database: DatabaseLimits, limits: ApiLimits) {
  const dir = mkdtempSync(join(tmpdir(), 'moshpit-api-limits-'));
  const db = new BackendDb(join(dir, 'music.sqlite'), database);
  const history = openHistoryWriter(join(dir, 'history', 'api.jsonl'), 'api');
  const transport = createDirectTransport({ endpoints: {}, entityPrefix: 'mp', subscribers: [], runDir: dir });
  await transport.provision();
  const claimCheck = createClaimCheckStore({});
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const workers = await Promise.all((['uploads', 'comments'] as const).map((flow) => startWorker(flow, { transport, db, claimCheck, history, consumer: consumerOptions(), log })));
  const app = buildApi({ tech: 'direct', maxUploadBytes: 1 << 20, transport, db, claimCheck, history, limits });
  await app.ready();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => db.close(), () => history.close(), async () => { await app.close(); await Promise.all(workers.map((w) => w.close())); await transport.close(); });
  const upload = (id: string) => app.inject({ method: 'POST', url: '/songs', headers: { 'content-type': 'application/octet-stream', 'x-op-id': id }, payload: Buffer.from(`song ${id}`) });
  return { db, upload };
}

const slowDb = (writeMsPerOp: number, queueTimeoutMs: number): DatabaseLimits => ({ maxConcurrent: 1, writeMsPerOp, writeMsPerKiB: 0, queueTimeoutMs });

describe('api limits and database capacity on direct', () => {
  it('stores inside the request, and answers 503 with the database\'s reason when it is over capacity', async () => {
    const { db, upload } = await directApi(slowDb(300, 100), { requestTimeoutMs: 10_000, maxConcurrentRequests: 100 });
    const [first, second] = await Promise.all([upload('a'), upload('b')]);
    expect(first.statusCode).toBe(202);
    expect(db.getSong('a')).toBeDefined(); // stored before the 202
    expect(second.statusCode).toBe(503);
    expect(second.json().error).toMatch(/^database: over capacity, the write waited 100 ms \(queueTimeoutMs\).*retry later$/);
    expect(db.getSong('b')).toBeUndefined();
  });

  it('beyond maxConcurrentRequests: 503 at once', async () => {
    const { upload } = await directApi(slowDb(150, 5000), { requestTimeoutMs: 10_000, maxConcurrentRequests: 2 });
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map(upload));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 202, 503, 503]);
    expect(answers.find((a) => a.statusCode === 503)!.json().error).toBe('api: busy, 2 requests in flight (maxConcurrentRequests = 2); retry later');
  });

  it('after requestTimeoutMs: 503, and the write it gave up on is not stored', async () => {
    const { db, upload } = await directApi(slowDb(1000, 5000), { requestTimeoutMs: 200, maxConcurrentRequests: 100 });
    const answer = await upload('slow');
    expect(answer.statusCode).toBe(503);
    expect(answer.json().error).toBe('api: no answer within requestTimeoutMs = 200 ms; retry later');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the write's turn
    expect(db.getSong('slow')).toBeUndefined();
  });
});
