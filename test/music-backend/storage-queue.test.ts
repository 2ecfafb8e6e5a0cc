/** The storage-queue transport against a real in-memory Azurite, through @azure/storage-queue. */
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueName } from '../../fixtures/music-backend/transports/queue-names.ts';
import { createTransport } from '../../fixtures/music-backend/transports/registry.ts';
import { createStorageQueueTransport } from '../../fixtures/storage-queue/transport.ts';
import type { IncomingMessage, Subscription, Transport } from '../../fixtures/music-backend/transports/types.ts';
import { consumerOptions, startStorage, uniquePrefix, waitFor, type Storage } from './helpers.ts';

let storage: Storage;
const open: Array<Transport | Subscription> = [];

beforeAll(async () => {
  storage = await startStorage();
});

afterAll(async () => {
  for (const item of open.reverse()) await item.close().catch(() => undefined);
  await storage?.azurite.close();
});

async function transportFor(label: string, subscribers: string[] = []): Promise<{ transport: Transport; prefix: string }> {
  const prefix = uniquePrefix(label);
  const transport = createStorageQueueTransport({ endpoints: storage.endpoints, entityPrefix: prefix, subscribers });
  open.push(transport);
  await transport.provision();
  return { transport, prefix };
}

function queueClient(name: string) {
  return QueueServiceClient.fromConnectionString(storage.endpoints.storage!.connectionString).getQueueClient(name);
}

describe('queue names', () => {
  it('sanitizes prefixes into valid Azure queue names and keeps long names unique', () => {
    expect(queueName('Run_2024 X', 'uploads')).toBe('run-2024-x-uploads');
    const long1 = queueName('p'.repeat(60), 'song-added', 'subscriber-1', 'poison');
    const long2 = queueName('p'.repeat(60), 'song-added', 'subscriber-2', 'poison');
    for (const name of [long1, long2, queueName('a'), queueName('__')]) {
      expect(name).toMatch(/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/);
    }
    expect(long1).not.toBe(long2);
  });
});

describe('registry', () => {
  it('refuses an unimplemented tech and lists the implemented ones', async () => {
    await expect(createTransport('carrier-pigeon', { endpoints: {}, entityPrefix: 'x', subscribers: [] })).rejects.toThrow(/carrier-pigeon.*known: .*storage-queue/);
  });
});

