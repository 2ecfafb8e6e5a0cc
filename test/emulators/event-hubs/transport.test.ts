/** The music backend's event-hubs transport against the emulator and Azurite (blob checkpoints). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerDefaults } from './transport-defaults.ts';
import { startAzurite, type RunningAzurite } from '../../../fixtures/emulators/azurite/server.ts';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY, type EmulatorEndpoints } from '../../../fixtures/emulators/endpoints.ts';
import { startEventHubs, type RunningEventHubs } from '../../../fixtures/event-hubs/emulator/server.ts';
import { createEventHubsTransport } from '../../../fixtures/event-hubs/transport.ts';
import type { IncomingMessage, Transport } from '../../../fixtures/music-backend/transports/types.ts';

let eh: RunningEventHubs;
let azurite: RunningAzurite;
let endpoints: EmulatorEndpoints;
const transports: Transport[] = [];

beforeAll(async () => {
  eh = await startEventHubs({ inMemory: true });
  azurite = await startAzurite({ inMemory: true, services: ['blob'] });
  const blob = azurite.blobEndpoint as string;
  endpoints = {
    eventHubs: { connectionString: eh.connectionString, controlUrl: eh.controlUrl },
    storage: {
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${blob};`,
      blobEndpoint: blob, queueEndpoint: '',
    },
  };
}, 20_000);
afterAll(async () => {
  for (const t of transports) await t.close().catch(() => undefined);
  await eh?.close();
  await azurite?.close();
}, 20_000);

function transport(entityPrefix = 'run1'): Transport {
  const t = createEventHubsTransport({ endpoints, entityPrefix, subscribers: ['subscriber-1', 'subscriber-2'] });
  transports.push(t);
  return t;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(50);
}

describe('event-hubs transport', () => {
  it('provisions, carries uploads, per-song ordered comments and song-added fan-out', { timeout: 45_000 }, async () => {
    const t = transport();
    await t.provision();
    expect(t.maxMessageBytes).toBeGreaterThan(1000 * 1024);
    const uploads: IncomingMessage[] = [];
    const comments: IncomingMessage[] = [];
    const fanout: Record<string, string[]> = { 'subscriber-1': [], 'subscriber-2': [] };
    const consumer = consumerDefaults({ checkpointInterval: 100 });
    await t.subscribe('uploads', async (m) => void uploads.push(m), { consumer });
    await t.subscribe('comments', async (m) => void comments.push(m), { consumer });
    for (const name of Object.keys(fanout)) await t.subscribe('song-added', async (m) => void fanout[name].push(m.id), { subscriber: name, consumer });
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.publish('uploads', { id: `u${i}`, key: `song-${i}`, body: { n: i } })));
    for (let i = 0; i < 30; i++) await t.publish('comments', { id: `c${i}`, key: `song-${i % 3}`, body: { seq: Math.floor(i / 3) } });
    for (let i = 0; i < 5; i++) await t.publish('song-added', { id: `s${i}`, key: `song-${i}`, body: {} });
    await until(() => uploads.length >= 20 && comments.length >= 30 && fanout['subscriber-2'].length >= 5 && fanout['subscriber-1'].length >= 5, 30_000);
    expect(new Set(uploads.map((m) => m.id)).size).toBe(20);
    expect(uploads[0]).toMatchObject({ deliveryCount: 1, body: expect.any(Object) });
    for (const song of ['song-0', 'song-1', 'song-2']) {
      expect(comments.filter((m) => m.key === song).map((m) => m.body.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    for (const ids of Object.values(fanout)) expect([...ids].sort()).toEqual(['s0', 's1', 's2', 's3', 's4']);
    await t.close();
  });

  it('retries a failing handler in place and reports it dead after maxDeliveryCount', { timeout: 30_000 }, async () => {
    const t = transport('retries');
    const seen: number[] = [];
    const dead: string[] = [];
    const consumer = consumerDefaults({ maxDeliveryCount: 3, pollInterval: 10 });
    await t.subscribe('song-added', async (m) => {
      if (m.id !== 'poison') return;
      seen.push(m.deliveryCount);
      throw new Error('handler failed');
    }, { subscriber: 'subscriber-1', consumer, onDeadLetter: (m) => void dead.push(m.id), onError: () => undefined });
    await t.publish('song-added', { id: 'poison', key: 'song-x', body: {} });
    await until(() => dead.length > 0, 20_000);
    expect(seen).toEqual([1, 2, 3]);
    expect(dead).toEqual(['poison']);
    await t.close();
  });

  it('resumes from the checkpoint after a restart', { timeout: 40_000 }, async () => {
    const first = transport('resume');
    const got: string[] = [];
    const consumer = consumerDefaults({ checkpointInterval: 0 });
    const sub = await first.subscribe('uploads', async (m) => void got.push(m.id), { consumer });
    for (let i = 0; i < 5; i++) await first.publish('uploads', { id: `r${i}`, key: 'k', body: {} });
    await until(() => new Set(got).size >= 25, 20_000); // the first test's 20 uploads and these 5
    expect(new Set(got).size).toBe(25);
    await sub.close();
    await first.close();
    const second = transport('resume');
    const replayed: string[] = [];
    await second.subscribe('uploads', async (m) => void replayed.push(m.id), { consumer });
    await second.publish('uploads', { id: 'after', key: 'k', body: {} });
    await until(() => replayed.includes('after'), 20_000);
    expect(replayed).toEqual(['after']);
  });
});
