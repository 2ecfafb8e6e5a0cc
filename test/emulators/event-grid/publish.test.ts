import { AzureKeyCredential, AzureSASCredential, EventGridPublisherClient, generateSharedAccessSignature } from '@azure/eventgrid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventGrid, type RunningEventGrid } from '../../../fixtures/event-grid/emulator/server.ts';
import { control, startWebhook, webhookSubscription, type TestWebhook } from './helpers.ts';

const config = {
  topics: [
    { name: 'songs', inputSchema: 'EventGridSchema' },
    { name: 'clouds', inputSchema: 'CloudEventSchemaV1_0' },
  ],
};

let eg: RunningEventGrid;
let hook: TestWebhook;
let cloudHook: TestWebhook;

beforeAll(async () => {
  eg = await startEventGrid({ config, inMemory: true, log: () => undefined });
  hook = await startWebhook();
  cloudHook = await startWebhook();
  expect((await control(eg.controlUrl, 'PUT', '/topics/songs/subscriptions/all', webhookSubscription(hook.url))).status).toBe(201);
  expect((await control(eg.controlUrl, 'PUT', '/topics/clouds/subscriptions/all', webhookSubscription(cloudHook.url))).status).toBe(201);
});

afterAll(async () => {
  await eg?.close();
  await hook?.close();
  await cloudHook?.close();
});

function egClient(key = eg.topics.songs!.key): EventGridPublisherClient<'EventGrid'> {
  return new EventGridPublisherClient(eg.topics.songs!.endpoint, 'EventGrid', new AzureKeyCredential(key), { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
}

const songEvent = (id: string) => ({ id, eventType: 'Music.SongAdded', subject: `/songs/${id}`, dataVersion: '1.0', data: { id } });

describe('publishing with EventGridPublisherClient', () => {
  it('accepts EventGrid events with a key, single and arrays, and delivers them', async () => {
    await egClient().send([songEvent('a')]);
    await egClient().send([songEvent('b'), songEvent('c')]);
    await hook.waitFor(() => hook.deliveries.flatMap((d) => d.events).length >= 3);
    const ids = hook.deliveries.flatMap((d) => d.events.map((e) => e.id)).sort();
    expect(ids).toEqual(['a', 'b', 'c']);
  });

  it('accepts a SAS token made by generateSharedAccessSignature, and refuses a wrong one', async () => {
    const { endpoint, key } = eg.topics.songs!;
    const sas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(key), new Date(Date.now() + 60_000));
    const client = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureSASCredential(sas), { allowInsecureConnection: true });
    await client.send([songEvent('sas')]);
    await hook.waitFor(() => hook.deliveries.some((d) => d.events.some((e) => e.id === 'sas')));
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    const badSas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(otherKey), new Date(Date.now() + 60_000));
    const bad = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureSASCredential(badSas), { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await expect(bad.send([songEvent('x')])).rejects.toMatchObject({ statusCode: 401 });
    const expired = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(key), new Date(Date.now() - 60_000));
    const old = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureSASCredential(expired), { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await expect(old.send([songEvent('x')])).rejects.toMatchObject({ statusCode: 401, message: expect.stringMatching(/expired/) });
  });

  it('accepts CloudEvents, single and arrays', async () => {
    const { endpoint, key } = eg.topics.clouds!;
    const client = new EventGridPublisherClient(endpoint, 'CloudEvent', new AzureKeyCredential(key), { allowInsecureConnection: true });
    await client.send([{ type: 'Music.SongAdded', source: '/moshpit', id: 'c1', data: { n: 1 } }]);
    await client.send([{ type: 'Music.SongAdded', source: '/moshpit', id: 'c2', data: { n: 2 } }, { type: 'Music.SongAdded', source: '/moshpit', id: 'c3', data: { n: 3 } }]);
    await cloudHook.waitFor(() => cloudHook.deliveries.flatMap((d) => d.events).length >= 3);
    expect(cloudHook.deliveries.flatMap((d) => d.events.map((e) => e.id)).sort()).toEqual(['c1', 'c2', 'c3']);
    expect(cloudHook.validations).toBe(1); // the OPTIONS abuse-protection handshake
    const refusing = await startWebhook();
    try {
      refusing.refuseValidation = true;
      const res = await control(eg.controlUrl, 'PUT', '/topics/clouds/subscriptions/refuses', webhookSubscription(refusing.url));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toMatch(/WebHook-Allowed-Origin/);
      await client.send([{ type: 'Music.SongAdded', source: '/moshpit', id: 'c4', data: { n: 4 } }]);
      await cloudHook.waitFor(() => cloudHook.deliveries.flatMap((d) => d.events).length >= 4);
      expect(refusing.deliveries).toHaveLength(0);
    } finally {
      await refusing.close();
    }
  });

  it('refuses a wrong key (401), a body over 1 MB (413), and the wrong schema (400)', async () => {
    await expect(egClient(Buffer.alloc(32, 1).toString('base64')).send([songEvent('k')])).rejects.toMatchObject({ statusCode: 401 });
    const big = { ...songEvent('big'), data: { blob: 'x'.repeat(1024 * 1024) } };
    await expect(egClient().send([big])).rejects.toMatchObject({ statusCode: 413 });
    const { endpoint, key } = eg.topics.songs!;
    const cloudToEg = new EventGridPublisherClient(endpoint, 'CloudEvent', new AzureKeyCredential(key), { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await expect(cloudToEg.send([{ type: 't', source: '/s', id: '1', data: { n: 1 } }])).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(/CloudEvent.*EventGridSchema/) });
  });

  it('answers a malformed body with 400 and a readable message', async () => {
    const { endpoint, key } = eg.topics.songs!;
    const post = (body: string) => fetch(`${endpoint}?api-version=2018-01-01`, { method: 'POST', headers: { 'aeg-sas-key': key, 'content-type': 'application/json' }, body });
    const notJson = await post('{"oops"');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const missing = await post(JSON.stringify([{ id: '1', eventType: 't', eventTime: new Date().toISOString(), dataVersion: '1', data: {} }]));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/events\[0\]\.subject/);
    const noVersion = await fetch(endpoint, { method: 'POST', headers: { 'aeg-sas-key': key }, body: '[]' });
    expect(noVersion.status).toBe(400);
  });

  it('throttles and disables topics through the control API', async () => {
    expect((await control(eg.controlUrl, 'POST', '/faults', { type: 'throttle', topic: 'songs', ratio: 1 })).status).toBe(201);
    await expect(egClient().send([songEvent('t')])).rejects.toMatchObject({ statusCode: 503 });
    await control(eg.controlUrl, 'DELETE', '/faults');
    await control(eg.controlUrl, 'POST', '/faults', { type: 'throttle', topic: 'songs', ratio: 1, status: 429 });
    await expect(egClient().send([songEvent('t')])).rejects.toMatchObject({ statusCode: 429 });
    await control(eg.controlUrl, 'DELETE', '/faults');
    await control(eg.controlUrl, 'POST', '/faults', { type: 'disable', topic: 'songs' });
    await expect(egClient().send([songEvent('t')])).rejects.toMatchObject({ statusCode: 403 });
    await control(eg.controlUrl, 'DELETE', '/faults');
    await egClient().send([songEvent('after-faults')]);
    const badFault = await control(eg.controlUrl, 'POST', '/faults', { type: 'explode' });
    expect(badFault.status).toBe(400);
    expect(JSON.stringify(badFault.json)).toMatch(/known types: throttle, disable, pause-delivery/);
  });
});
