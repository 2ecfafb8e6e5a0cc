import { AzureKeyCredential, EventGridDeserializer, EventGridPublisherClient, isSystemEvent } from '@azure/eventgrid';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../fixtures/emulators/azurite/server.ts';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../../../fixtures/emulators/endpoints.ts';
import { startEventGrid, type RunningEventGrid } from '../../../fixtures/event-grid/emulator/server.ts';
import { retryDelayMs } from '../../../fixtures/event-grid/emulator/schedule.ts';
import { control, startWebhook, webhookSubscription, type TestWebhook } from './helpers.ts';

const TOPICS = ['batch', 'retry', 'final', 'ttl', 'timeout', 'pause', 'valid', 'filter'];
let eg: RunningEventGrid;
let azurite: RunningAzurite;
let blobs: BlobServiceClient;
const hooks: TestWebhook[] = [];
let refused: TestWebhook;

async function hook(): Promise<TestWebhook> {
  const h = await startWebhook();
  hooks.push(h);
  return h;
}

beforeAll(async () => {
  azurite = await startAzurite({ inMemory: true, services: ['blob'] });
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${azurite.blobEndpoint};`;
  blobs = BlobServiceClient.fromConnectionString(connectionString);
  refused = await hook();
  refused.refuseValidation = true;
  const config = {
    deliveryTimeScale: 0.01,
    topics: [
      ...TOPICS.map((name) => ({ name })),
      { name: 'static', subscriptions: [{ name: 'refuses', ...webhookSubscription(refused.url) }] },
    ],
  };
  eg = await startEventGrid({ config, inMemory: true, storageConnectionString: connectionString, log: () => undefined });
});

afterAll(async () => {
  await eg?.close();
  for (const h of hooks) await h.close();
  await azurite?.close();
});

async function publish(topic: string, events: Array<Record<string, unknown>>): Promise<void> {
  const { endpoint, key } = eg.topics[topic]!;
  const client = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureKeyCredential(key), { allowInsecureConnection: true });
  await client.send(events.map((e, i) => ({ eventType: 'Music.SongAdded', subject: `/songs/${i}`, dataVersion: '1.0', data: {}, ...e })));
}

async function subscribe(topic: string, url: string, extra: Record<string, unknown> = {}, properties: Record<string, unknown> = {}): Promise<void> {
  const res = await control(eg.controlUrl, 'PUT', `/topics/${topic}/subscriptions/sub`, webhookSubscription(url, extra, properties));
  expect(res.status, JSON.stringify(res.json)).toBe(201);
}

async function deadLetters(container: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  const client = blobs.getContainerClient(container);
  if (!(await client.exists())) return out;
  for await (const b of client.listBlobsFlat()) {
    const text = (await client.getBlobClient(b.name).downloadToBuffer()).toString('utf8');
    out.push(...(JSON.parse(text) as Array<Record<string, unknown>>).map((e) => ({ ...e, blobName: b.name })));
  }
  return out;
}

async function stats(topic: string): Promise<Record<string, number>> {
  const all = (await control(eg.controlUrl, 'GET', '/subscriptions')).json as Array<Record<string, unknown>>;
  return all.find((s) => s.topic === topic) as Record<string, number>;
}

const deadLetterTo = (container: string) => ({ deadLetterDestination: { endpointType: 'StorageBlob', properties: { blobContainerName: container } } });

describe('push delivery', () => {
  it('validates the webhook, delivers with Azure headers, parseable by EventGridDeserializer', async () => {
    const h = await hook();
    await subscribe('valid', h.url);
    expect(h.validationBodies).toHaveLength(1);
    const [validation] = await new EventGridDeserializer().deserializeEventGridEvents(h.validationBodies[0]!);
    expect(isSystemEvent('Microsoft.EventGrid.SubscriptionValidationEvent', validation!)).toBe(true);
    await publish('valid', [{ id: 'v1', data: { durationSeconds: 31 } }]);
    await h.waitFor(() => h.deliveries.length === 1);
    const d = h.deliveries[0]!;
    expect(d.headers['aeg-event-type']).toBe('Notification');
    expect(d.headers['aeg-subscription-name']).toBe('SUB');
    expect(d.headers['aeg-delivery-count']).toBe('0');
    expect(d.headers['aeg-metadata-version']).toBe('1');
    expect(d.headers['aeg-data-version']).toBe('1.0');
    const [parsed] = await new EventGridDeserializer().deserializeEventGridEvents(d.body);
    expect(parsed).toMatchObject({ id: 'v1', topic: expect.stringMatching(/topics\/valid$/), metadataVersion: '1', data: { durationSeconds: 31 } });
  });

  it('an endpoint that fails validation gets no events (control API and config file)', async () => {
    const res = await control(eg.controlUrl, 'PUT', '/topics/valid/subscriptions/bad', webhookSubscription(refused.url));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/validationCode/);
    await publish('static', [{ id: 's1' }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(refused.deliveries).toHaveLength(0);
    expect(((await control(eg.controlUrl, 'GET', '/subscriptions')).json as Array<{ name: string }>).map((s) => s.name)).not.toContain('refuses');
  });

  it('batches by maxEventsPerBatch and preferredBatchSizeInKilobytes', async () => {
    const h = await hook();
    await subscribe('batch', h.url, {}, { maxEventsPerBatch: 5 });
    await publish('batch', Array.from({ length: 12 }, (_, i) => ({ id: `small-${i}` })));
    await h.waitFor(() => h.deliveries.flatMap((d) => d.events).length === 12);
    expect(h.deliveries.map((d) => d.events.length).sort()).toEqual([2, 5, 5]);
    const before = h.deliveries.length;
    const update = await control(eg.controlUrl, 'PUT', '/topics/batch/subscriptions/sub', webhookSubscription(h.url, {}, { maxEventsPerBatch: 5, preferredBatchSizeInKilobytes: 1 }));
    expect(update.status).toBe(200); // replaced, not created
    await publish('batch', Array.from({ length: 4 }, (_, i) => ({ id: `big-${i}`, data: { pad: 'x'.repeat(200) } })));
    await h.waitFor(() => h.deliveries.flatMap((d) => d.events).length === 16);
    expect(h.deliveries.slice(before).map((d) => d.events.length)).toEqual([2, 2]);
  });

  it('filters per subscription (advanced filter on data.*)', async () => {
    const h = await hook();
    await subscribe('filter', h.url, { filter: { includedEventTypes: ['Music.SongAdded'], advancedFilters: [{ operatorType: 'NumberGreaterThan', key: 'data.durationSeconds', value: 30 }] } });
    await publish('filter', [{ id: 'short', data: { durationSeconds: 10 } }, { id: 'long', data: { durationSeconds: 60 } }, { id: 'other', eventType: 'X', data: { durationSeconds: 60 } }]);
    await h.waitFor(() => h.deliveries.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.deliveries.flatMap((d) => d.events.map((e) => e.id))).toEqual(['long']);
  });

  it('retries on the scaled schedule, then dead-letters after maxDeliveryAttempts', async () => {
    expect([1, 2, 3, 4, 9, 10, 20].map(retryDelayMs)).toEqual([10_000, 30_000, 60_000, 300_000, 21_600_000, 43_200_000, 43_200_000]);
    const h = await hook();
    h.status = 500;
    await subscribe('retry', h.url, { retryPolicy: { maxDeliveryAttempts: 3 }, ...deadLetterTo('retry-dl') });
    await publish('retry', [{ id: 'r1' }]);
    await h.waitFor(() => h.deliveries.length === 3);
    const gaps = h.deliveries.slice(1).map((d, i) => d.receivedMs - h.deliveries[i]!.receivedMs);
    expect(gaps[0]).toBeGreaterThanOrEqual(95); // 10 s × 0.01
    expect(gaps[1]).toBeGreaterThanOrEqual(295); // 30 s × 0.01
    expect(h.deliveries.map((d) => d.headers['aeg-delivery-count'])).toEqual(['0', '1', '2']);
    let dead: Array<Record<string, unknown>> = [];
    const deadline = Date.now() + 5000;
    while (dead.length === 0 && Date.now() < deadline) { dead = await deadLetters('retry-dl'); await new Promise((r) => setTimeout(r, 50)); }
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ id: 'r1', deadLetterReason: 'MaxDeliveryAttemptsExceeded', deliveryAttempts: 3, lastHttpStatusCode: 500, lastDeliveryOutcome: 'GenericError' });
    expect(String(dead[0]!.blobName)).toMatch(/^RETRY\/SUB\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/.+\.json$/);
    expect(Date.parse(String(dead[0]!.publishTime))).toBeLessThanOrEqual(Date.parse(String(dead[0]!.lastDeliveryAttemptTime)));
    expect(await stats('retry')).toMatchObject({ deadLettered: 1, delivered: 0, pending: 0, inRetry: 0 });
  });

  it('does not retry 400/401/403/413; succeeds on 200-204', async () => {
    const h = await hook();
    h.status = (i) => (i === 0 ? 413 : 204);
    await subscribe('final', h.url, deadLetterTo('final-dl'));
    await publish('final', [{ id: 'f1' }]);
    await h.waitFor(() => h.deliveries.length === 1);
    await publish('final', [{ id: 'f2' }]);
    await h.waitFor(() => h.deliveries.length === 2);
    const deadline = Date.now() + 5000;
    let dead: Array<Record<string, unknown>> = [];
    while (dead.length === 0 && Date.now() < deadline) { dead = await deadLetters('final-dl'); await new Promise((r) => setTimeout(r, 50)); }
    expect(dead[0]).toMatchObject({ id: 'f1', deadLetterReason: 'NonRetriableHttpStatus', deliveryAttempts: 1, lastHttpStatusCode: 413 });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.deliveries).toHaveLength(2);
    expect(await stats('final')).toMatchObject({ deadLettered: 1, delivered: 1 });
  });

  it('dead-letters when the event outlives eventTimeToLiveInMinutes; drops without a destination', async () => {
    const h = await hook();
    h.status = 503;
    await subscribe('ttl', h.url, { retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1 } }); // 600 ms scaled
    await publish('ttl', [{ id: 't1' }]);
    const deadline = Date.now() + 5000;
    while ((await stats('ttl')).dropped !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await stats('ttl')).toMatchObject({ dropped: 1, deadLettered: 0 });
    expect(h.deliveries.length).toBeGreaterThanOrEqual(2);
    expect(h.deliveries.length).toBeLessThanOrEqual(3); // 0, 100, 400 ms; the next retry (1000 ms) is past the TTL
  });

  it('retries a webhook that answers after the (scaled) 30 s response timeout', async () => {
    const h = await hook();
    h.delayMs = (i) => (i === 0 ? 1500 : 0); // timeout is 300 ms at scale 0.01
    await subscribe('timeout', h.url);
    await publish('timeout', [{ id: 'slow' }]);
    await h.waitFor(() => h.deliveries.length === 2);
    expect(h.deliveries[1]!.headers['aeg-delivery-count']).toBe('1');
    await new Promise((r) => setTimeout(r, 100));
    expect(await stats('timeout')).toMatchObject({ delivered: 1, failedAttempts: 1 });
  });

  it('pause-delivery holds events until the fault is cleared', async () => {
    const h = await hook();
    await subscribe('pause', h.url);
    await control(eg.controlUrl, 'POST', '/faults', { type: 'pause-delivery', subscription: 'sub', topic: 'pause' });
    await publish('pause', [{ id: 'p1' }, { id: 'p2' }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.deliveries).toHaveLength(0);
    expect(await stats('pause')).toMatchObject({ pending: 2 });
    await control(eg.controlUrl, 'DELETE', '/faults');
    await h.waitFor(() => h.deliveries.flatMap((d) => d.events).length === 2);
    expect((await control(eg.controlUrl, 'DELETE', '/topics/pause/subscriptions/sub')).status).toBe(200);
    expect((await control(eg.controlUrl, 'DELETE', '/topics/pause/subscriptions/sub')).status).toBe(404);
  });
});
