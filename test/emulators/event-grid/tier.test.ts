/**
 * Event Grid playing the `standard` profile's tier (fixtures/event-grid/tiers/basic.json), with
 * the official @azure/eventgrid publisher and real webhooks: 500 events published one at a time
 * reach one subscription out of order (concurrent deliveries, each push delayed by the latency
 * model); publish latency over 1,000 SDK publishes matches the profile (GET /latency); an endpoint
 * that keeps failing is held back and dead-letters wait the dead-letter delay (time-scaled);
 * the per-topic quota answers 429; and the push hop runs through the fault proxy (links.ts), where
 * a latency toxic delays deliveries.
 */
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventGrid, type RunningEventGrid } from '../../../fixtures/event-grid/emulator/server.ts';
import { EventGridTier, jittered } from '../../../fixtures/event-grid/emulator/tier.ts';
import { HttpError } from '../../../fixtures/event-grid/emulator/ingest.ts';
import { startFaultProxy, type FaultProxy } from '../../../runner/faults/network/index.ts';
import { proxyBrokerLinks } from '../../../runner/stack/links.ts';
import { resolveProfile } from '../../../profiles/resolve.ts';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';
import { control, startWebhook, webhookSubscription, type TestWebhook } from './helpers.ts';

const standard = resolveProfile('standard').techs['event-grid'];
const hooks: TestWebhook[] = [];
const emulators: RunningEventGrid[] = [];
let proxy: FaultProxy | undefined;

async function hook(): Promise<TestWebhook> {
  const h = await startWebhook();
  hooks.push(h);
  return h;
}

async function emulator(timeScale: number, profile = standard): Promise<RunningEventGrid> {
  const eg = await startEventGrid({ config: { deliveryTimeScale: timeScale, topics: [{ name: 't' }] }, inMemory: true, profile, seed: 11, log: () => undefined });
  emulators.push(eg);
  return eg;
}

function publisher(eg: RunningEventGrid): EventGridPublisherClient<'EventGrid'> {
  const { endpoint, key } = eg.topics.t!;
  return new EventGridPublisherClient(endpoint, 'EventGrid', new AzureKeyCredential(key), { allowInsecureConnection: true });
}

const event = (seq: number) => ({ eventType: 'Music.SongAdded', subject: `/songs/${seq}`, dataVersion: '1.0', data: { seq } });
const seqOf = (h: TestWebhook) => h.deliveries.flatMap((d) => d.events.map((e) => (e.data as { seq: number }).seq));

async function subscribe(eg: RunningEventGrid, url: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await control(eg.controlUrl, 'PUT', '/topics/t/subscriptions/sub', webhookSubscription(url, extra));
  expect(res.status, JSON.stringify(res.json)).toBe(201);
}

afterAll(async () => {
  for (const eg of emulators) await eg.close();
  for (const h of hooks) await h.close();
  await proxy?.close();
});

describe('event grid tier: standard profile, real SDK', () => {
  let eg: RunningEventGrid;
  let webhook: TestWebhook;
  beforeAll(async () => {
    webhook = await hook();
    eg = await emulator(0.01);
    await subscribe(eg, webhook.url);
  });

  it('500 events published one at a time reach one subscription out of order', async () => {
    // standard's delivery (8 in flight, each push delayed by the model); its publish delay is
    // zeroed only so that 500 sequential publishes take 2 s instead of 8 (checked in the next test)
    const ordered = await emulator(0.01, resolveProfile('standard', { 'event-grid': { latency: { publish: { p50Ms: 0, p99Ms: 0 } } } }).techs['event-grid']);
    const webhook = await hook();
    await subscribe(ordered, webhook.url);
    const client = publisher(ordered);
    for (let seq = 0; seq < 500; seq++) await client.send([event(seq)]);
    await webhook.waitFor(() => webhook.deliveries.length >= 500, 15_000);
    const order = seqOf(webhook);
    let inversions = 0;
    let highest = -1;
    for (const seq of order) {
      if (seq < highest) inversions++;
      highest = Math.max(highest, seq);
    }
    expect(new Set(order).size).toBe(500);
    expect(inversions).toBeGreaterThan(0);
  }, 30_000);

  it('1,000 SDK publishes are delayed by the profile p50 and p99 (within 15%); pushes are delayed too', async () => {
    await control(eg.controlUrl, 'DELETE', '/latency');
    const client = publisher(eg);
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < 1000) await client.send([event(1000 + next++)]);
    }));
    const stats = (await control(eg.controlUrl, 'GET', '/latency')).json as Record<string, { count: number; p50Ms: number; p99Ms: number }>;
    const want = standard.latency.publish!;
    expect(stats.publish!.count).toBe(1000);
    expect(Math.abs(stats.publish!.p50Ms - want.p50Ms) / want.p50Ms).toBeLessThan(0.15);
    expect(Math.abs(stats.publish!.p99Ms - want.p99Ms) / want.p99Ms).toBeLessThan(0.15);
    expect(stats.pushDelivery!.count).toBe(1000);
    await webhook.waitFor(() => webhook.deliveries.length >= 1000, 15_000);
  }, 30_000);
});

