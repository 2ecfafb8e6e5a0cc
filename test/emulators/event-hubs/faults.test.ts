/** Control API faults, owner-level rules, retention and malformed input, through the official SDK. */
import { connect } from 'node:net';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventHubs, type RunningEventHubs } from '../../../fixtures/event-hubs/emulator/server.ts';
import { bodies, collect, config } from './helpers.ts';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';
import { controlFetch } from '../../../runner/stack/control-client.ts';

const NO_RETRY = { maxRetries: 0, timeoutInMs: 5000 };
let eh: RunningEventHubs;

beforeAll(async () => {
  eh = await startEventHubs({
    inMemory: true,
    retentionCheckMs: 100,
    config: config([
      { Name: 'faulty', PartitionCount: '2' },
      { Name: 'epochs', PartitionCount: '1' },
      { Name: 'short', PartitionCount: '1', RetentionTimeInHours: 0.5 / 3600 },
      { Name: 'small', PartitionCount: '1', RetentionSizeInBytes: 2000 },
    ]),
  });
}, 10_000);
afterAll(async () => {
  await eh?.close();
});

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await controlFetch(`${eh.controlUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), key: controlKey() });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('broker faults through the control API', () => {
  it('throttles, disables, takes partitions offline, drops connections, and heals', { timeout: 40_000 }, async () => {
    expect((await control('GET', '/health')).json).toEqual({ status: 'ok' });
    const producer = new EventHubProducerClient(eh.connectionString, 'faulty', { retryOptions: NO_RETRY });
    try {
      await producer.sendBatch([{ body: 'before' }], { partitionId: '0' });
      expect((await control('POST', '/faults', { type: 'throttle', entity: 'faulty', ratio: 1 })).status).toBe(200);
      await expect(producer.sendBatch([{ body: 'x' }], { partitionId: '0' })).rejects.toMatchObject({ code: 'ServerBusyError' });
      await control('DELETE', '/faults');
      await producer.sendBatch([{ body: 'after-throttle' }], { partitionId: '0' });

      await control('POST', '/faults', { type: 'disable', entity: 'faulty', state: 'SendDisabled' });
      await expect(producer.sendBatch([{ body: 'x' }], { partitionId: '0' })).rejects.toMatchObject({ code: 'MessagingEntityDisabledError' });
      expect(bodies(await collect(eh.connectionString, 'faulty', { partitionId: '0', count: 2, startPosition: earliestEventPosition }))).toEqual(['before', 'after-throttle']);
      await control('DELETE', '/faults');

      await control('POST', '/faults', { type: 'partition-offline', entity: 'faulty', partition: '1' });
      await expect(producer.sendBatch([{ body: 'x' }], { partitionId: '1' })).rejects.toMatchObject({ code: 'ServerBusyError' });
      await producer.sendBatch([{ body: 'still-0' }], { partitionId: '0' });
      await control('DELETE', '/faults');
      await producer.sendBatch([{ body: 'back-1' }], { partitionId: '1' });

      const dropped = await control('POST', '/faults', { type: 'drop-connections' });
      expect(dropped.json.connections).toBeGreaterThan(0);
      const again = new EventHubProducerClient(eh.connectionString, 'faulty');
      await again.sendBatch([{ body: 'after-drop' }], { partitionId: '1' });
      await again.close();

      const entities = (await control('GET', '/entities')).json as { hubs: Array<{ name: string; partitions: Array<{ lastSequenceNumber: number }> }> };
      const faulty = entities.hubs.find((h) => h.name === 'faulty');
      expect(faulty?.partitions.map((p) => p.lastSequenceNumber)).toEqual([2, 1]);
    } finally {
      await producer.close();
      await control('DELETE', '/faults');
    }
  });

  it('refuses bad fault bodies with a message naming the field', { timeout: 10_000 }, async () => {
    const unknownHub = await control('POST', '/faults', { type: 'throttle', entity: 'nope', ratio: 0.5 });
    expect(unknownHub.status).toBe(400);
    expect(String(unknownHub.json.error)).toMatch(/"entity".*nope.*faulty/);
    const badRatio = await control('POST', '/faults', { type: 'throttle', entity: 'faulty', ratio: 2 });
    expect(String(badRatio.json.error)).toMatch(/"ratio"/);
    expect(String((await control('POST', '/faults', { type: 'melt' })).json.error)).toMatch(/"type"/);
  });
});

describe('owner level (epoch)', () => {
  it('lets an equal or higher epoch take over and refuses lower and non-epoch receivers', { timeout: 30_000 }, async () => {
    const clients: EventHubConsumerClient[] = [];
    const subscribe = (ownerLevel?: number) => {
      const client = new EventHubConsumerClient('$Default', eh.connectionString, 'epochs', { retryOptions: NO_RETRY });
      clients.push(client);
      const errors: string[] = [];
      const subscription = client.subscribe('0', {
        processEvents: async () => undefined,
        processError: async (error) => void errors.push((error as { code?: string }).code ?? error.name),
      }, { ownerLevel, maxWaitTimeInSeconds: 0.5 });
      return { errors, subscription };
    };
    const receivers = async () => {
      const entities = (await control('GET', '/entities')).json as { hubs: Array<{ name: string; consumerGroups: Array<{ receivers: number }> }> };
      return entities.hubs.find((h) => h.name === 'epochs')?.consumerGroups[0].receivers;
    };
    try {
      const first = subscribe(1);
      await sleep(1000);
      expect(await receivers()).toBe(1);
      const second = subscribe(2);
      await sleep(1500);
      expect(first.errors).toContain('ReceiverDisconnectedError');
      const lower = subscribe(1);
      const plain = subscribe(undefined);
      await sleep(1500);
      expect(lower.errors).toContain('ReceiverDisconnectedError');
      expect(plain.errors).toContain('ReceiverDisconnectedError');
      expect(second.errors).toEqual([]);
      for (const s of [first, second, lower, plain]) await s.subscription.close();
    } finally {
      for (const client of clients) await client.close();
    }
  });
});

describe('retention', () => {
  it('drops events older than the retention time and moves begin_sequence_number', { timeout: 20_000 }, async () => {
    const producer = new EventHubProducerClient(eh.connectionString, 'short');
    try {
      await producer.sendBatch([{ body: 'old-1' }, { body: 'old-2' }]);
      await sleep(1200);
      await producer.sendBatch([{ body: 'new' }]);
      const props = await producer.getPartitionProperties('0');
      expect(props.beginningSequenceNumber).toBe(2);
      expect(bodies(await collect(eh.connectionString, 'short', { partitionId: '0', count: 1, startPosition: earliestEventPosition }))).toEqual(['new']);
    } finally {
      await producer.close();
    }
  });

  it('drops the oldest events beyond the size cap', { timeout: 20_000 }, async () => {
    const producer = new EventHubProducerClient(eh.connectionString, 'small');
    try {
      for (let i = 0; i < 10; i++) await producer.sendBatch([{ body: `${i}`.padEnd(400, '.') }]);
      await sleep(400);
      const props = await producer.getPartitionProperties('0');
      expect(props.lastEnqueuedSequenceNumber).toBe(9);
      expect(props.beginningSequenceNumber).toBeGreaterThan(4);
      const got = await collect(eh.connectionString, 'small', { partitionId: '0', count: 10 - props.beginningSequenceNumber, timeoutMs: 5000, startPosition: earliestEventPosition });
      expect(got[0].event.sequenceNumber).toBe(props.beginningSequenceNumber);
      expect(got.at(-1)?.event.sequenceNumber).toBe(9);
    } finally {
      await producer.close();
    }
  });
});

describe('malformed AMQP input', () => {
  it('closes the offending connection and keeps serving', { timeout: 30_000 }, async () => {
    const port = Number(/sb:\/\/[^:]+:(\d+)/.exec(eh.connectionString)?.[1]);
    const garbage = [
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      Buffer.concat([Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'), Buffer.from([0, 0, 0, 12, 2, 0, 0, 0, 0x00, 0x53, 0x10, 0xff])]),
      Buffer.concat([Buffer.from('AMQP\x03\x01\x00\x00', 'latin1'), Buffer.from([0, 0, 0, 40, 2, 1, 0, 0, 0x00, 0x53, 0x41, 0xd0, 0xff, 0xff, 0xff, 0xff]), Buffer.alloc(24, 0xee)]),
    ];
    for (let i = 0; i < 20; i++) garbage.push(Buffer.concat([Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'), Buffer.from(Array.from({ length: 64 }, (_, j) => (i * 31 + j * 17) & 0xff))]));
    const closedByServer = garbage.map((bytes) => new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
      const timer = setTimeout(() => { socket.destroy(); resolve(false); }, 9000);
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.on('close', () => { clearTimeout(timer); resolve(true); });
    }));
    const producer = new EventHubProducerClient(eh.connectionString, 'faulty');
    try {
      await producer.sendBatch([{ body: 'survived' }], { partitionId: '0' });
      expect((await producer.getEventHubProperties()).name).toBe('faulty');
      expect(await Promise.all(closedByServer)).toEqual(garbage.map(() => true));
      await producer.sendBatch([{ body: 'still-alive' }], { partitionId: '0' });
    } finally {
      await producer.close();
    }
  });
});