describe('storage-queue transport on Azurite', () => {
  it('round-trips published messages to a subscriber and deletes them after the handler', async () => {
    const { transport, prefix } = await transportFor('roundtrip');
    for (let i = 1; i <= 3; i++) await transport.publish('uploads', { id: `op-${i}`, key: `song-${i}`, body: { n: i, text: 'a<b>&"c"' } });
    const got: IncomingMessage[] = [];
    const sub = await transport.subscribe('uploads', async (m) => void got.push(m), { consumer: consumerOptions() });
    open.push(sub);
    await waitFor('3 messages', () => got.length >= 3 || undefined, 15_000);
    await sub.close();
    expect(got.map((m) => m.id).sort()).toEqual(['op-1', 'op-2', 'op-3']);
    expect(got.find((m) => m.id === 'op-2')).toMatchObject({ key: 'song-2', deliveryCount: 1, body: { n: 2, text: 'a<b>&"c"' } });
    const left = await queueClient(queueName(prefix, 'uploads')).peekMessages({ numberOfMessages: 32 });
    expect(left.peekedMessageItems).toHaveLength(0);
  });

  it('redelivers a failed message after the visibility timeout with a rising delivery count', async () => {
    const { transport } = await transportFor('redeliver');
    await transport.publish('comments', { id: 'c-1', key: 'song-1', body: { seq: 1 } });
    const counts: number[] = [];
    let done = false;
    const sub = await transport.subscribe('comments', async (m) => {
      counts.push(m.deliveryCount);
      if (m.deliveryCount < 3) throw new Error('simulated failure');
      done = true;
    }, { consumer: consumerOptions({ visibilityTimeout: 1000 }), onError: () => undefined });
    open.push(sub);
    await waitFor('third delivery', () => done || undefined, 20_000);
    await sub.close();
    expect(counts).toEqual([1, 2, 3]);
  });

  it('moves a message to the poison queue after maxDeliveryCount deliveries', async () => {
    const { transport, prefix } = await transportFor('poison');
    await transport.publish('uploads', { id: 'bad-1', key: 'song-1', body: {} });
    let calls = 0;
    const dead: Array<{ m: IncomingMessage; reason: string }> = [];
    const sub = await transport.subscribe('uploads', async () => {
      calls += 1;
      throw new Error('always fails');
    }, { consumer: consumerOptions({ visibilityTimeout: 1000, maxDeliveryCount: 2 }), onDeadLetter: (m, reason) => dead.push({ m, reason }), onError: () => undefined });
    open.push(sub);
    await waitFor('dead letter', () => dead.length > 0 || undefined, 20_000);
    await sub.close();
    expect(calls).toBe(2);
    expect(dead[0]!.m).toMatchObject({ id: 'bad-1', deliveryCount: 3 });
    expect(dead[0]!.reason).toMatch(/maxDeliveryCount 2/);
    const poison = await queueClient(queueName(queueName(prefix, 'uploads'), 'poison')).peekMessages({ numberOfMessages: 32 });
    expect(poison.peekedMessageItems.map((p) => JSON.parse(p.messageText).id)).toEqual(['bad-1']);
    const left = await queueClient(queueName(prefix, 'uploads')).peekMessages({ numberOfMessages: 32 });
    expect(left.peekedMessageItems).toHaveLength(0);
  });

  it('fans song-added out to every subscriber queue', async () => {
    const subscribers = ['subscriber-1', 'subscriber-2', 'subscriber-3'];
    const { transport } = await transportFor('fanout', subscribers);
    await transport.publish('song-added', { id: 'song-a', key: 'song-a', body: { songId: 'song-a' } });
    await transport.publish('song-added', { id: 'song-b', key: 'song-b', body: { songId: 'song-b' } });
    const seen = new Map<string, string[]>(subscribers.map((s) => [s, []]));
    for (const name of subscribers) {
      const sub = await transport.subscribe('song-added', async (m) => void seen.get(name)!.push(m.id), { subscriber: name, consumer: consumerOptions() });
      open.push(sub);
    }
    await waitFor('every subscriber got both events', () => [...seen.values()].every((ids) => ids.length >= 2) || undefined, 15_000);
    for (const ids of seen.values()) expect(ids.sort()).toEqual(['song-a', 'song-b']);
    await expect(transport.subscribe('song-added', async () => undefined, { subscriber: 'nobody', consumer: consumerOptions() })).rejects.toThrow(/subscriber-1, subscriber-2, subscriber-3/);
  });

  it('receive-and-delete loses a message whose handler fails', async () => {
    const { transport, prefix } = await transportFor('rad');
    await transport.publish('uploads', { id: 'once', key: 'song-1', body: {} });
    let calls = 0;
    const sub = await transport.subscribe('uploads', async () => {
      calls += 1;
      throw new Error('crash while handling');
    }, { consumer: consumerOptions({ mode: 'receive-and-delete', visibilityTimeout: 1000 }), onError: () => undefined });
    open.push(sub);
    await waitFor('first delivery', () => calls > 0 || undefined, 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    await sub.close();
    expect(calls).toBe(1);
    const left = await queueClient(queueName(prefix, 'uploads')).peekMessages({ numberOfMessages: 32 });
    expect(left.peekedMessageItems).toHaveLength(0);
  });

  it('refuses a message over the 64 KiB queue limit instead of sending it', async () => {
    const { transport } = await transportFor('big');
    await expect(transport.publish('uploads', { id: 'big', key: 'k', body: { data: 'x'.repeat(70_000) } })).rejects.toThrow(/over the 65536-byte queue limit/);
  });
});
