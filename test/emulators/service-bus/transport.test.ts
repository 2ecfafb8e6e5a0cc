import { describe, expect, it } from 'vitest';
import { createServiceBusTransport } from '../../../fixtures/service-bus/transport.ts';
import type { IncomingMessage } from '../../../fixtures/music-backend/transports/types.ts';
import type { ConsumerOptions } from '../../../runner/contracts/backend-config.ts';
import { startServiceBus } from '../../../fixtures/service-bus/emulator/server.ts';

const consumer = (over: Partial<ConsumerOptions> = {}): ConsumerOptions => ({
  mode: 'peek-lock', processing: 'idempotent', batchSize: 16, prefetch: 0, maxConcurrentCalls: 4, visibilityTimeout: 30_000,
  maxDeliveryCount: 3, checkpointInterval: 1000, processingTime: 0, pollInterval: 50, ...over,
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('service-bus transport against the emulator', { timeout: 40_000 }, () => {
  it('carries uploads, ordered comments per song, and song-added to every subscriber', async () => {
    const emu = await startServiceBus({ inMemory: true });
    const transport = createServiceBusTransport({ endpoints: { serviceBus: { connectionString: emu.connectionString, controlUrl: emu.controlUrl } }, entityPrefix: 'mp', subscribers: ['subscriber-1', 'subscriber-2'] });
    try {
      await transport.provision();
      const uploads: IncomingMessage[] = [];
      const comments: IncomingMessage[] = [];
      const events = new Map<string, string[]>([['subscriber-1', []], ['subscriber-2', []]]);
      const dead: string[] = [];
      let failedOnce = false;
      await transport.subscribe('uploads', async (m) => {
        if (m.id === 'u-flaky' && !failedOnce) {
          failedOnce = true;
          throw new Error('transient');
        }
        if (m.id === 'u-poison') throw new Error('always fails');
        uploads.push(m);
      }, { consumer: consumer(), onDeadLetter: (m) => dead.push(m.id), onError: () => undefined });
      await transport.subscribe('comments', async (m) => void comments.push(m), { consumer: consumer({ maxConcurrentCalls: 2 }) });
      for (const name of events.keys()) {
        await transport.subscribe('song-added', async (m) => void events.get(name)!.push(m.id), { subscriber: name, consumer: consumer() });
      }
      for (const id of ['u-1', 'u-flaky', 'u-poison', 'u-2']) await transport.publish('uploads', { id, key: 'song-1', body: { title: id } });
      for (let i = 0; i < 10; i++) {
        await transport.publish('comments', { id: `c-a-${i}`, key: 'song-a', body: { n: i } });
        await transport.publish('comments', { id: `c-b-${i}`, key: 'song-b', body: { n: i } });
      }
      await transport.publish('song-added', { id: 'e-1', key: 'song-1', body: {} });
      await until(() => uploads.length === 3 && dead.length === 1 && comments.length === 20 && [...events.values()].every((e) => e.length === 1));
      expect(uploads.map((m) => m.id).sort()).toEqual(['u-1', 'u-2', 'u-flaky']);
      expect(uploads.find((m) => m.id === 'u-flaky')!.deliveryCount).toBe(2);
      expect(uploads.find((m) => m.id === 'u-1')!.body).toEqual({ title: 'u-1' });
      expect(dead).toEqual(['u-poison']);
      for (const key of ['song-a', 'song-b']) {
        expect(comments.filter((m) => m.key === key).map((m) => m.body.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      }
      expect([...events.values()]).toEqual([['e-1'], ['e-1']]);
    } finally {
      await transport.close();
      await emu.close();
    }
  });

  it('refuses a subscriber without a subscription and explains a missing entity', async () => {
    const emu = await startServiceBus({ inMemory: true });
    const transport = createServiceBusTransport({ endpoints: { serviceBus: { connectionString: emu.connectionString, controlUrl: emu.controlUrl } }, entityPrefix: 'mp', subscribers: ['subscriber-9'] });
    try {
      await expect(transport.provision()).rejects.toThrow(/subscription "subscriber-9".*fixtures\/service-bus\/config.json/);
      await expect(transport.subscribe('song-added', async () => undefined, { subscriber: 'nobody', consumer: consumer() })).rejects.toThrow(/subscriber name/);
    } finally {
      await transport.close();
      await emu.close();
    }
  });
});
