/**
 * AMQP over WebSockets: the official @azure/event-hubs SDK with `webSocketOptions` sends and
 * receives through `/$servicebus/websocket` (subprotocol AMQPWSB10) on the emulator's websocket
 * port. The client is pointed at that port with `customEndpointAddress`, so a client that fell
 * back to plain AMQP would hit the HTTP server and fail.
 */
import { EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackWebSocket, websocketEndpointAddress } from '../../../fixtures/emulators/common/loopback-websocket.ts';
import { startEventHubs, type RunningEventHubs } from '../../../fixtures/event-hubs/emulator/server.ts';
import { bodies, collect, config, FAST_RETRY } from './helpers.ts';

let eh: RunningEventHubs;
beforeAll(async () => {
  eh = await startEventHubs({ inMemory: true, config: config([{ Name: 'ws', PartitionCount: '2', ConsumerGroups: [] }]) });
}, 10_000);
afterAll(async () => {
  await eh?.close();
});

const overWebSockets = () => ({
  retryOptions: FAST_RETRY,
  webSocketOptions: { webSocket: LoopbackWebSocket as never },
  customEndpointAddress: websocketEndpointAddress(eh.websocketUrl),
});

describe('event hubs emulator over websockets', () => {
  it('serves /$servicebus/websocket on its own port', () => {
    expect(eh.websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/\$servicebus\/websocket$/);
    expect(new URL(eh.websocketUrl).port).not.toBe(new URL(eh.connectionString.replace(/^Endpoint=sb/, 'http').split(';')[0]).port);
  });

  it('sends and receives with webSocketOptions', { timeout: 30_000 }, async () => {
    const producer = new EventHubProducerClient(eh.connectionString, 'ws', overWebSockets());
    try {
      expect((await producer.getEventHubProperties()).partitionIds).toEqual(['0', '1']);
      await producer.sendBatch([{ body: 'over' }, { body: 'websockets' }], { partitionId: '1' });
    } finally {
      await producer.close();
    }
    const got = await collect(eh.connectionString, 'ws', { partitionId: '1', count: 2, startPosition: earliestEventPosition, client: overWebSockets() });
    expect(bodies(got)).toEqual(['over', 'websockets']);
  });
});
