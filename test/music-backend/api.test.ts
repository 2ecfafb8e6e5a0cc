/** The HTTP API in-process (fastify inject) with the real storage-queue transport on Azurite. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../fixtures/music-backend/api.ts';
import { createClaimCheckStore } from '../../fixtures/music-backend/claim-check.ts';
import { parseBackendConfig } from '../../fixtures/music-backend/config.ts';
import { BackendDb, sha256Hex } from '../../fixtures/music-backend/db.ts';
import { queueName } from '../../fixtures/music-backend/transports/queue-names.ts';
import { createStorageQueueTransport } from '../../fixtures/storage-queue/transport.ts';
import type { Transport } from '../../fixtures/music-backend/transports/types.ts';
import { openHistoryWriter, type HistoryWriter } from '../../runner/contracts/history-writer.ts';
import { consumerOptions, readHistory, startBackend, startStorage, uniquePrefix, type Storage } from './helpers.ts';

const MAX_UPLOAD_BYTES = 200 * 1024;
let storage: Storage;
let dir: string;
let db: BackendDb;
let history: HistoryWriter;
let transport: Transport;
let app: FastifyInstance;
let prefix: string;

beforeAll(async () => {
  storage = await startStorage();
  dir = mkdtempSync(join(tmpdir(), 'moshpit-api-'));
  db = new BackendDb(join(dir, 'music.sqlite'));
  history = openHistoryWriter(join(dir, 'history', 'api.jsonl'), 'api');
  prefix = uniquePrefix('api');
  transport = createStorageQueueTransport({ endpoints: storage.endpoints, entityPrefix: prefix, subscribers: [] });
  await transport.provision();
  const claimCheck = createClaimCheckStore(storage.endpoints);
  await claimCheck.ensureContainer();
  app = buildApi({ tech: 'storage-queue', maxUploadBytes: MAX_UPLOAD_BYTES, transport, db, claimCheck, history });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await transport?.close();
  history?.close();
  db?.close();
  await storage?.azurite.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const octet = { 'content-type': 'application/octet-stream' };

function upload(headers: Record<string, string>, payload: Buffer | string) {
  return app.inject({ method: 'POST', url: '/songs', headers, payload });
}

describe('api bad input', () => {
  it('400 when x-op-id is missing or invalid', async () => {
    const missing = await upload(octet, Buffer.from('abc'));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatch(/^x-op-id: header missing/);
    const invalid = await upload({ ...octet, 'x-op-id': 'has space/slash' }, Buffer.from('abc'));
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatch(/^x-op-id: invalid/);
  });

  it('400 for an empty upload', async () => {
    const res = await upload({ ...octet, 'x-op-id': 'empty-1' }, Buffer.alloc(0));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/^body: empty/);
  });

  it('413 for an upload over maxUploadBytes', async () => {
    const res = await upload({ ...octet, 'x-op-id': 'huge-1' }, Buffer.alloc(MAX_UPLOAD_BYTES + 1, 1));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatch(/maxUploadBytes = 204800/);
  });

  it('415 for another content type', async () => {
    const text = await upload({ 'content-type': 'text/plain', 'x-op-id': 'txt-1' }, 'hello');
    expect(text.statusCode).toBe(415);
    expect(text.json().error).toMatch(/^content-type: expected application\/octet-stream/);
    const audio = await upload({ 'content-type': 'audio/mpeg', 'x-op-id': 'mp3-1' }, Buffer.from('ID3'));
    expect(audio.statusCode).toBe(415);
    expect(audio.json().error).toMatch(/^content-type/);
  });

  it('400 for a malformed comment, naming the field', async () => {
    db.storeSong({ id: 'known-song', title: 't', data: Buffer.from('x') }, 'idempotent');
    const url = '/songs/known-song/comments';
    const noSeq = await app.inject({ method: 'POST', url, payload: { opId: 'c1', text: 'hi' } });
    expect(noSeq.statusCode).toBe(400);
    expect(noSeq.json().error).toMatch(/^seq: expected an integer >= 1/);
    const zeroSeq = await app.inject({ method: 'POST', url, payload: { opId: 'c1', seq: 0, text: 'hi' } });
    expect(zeroSeq.json().error).toMatch(/seq: expected an integer >= 1/);
    const badOp = await app.inject({ method: 'POST', url, payload: { opId: '', seq: 1, text: 'hi' } });
    expect(badOp.json().error).toMatch(/^opId: expected 1-128 characters/);
    const badJson = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{"opId": ' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error).toMatch(/^body: not valid JSON/);
  });

  it('404 for a comment on an unknown song and for GET of an unknown song', async () => {
    const res = await app.inject({ method: 'POST', url: '/songs/nope/comments', payload: { opId: 'c2', seq: 1, text: 'hi' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatch(/^unknown song "nope"/);
    const get = await app.inject({ method: 'GET', url: '/songs/nope' });
    expect(get.statusCode).toBe(404);
    expect(get.json()).toHaveProperty('error');
    const route = await app.inject({ method: 'DELETE', url: '/songs/nope' });
    expect(route.statusCode).toBe(404);
    expect(route.json().error).toMatch(/no route DELETE/);
  });

  it('503 with a JSON error when the broker publish fails', async () => {
    const failing: Transport = { ...transport, publish: async () => Promise.reject(new Error('connection refused')) };
    const broken = buildApi({ tech: 'storage-queue', maxUploadBytes: 1024, transport: failing, db, claimCheck: createClaimCheckStore({}), history });
    try {
      const res = await broken.inject({ method: 'POST', url: '/songs', headers: { ...octet, 'x-op-id': 'down-1' }, payload: Buffer.from('abc') });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatch(/^broker: publish failed \(connection refused\)/);
    } finally {
      await broken.close();
    }
  });
});

describe('api happy path', () => {
  it('202 for uploads (inline and claim-check) and comments, brokerAck recorded before the answer', async () => {
    const small = Buffer.alloc(1000, 7);
    const big = Buffer.alloc(100 * 1024, 9);
    expect((await upload({ ...octet, 'x-op-id': 'small-1', 'x-song-title': 'Small' }, small)).json()).toEqual({ id: 'small-1' });
    const bigRes = await upload({ ...octet, 'x-op-id': 'big-1' }, big);
    expect(bigRes.statusCode).toBe(202);
    const comment = await app.inject({ method: 'POST', url: '/songs/known-song/comments', payload: { opId: 'c-ok', seq: 1, text: 'nice' } });
    expect(comment.statusCode).toBe(202);
    const acks = readHistory(join(dir, 'history', 'api.jsonl')).filter((r) => r.h === 'brokerAck');
    expect(acks.map((r) => [r.op, r.f, r.k, r.seq])).toEqual([
      ['small-1', 'uploads', 'small-1', undefined],
      ['big-1', 'uploads', 'big-1', undefined],
      ['c-ok', 'comments', 'known-song', 1],
    ]);
    const queue = QueueServiceClient.fromConnectionString(storage.endpoints.storage!.connectionString).getQueueClient(queueName(prefix, 'uploads'));
    const peeked = await queue.peekMessages({ numberOfMessages: 32 });
    const bodies = new Map(peeked.peekedMessageItems.map((p) => { const e = JSON.parse(p.messageText); return [e.id, e.body]; }));
    expect(bodies.get('small-1')).toMatchObject({ title: 'Small', size: 1000, sha256: sha256Hex(small), data: small.toString('base64') });
    expect(bodies.get('big-1')).toEqual({ title: '', size: big.length, sha256: sha256Hex(big), blob: 'big-1' });
    expect(sha256Hex(await createClaimCheckStore(storage.endpoints).download('big-1'))).toBe(sha256Hex(big));
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok', tech: 'storage-queue', inFlight: 0, inFlightOps: [] });
  });
});

describe('backend config', () => {
  it('names every bad field', () => {
    const bad = JSON.stringify({ tech: 'carrier-pigeon', runDir: '', dbPath: 'x', endpoints: {}, entityPrefix: 'p', subscribers: [], consumer: { ...consumerOptions(), batchSize: 64 }, maxUploadBytes: -1 });
    expect(() => parseBackendConfig(bad)).toThrow(/tech: expected one of[\s\S]*runDir: must not be empty[\s\S]*consumer\.batchSize: at most 32[\s\S]*maxUploadBytes/);
    expect(() => parseBackendConfig(undefined)).toThrow(/MOSHPIT_BACKEND_CONFIG is not set/);
    expect(() => parseBackendConfig('{nope')).toThrow(/not valid JSON/);
  });

  it('keeps endpoint keys it does not know (later issues add them)', () => {
    const good = { tech: 'storage-queue', runDir: 'r', dbPath: 'd', entityPrefix: 'p', subscribers: ['s'], consumer: consumerOptions(), maxUploadBytes: 10,
      endpoints: { storage: { connectionString: 'c', queueEndpoint: 'q', blobEndpoint: 'b', extra: 1 }, future: { url: 'u' } } };
    expect(parseBackendConfig(JSON.stringify(good)).endpoints).toEqual(good.endpoints);
  });

  it('a process with a bad config exits 2 with one readable line', async () => {
    const start = startBackend(['api'], '{"tech":"storage-queue"}', 30_000);
    await expect(start).rejects.toThrow(/exited with 2 before ready[\s\S]*MOSHPIT_BACKEND_CONFIG is invalid:[\s\S]*runDir/);
  });
});
