/**
 * AMQP over WebSockets: the official @azure/service-bus SDK with `webSocketOptions` sends,
 * receives and completes through `/$servicebus/websocket` (subprotocol AMQPWSB10) on the
 * emulator's websocket port, and the websocket endpoint refuses what Azure refuses (other
 * paths, a missing subprotocol, unmasked frames). `customEndpointAddress` points the client at
 * the websocket port, so a client that fell back to plain AMQP would hit the HTTP server and fail.
 */
import { request } from 'node:http';
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AMQP_SUBPROTOCOL, MAX_WS_FRAME_BYTES } from '../../../fixtures/emulators/common/amqp-websocket.ts';
import { LoopbackWebSocket, websocketEndpointAddress } from '../../../fixtures/emulators/common/loopback-websocket.ts';
import { startServiceBus, type ServiceBusEmulator } from '../../../fixtures/service-bus/emulator/server.ts';
import { TEST_CONFIG } from './helpers.ts';

let sb: ServiceBusEmulator;
beforeAll(async () => {
  sb = await startServiceBus({ inMemory: true, config: TEST_CONFIG });
}, 10_000);
afterAll(async () => {
  await sb?.close();
});

/** The HTTP status of an upgrade request to `path` offering `protocol`. */
function upgradeStatus(path: string, protocol: string): Promise<number> {
  const { hostname, port } = new URL(sb.websocketUrl);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname, port, path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': protocol },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('service bus emulator over websockets', () => {
  it('sends, receives and completes with webSocketOptions', { timeout: 30_000 }, async () => {
    expect(sb.websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/\$servicebus\/websocket$/);
    const client = new ServiceBusClient(sb.connectionString, {
      retryOptions: { maxRetries: 1, retryDelayInMs: 100, timeoutInMs: 5000 },
      webSocketOptions: { webSocket: LoopbackWebSocket as never },
      customEndpointAddress: websocketEndpointAddress(sb.websocketUrl),
    });
    try {
      const sender = client.createSender('q');
      await sender.sendMessages([{ body: 'ws-1' }, { body: 'ws-2' }]);
      const receiver = client.createReceiver('q');
      const got = [];
      for (let i = 0; i < 5 && got.length < 2; i++) got.push(...(await receiver.receiveMessages(2 - got.length, { maxWaitTimeInMs: 2000 })));
      expect(got.map((m) => m.body).sort()).toEqual(['ws-1', 'ws-2']);
      for (const m of got) await receiver.completeMessage(m);
      expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('refuses other paths and a missing AMQPWSB10 subprotocol', async () => {
    expect(await upgradeStatus('/$servicebus/websocket', 'AMQPWSB10')).toBe(101);
    expect(await upgradeStatus('/%24servicebus/websocket', 'AMQPWSB10')).toBe(101);
    expect(await upgradeStatus('/elsewhere', 'AMQPWSB10')).toBe(404);
    expect(await upgradeStatus('/$servicebus/websocket', 'mqtt')).toBe(400);
  });

  it('closes a connection that sends a message over 16 MiB (1009), the broker stays up', async () => {
    const ws = new WebSocket(sb.websocketUrl, AMQP_SUBPROTOCOL);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.alloc(MAX_WS_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
    expect(await upgradeStatus('/$servicebus/websocket', 'AMQPWSB10')).toBe(101);
  });
});
