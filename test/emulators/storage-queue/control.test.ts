/** Control API: health, per-queue entity counts, throttle faults (503 ServerBusy), bad input. */
import { describe, expect, it } from 'vitest';
import type { QueueServiceClient } from '@azure/storage-queue';
import type { RunningQueueService } from '../../../fixtures/storage-queue/emulator/server.ts';
import { errorOf, newQueue, withInMemoryService } from './helpers.ts';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';
import { controlFetch } from '../../../runner/stack/control-client.ts';

let service: RunningQueueService;
let client: QueueServiceClient;

async function control(method: string, path: string, body?: unknown, key: string | null = controlKey()): Promise<{ status: number; json: any }> {
  const response = await controlFetch(`${service.controlUrl}${path}`, {
    method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    key: key ?? undefined,
  });
  return { status: response.status, json: await response.json() };
}

withInMemoryService((started, sdk) => {
  service = started;
  client = sdk;
});

describe('control API', () => {
  it('refuses every route but GET /health without the control key, naming the header', async () => {
    expect((await control('GET', '/health', undefined, null)).status).toBe(200);
    for (const key of [null, 'wrong-key']) {
      const refused = await control('POST', '/faults', { type: 'throttle', ratio: 1 }, key);
      expect(refused.status).toBe(401);
      expect(refused.json.error).toContain('x-moshpit-control-key');
      expect((await control('GET', '/entities', undefined, key)).status).toBe(401);
    }
    expect((await control('GET', '/faults')).json.faults).toEqual([]);
  });

  it('reports health and per-queue depth, visible and in-flight counts', async () => {
    expect((await control('GET', '/health')).json.status).toBe('ok');
    const queue = await newQueue(client, 'entities');
    for (let i = 0; i < 5; i++) await queue.sendMessage(`e${i}`);
    await queue.sendMessage('delayed', { visibilityTimeout: 60 });
    await queue.receiveMessages({ numberOfMessages: 2, visibilityTimeout: 60 });
    const { json } = await control('GET', '/entities');
    const entry = json.queues.find((q: { name: string }) => q.name === queue.name);
    expect(entry).toEqual({ name: queue.name, depth: 6, visible: 3, invisible: 3, inFlight: 2, delayed: 1 });
  });

  it('throttles a fraction of requests with 503 ServerBusy until the faults are deleted', async () => {
    const hot = await newQueue(client, 'hot');
    const cold = await newQueue(client, 'cold');
    expect((await control('POST', '/faults', { type: 'throttle', queue: hot.name, ratio: 1 })).status).toBe(201);
    expect(await errorOf(hot.sendMessage('x'))).toEqual({ status: 503, code: 'ServerBusy' });
    await cold.sendMessage('not throttled');
    const raw = await fetch(`${service.queueEndpoint}/${hot.name}/messages`, { method: 'GET' });
    expect(raw.status).toBe(401); // authentication comes before faults
    expect((await control('DELETE', '/faults')).json).toEqual({ cleared: 1 });
    await hot.sendMessage('back to normal');

    await control('POST', '/faults', { type: 'throttle', ratio: 0.5 });
    let busy = 0;
    for (let i = 0; i < 60; i++) {
      try {
        await cold.peekMessages();
      } catch (error) {
        expect((error as { statusCode?: number }).statusCode).toBe(503);
        busy++;
      }
    }
    await control('DELETE', '/faults');
    expect(busy).toBeGreaterThan(10);
    expect(busy).toBeLessThan(50);
  });

  it('answers malformed requests with 400 and a message naming the field', async () => {
    expect(await control('POST', '/faults', 'not json')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^body:/) } });
    expect(await control('POST', '/faults', { type: 'explode', ratio: 1 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^type:.*throttle/) } });
    expect(await control('POST', '/faults', { type: 'throttle', ratio: 2 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^ratio:/) } });
    expect(await control('POST', '/faults', { type: 'throttle', ratio: 0.1, queue: 5 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^queue:/) } });
    expect(await control('POST', '/faults', { type: 'throttle', ratio: 0.1, extra: 1 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^extra: unknown field/) } });
    expect((await control('GET', '/nope')).status).toBe(404);
    expect((await control('GET', '/faults')).json).toEqual({ faults: [] });
  });
});
