/** The official @azure/event-hubs SDK, unmodified, against the emulator (in memory). */
import { EventHubBufferedProducerClient, EventHubProducerClient, earliestEventPosition, latestEventPosition } from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventHubs, type RunningEventHubs } from '../../../fixtures/event-hubs/emulator/server.ts';
import { bodies, collect, config, FAST_RETRY } from './helpers.ts';

const hubs = ['props', 'route', 'positions', 'groups', 'big', 'buffered', 'runtime', 'idem'].map((Name) => ({
  Name, PartitionCount: '4', ConsumerGroups: [{ Name: 'cg1' }, { Name: 'cg2' }],
}));

let eh: RunningEventHubs;
beforeAll(async () => {
  eh = await startEventHubs({ inMemory: true, config: config(hubs) });
}, 10_000);
afterAll(async () => {
  await eh?.close();
});

function producer(hub: string, connectionString = eh.connectionString) {
  return new EventHubProducerClient(connectionString, hub, { retryOptions: FAST_RETRY });
}

describe('event hubs emulator with the official SDK', () => {
  it('reports hub and partition properties', { timeout: 20_000 }, async () => {
    expect(eh.connectionString).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:\d+;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=[^;]+;UseDevelopmentEmulator=true;$/);
    const client = producer('props');
    try {
      const hub = await client.getEventHubProperties();
      expect(hub.name).toBe('props');
      expect(hub.partitionIds).toEqual(['0', '1', '2', '3']);
      const empty = await client.getPartitionProperties('2');
      expect(empty.isEmpty).toBe(true);
      expect(empty.lastEnqueuedSequenceNumber).toBe(-1);
      await client.sendBatch([{ body: 'a' }, { body: 'b' }, { body: 'c' }], { partitionId: '2' });
      const full = await client.getPartitionProperties('2');
      expect(full).toMatchObject({ isEmpty: false, beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: 2, partitionId: '2', eventHubName: 'props' });
      expect(typeof full.lastEnqueuedOffset).toBe('string');
      expect(Number(full.lastEnqueuedOffset)).toBeGreaterThan(0);
      expect(Date.now() - full.lastEnqueuedOnUtc.getTime()).toBeLessThan(60_000);
    } finally {
      await client.close();
    }
  });

  it('routes by partition id, by partition key (stable) and round-robin', { timeout: 30_000 }, async () => {
    const client = producer('route');
    try {
      await client.sendBatch([{ body: 'to-3' }], { partitionId: '3' });
      for (let i = 0; i < 5; i++) await client.sendBatch([{ body: `key-${i}` }], { partitionKey: 'song-42' });
      for (let i = 0; i < 8; i++) await client.sendBatch([{ body: `rr-${i}` }]);
      const got = await collect(eh.connectionString, 'route', { count: 14, startPosition: earliestEventPosition });
      expect(got).toHaveLength(14);
      expect(got.find((r) => r.event.body === 'to-3')?.partitionId).toBe('3');
      const keyed = got.filter((r) => String(r.event.body).startsWith('key-'));
      expect(new Set(keyed.map((r) => r.partitionId)).size).toBe(1);
      expect(keyed.every((r) => r.event.partitionKey === 'song-42')).toBe(true);
      expect(keyed.map((r) => r.event.body)).toEqual(['key-0', 'key-1', 'key-2', 'key-3', 'key-4']);
      const rr = got.filter((r) => String(r.event.body).startsWith('rr-'));
      expect(new Set(rr.map((r) => r.partitionId)).size).toBe(4);
    } finally {
      await client.close();
    }
  });

  it('starts from earliest, latest, sequence number (inclusive/exclusive), offset and enqueued time', { timeout: 40_000 }, async () => {
    const client = producer('positions');
    try {
      for (let i = 0; i < 6; i++) {
        await client.sendBatch([{ body: i }], { partitionId: '1' });
        await new Promise((r) => setTimeout(r, 5));
      }
      const all = await collect(eh.connectionString, 'positions', { partitionId: '1', count: 6, startPosition: earliestEventPosition });
      expect(bodies(all)).toEqual([0, 1, 2, 3, 4, 5]);
      const third = all[2].event;
      const from = (startPosition: object, count: number) => collect(eh.connectionString, 'positions', { partitionId: '1', count, timeoutMs: 4000, startPosition });
      expect(bodies(await from({ sequenceNumber: third.sequenceNumber, isInclusive: true }, 4))).toEqual([2, 3, 4, 5]);
      expect(bodies(await from({ sequenceNumber: third.sequenceNumber }, 3))).toEqual([3, 4, 5]);
      expect(bodies(await from({ offset: third.offset, isInclusive: true }, 4))).toEqual([2, 3, 4, 5]);
      expect(bodies(await from({ offset: third.offset }, 3))).toEqual([3, 4, 5]);
      expect(bodies(await from({ enqueuedOn: all[5].event.enqueuedTimeUtc.getTime() - 1 }, 1))).toEqual([5]);
      const latest = collect(eh.connectionString, 'positions', { partitionId: '1', count: 1, timeoutMs: 6000, startPosition: latestEventPosition });
      await new Promise((r) => setTimeout(r, 1500));
      await client.sendBatch([{ body: 'new' }], { partitionId: '1' });
      expect(bodies(await latest)).toEqual(['new']);
    } finally {
      await client.close();
    }
  });

  it('lets consumer groups read independently, with maxBatchSize', { timeout: 30_000 }, async () => {
    const client = producer('groups');
    try {
      await client.sendBatch(Array.from({ length: 10 }, (_, i) => ({ body: i })), { partitionId: '0' });
      const options = { partitionId: '0', count: 10, startPosition: earliestEventPosition, subscribe: { maxBatchSize: 3, maxWaitTimeInSeconds: 1 } };
      const [a, b, c] = await Promise.all([
        collect(eh.connectionString, 'groups', { ...options, group: '$Default' }),
        collect(eh.connectionString, 'groups', { ...options, group: 'cg1' }),
        collect(eh.connectionString, 'groups', { ...options, group: 'cg2' }),
      ]);
      for (const got of [a, b, c]) expect(bodies(got)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await client.close();
    }
  });

  it('enforces the 1 MB limit with the SDK’s own error', { timeout: 20_000 }, async () => {
    const client = producer('big');
    try {
      const batch = await client.createBatch();
      expect(batch.maxSizeInBytes).toBe(1024 * 1024);
      expect(batch.tryAdd({ body: Buffer.alloc(600 * 1024) })).toBe(true);
      expect(batch.tryAdd({ body: Buffer.alloc(600 * 1024) })).toBe(false);
      await client.sendBatch(batch);
      await expect(client.sendBatch([{ body: Buffer.alloc(1100 * 1024) }])).rejects.toMatchObject({ code: 'MessageTooLargeError' });
      expect((await client.getPartitionProperties('0')).lastEnqueuedSequenceNumber + (await client.getPartitionProperties('1')).lastEnqueuedSequenceNumber
        + (await client.getPartitionProperties('2')).lastEnqueuedSequenceNumber + (await client.getPartitionProperties('3')).lastEnqueuedSequenceNumber).toBe(-3);
    } finally {
      await client.close();
    }
  });

  it('flushes the buffered producer', { timeout: 30_000 }, async () => {
    const errors: unknown[] = [];
    const client = new EventHubBufferedProducerClient(eh.connectionString, 'buffered', {
      retryOptions: FAST_RETRY, maxWaitTimeInMs: 200, onSendEventsErrorHandler: (ctx) => void errors.push(ctx.error),
    });
    try {
      for (let i = 0; i < 20; i++) await client.enqueueEvent({ body: i }, { partitionKey: `k${i % 3}` });
      await client.flush();
      const counts = await Promise.all(['0', '1', '2', '3'].map((id) => client.getPartitionProperties(id)));
      expect(counts.reduce((n, p) => n + p.lastEnqueuedSequenceNumber + 1, 0)).toBe(20);
      expect(errors).toEqual([]);
    } finally {
      await client.close({ flush: false });
    }
  });

  it('publishes idempotently (buffered producer with enableIdempotentRetries)', { timeout: 20_000 }, async () => {
    const errors: unknown[] = [];
    const publish = async (from: number) => {
      const client = new EventHubBufferedProducerClient(eh.connectionString, 'idem', {
        enableIdempotentRetries: true, retryOptions: FAST_RETRY, maxWaitTimeInMs: 100, onSendEventsErrorHandler: (ctx) => void errors.push(ctx.error),
      });
      for (let i = from; i < from + 5; i++) await client.enqueueEvent({ body: i }, { partitionId: '0' });
      await client.close({ flush: true });
    };
    await publish(0);
    await publish(5);
    expect(errors).toEqual([]);
    const got = await collect(eh.connectionString, 'idem', { partitionId: '0', count: 10, startPosition: earliestEventPosition });
    expect(bodies(got)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const system = got.map((r) => r.event.systemProperties ?? {});
    expect(system.map((p) => p['com.microsoft:producer-sequence-number'])).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(system[0]['com.microsoft:producer-id']).not.toEqual(system[5]['com.microsoft:producer-id']);
  });

  it('tracks last enqueued event properties', { timeout: 20_000 }, async () => {
    const client = producer('runtime');
    try {
      await client.sendBatch([{ body: 1 }, { body: 2 }, { body: 3 }], { partitionId: '0' });
      const got = await collect(eh.connectionString, 'runtime', {
        partitionId: '0', count: 3, startPosition: earliestEventPosition,
        subscribe: { trackLastEnqueuedEventProperties: true, maxWaitTimeInSeconds: 1 },
      });
      expect(got).toHaveLength(3);
      const consumer = (await import('@azure/event-hubs')).EventHubConsumerClient;
      const c = new consumer('$Default', eh.connectionString, 'runtime', { retryOptions: FAST_RETRY });
      let info: { sequenceNumber?: number; offset?: string } = {};
      const sub = c.subscribe('0', {
        processEvents: async (_events, context) => { info = context.lastEnqueuedEventProperties ?? {}; },
        processError: async () => undefined,
      }, { startPosition: earliestEventPosition, trackLastEnqueuedEventProperties: true, maxWaitTimeInSeconds: 1 });
      await new Promise((r) => setTimeout(r, 1500));
      await sub.close();
      await c.close();
      expect(info.sequenceNumber).toBe(2);
      expect(info.offset).toBe(got[2].event.offset);
    } finally {
      await client.close();
    }
  });

  it('fails fast on unknown hub, partition or consumer group, and on a wrong key', { timeout: 30_000 }, async () => {
    const started = Date.now();
    const nope = producer('nope');
    await expect(nope.getEventHubProperties()).rejects.toMatchObject({ code: 'MessagingEntityNotFoundError' });
    await expect(nope.sendBatch([{ body: 1 }])).rejects.toMatchObject({ code: 'MessagingEntityNotFoundError' });
    await nope.close();
    const props = producer('props');
    await expect(props.getPartitionProperties('9')).rejects.toMatchObject({ code: 'MessagingEntityNotFoundError' });
    await expect(props.sendBatch([{ body: 1 }], { partitionId: '9' })).rejects.toMatchObject({ code: 'MessagingEntityNotFoundError' });
    await props.close();
    const { EventHubConsumerClient } = await import('@azure/event-hubs');
    const consumer = new EventHubConsumerClient('no-such-group', eh.connectionString, 'props', { retryOptions: FAST_RETRY });
    const error = await new Promise<{ code?: string }>((resolve) => {
      const sub = consumer.subscribe('0', { processEvents: async () => undefined, processError: async (e) => { resolve(e as { code?: string }); void sub.close(); } });
    });
    await consumer.close();
    expect(error.code).toBe('MessagingEntityNotFoundError');
    expect(Date.now() - started).toBeLessThan(15_000);
    const wrong = producer('props', eh.connectionString.replace(/SharedAccessKey=[^;]+/, 'SharedAccessKey=wrong'));
    const failure = await wrong.getEventHubProperties().catch((e: unknown) => e as { code?: string; errors?: Array<{ code?: string }> });
    await wrong.close();
    const codes = [failure as { code?: string }, ...((failure as { errors?: Array<{ code?: string }> }).errors ?? [])].map((e) => e?.code);
    expect(codes).toContain('UnauthorizedError');
  });
});