describe('event grid tier: delivery timing', () => {
  it('retry steps get a randomisation of ±20% (seeded), ideal keeps them exact', () => {
    const tier = new EventGridTier(standard, 5);
    const steps = Array.from({ length: 200 }, () => jittered(10_000, tier.delivery));
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...steps)).toBeLessThanOrEqual(12_000);
    expect(new Set(steps).size).toBeGreaterThan(100);
    expect(jittered(10_000, new EventGridTier(undefined).delivery)).toBe(10_000);
  });

  it('the topic quota answers 429 TooManyRequests; events over 64 KB count in chunks', () => {
    const tier = new EventGridTier(standard, 5);
    const t0 = 1_000_000;
    tier.admitPublish('t', new Array(4999).fill({}), 4999 * 100, t0);
    expect(() => tier.admitPublish('t', [{ big: 'x'.repeat(70_000) }], 70_100, t0)).toThrow(HttpError); // 2 chunks, 1 token left
    tier.admitPublish('t', [{}], 100, t0);
    try { tier.admitPublish('t', [{}], 100, t0); expect.unreachable(); } catch (error) { expect((error as HttpError).status).toBe(429); }
    expect(tier.throttled.events).toBe(2);
  });

  it('an endpoint that keeps failing is held back; a dead-letter waits the dead-letter delay (time-scaled)', async () => {
    const scale = 0.004; // hold 60 s -> 240 ms, dead-letter delay 5 min -> 1.2 s, first retry 10 s -> 40 ms
    const eg = await emulator(scale);
    const failing = await hook();
    failing.status = 500;
    await subscribe(eg, failing.url, { retryPolicy: { maxDeliveryAttempts: 1, eventTimeToLiveInMinutes: 1 }, deadLetterDestination: { endpointType: 'StorageBlob', properties: { blobContainerName: 'dead' } } });
    const client = publisher(eg);
    await client.send(Array.from({ length: 10 }, (_, i) => event(i)));
    await failing.waitFor(() => failing.deliveries.length === 10);
    const tenthMs = Math.max(...failing.deliveries.map((d) => d.receivedMs));
    await client.send([event(10)]);
    await failing.waitFor(() => failing.deliveries.length === 11);
    expect(failing.deliveries[10]!.receivedMs - tenthMs).toBeGreaterThanOrEqual(200);
    const waitFor = async (test: () => Promise<boolean>) => { while (!(await test())) await new Promise((r) => setTimeout(r, 20)); };
    const dropped = async () => ((await control(eg.controlUrl, 'GET', '/subscriptions')).json as Array<{ dropped: number }>)[0]!.dropped;
    await waitFor(async () => (await dropped()) >= 1);
    expect(Date.now() - tenthMs).toBeGreaterThanOrEqual(1000);
  }, 20_000);
});

describe('event grid: the push hop behind the fault proxy', () => {
  it('deliveries go through the proxy link broker-push; a latency toxic on it delays them', async () => {
    const eg = await emulator(1, resolveProfile('ideal').techs['event-grid']);
    const webhook = await hook();
    await subscribe(eg, webhook.url);
    proxy = await startFaultProxy();
    const links = await proxyBrokerLinks('event-grid', { eventGrid: { topics: eg.topics, controlUrl: eg.controlUrl }, controlKey: controlKey() }, proxy);
    expect(links.broker).toEqual(['broker-publish', 'broker-push']);
    const viaProxy = new EventGridPublisherClient(links.endpoints.eventGrid!.topics.t!.endpoint, 'EventGrid', new AzureKeyCredential(eg.topics.t!.key), { allowInsecureConnection: true });
    const lag = async (seq: number) => {
      const sentMs = Date.now();
      await viaProxy.send([event(seq)]);
      await webhook.waitFor(() => seqOf(webhook).includes(seq));
      return webhook.deliveries.find((d) => (d.events[0]!.data as { seq: number }).seq === seq)!.receivedMs - sentMs;
    };
    const before = await lag(1);
    await proxy.addToxic('broker-push', { type: 'latency', name: 'slow-push', stream: 'upstream', attributes: { latency: 400, jitter: 0 } });
    const slowed = await lag(2);
    await proxy.removeToxic('broker-push', 'slow-push');
    expect(before).toBeLessThan(400);
    expect(slowed).toBeGreaterThanOrEqual(400);
    expect((await control(eg.controlUrl, 'GET', '/push-route')).json).toEqual({ via: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
  }, 20_000);
});
