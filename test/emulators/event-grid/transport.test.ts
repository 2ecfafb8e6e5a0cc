import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerOptions } from '../../../runner/contracts/backend-config.ts';
import { DEFAULT_CONFIG_PATH, startEventGrid, type RunningEventGrid } from '../../../fixtures/event-grid/emulator/server.ts';
import { createEventGridTransport, subscriptionName } from '../../../fixtures/event-grid/transport.ts';
import type { IncomingMessage, Subscription, Transport } from '../../../fixtures/music-backend/transports/types.ts';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';
import { controlFetch } from '../../../runner/stack/control-client.ts';

const consumer: ConsumerOptions = {
  mode: 'peek-lock', processing: 'idempotent', batchSize: 4, prefetch: 0, maxConcurrentCalls: 8, visibilityTimeout: 30_000,
  maxDeliveryCount: 3, checkpointInterval: 1000, processingTime: 0, pollInterval: 50,
};

let eg: RunningEventGrid;
let transport: Transport;
const subs: Subscription[] = [];

beforeAll(async () => {
  const config = { ...JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')), deliveryTimeScale: 0.01 };
  eg = await startEventGrid({ config, inMemory: true, log: () => undefined });
  transport = createEventGridTransport({ endpoints: { eventGrid: { topics: eg.topics, controlUrl: eg.controlUrl }, controlKey: controlKey() }, entityPrefix: 'run-1', subscribers: ['web', 'mail'] });
  await transport.provision();
});

afterAll(async () => {
  for (const s of subs) await s.close();
  await transport?.close();
  await eg?.close();
});

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('event-grid transport', () => {
  it('fans song-added out to one webhook subscription per subscriber', async () => {
    const got: Record<string, IncomingMessage[]> = { web: [], mail: [] };
    for (const name of ['web', 'mail']) {
      subs.push(await transport.subscribe('song-added', async (m) => void got[name]!.push(m), { subscriber: name, consumer }));
    }
    await Promise.all(Array.from({ length: 10 }, (_, i) => transport.publish('song-added', { id: `song-${i}`, key: `s${i}`, body: { n: i } })));
    await until(() => got.web!.length === 10 && got.mail!.length === 10);
    expect(got.web!.map((m) => m.id).sort()).toEqual(got.mail!.map((m) => m.id).sort());
    expect(got.web!.find((m) => m.id === 'song-3')).toMatchObject({ key: 's3', body: { n: 3 }, deliveryCount: 1 });
    const names = ((await (await controlFetch(`${eg.controlUrl}/subscriptions`, { key: controlKey() })).json()) as Array<{ name: string }>).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([subscriptionName('run-1', 'song-added', 'web'), subscriptionName('run-1', 'song-added', 'mail')]));
    await expect(transport.subscribe('song-added', async () => undefined, { subscriber: 'nobody', consumer })).rejects.toThrow(/subscriber name among \[web, mail\]/);
  });

  it('redelivers when the handler throws and reports the dead-letter at maxDeliveryCount', async () => {
    const seen: IncomingMessage[] = [];
    const dead: string[] = [];
    subs.push(await transport.subscribe('comments', async (m) => {
      seen.push(m);
      if (m.id === 'flaky' && m.deliveryCount === 1) throw new Error('first time fails');
      if (m.id === 'poison') throw new Error('always fails');
    }, { consumer: { ...consumer, batchSize: 1 }, onDeadLetter: (m, reason) => dead.push(`${m.id}: ${reason}`), onError: () => undefined }));
    await transport.publish('comments', { id: 'flaky', key: 'k', body: {} });
    await transport.publish('comments', { id: 'poison', key: 'k', body: {} });
    await until(() => seen.filter((m) => m.id === 'flaky').length === 2 && dead.length === 1);
    expect(seen.filter((m) => m.id === 'flaky').map((m) => m.deliveryCount)).toEqual([1, 2]);
    expect(seen.filter((m) => m.id === 'poison').map((m) => m.deliveryCount)).toEqual([1, 2, 3]);
    expect(dead[0]).toMatch(/^poison: .*maxDeliveryAttempts 3/);
  });

  it('shares a message flow between workers: a standby takes over when the owner dies', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const patient = { ...consumer, maxDeliveryCount: 5 }; // attempts at 0, 0.1, 0.4, 1, 4 s (scaled)
    const w1 = await transport.subscribe('uploads', async (m) => void first.push(m.id), { consumer: patient, onError: () => undefined });
    subs.push(w1);
    const w2 = await transport.subscribe('uploads', async (m) => void second.push(m.id), { consumer: patient, onError: () => undefined });
    await Promise.all(Array.from({ length: 8 }, (_, i) => transport.publish('uploads', { id: `u${i}`, key: 'k', body: {} })));
    await until(() => second.length === 8);
    expect(first).toHaveLength(0); // the last to subscribe owns the endpoint
    await w2.close(); // the owner dies
    await Promise.all(Array.from({ length: 8 }, (_, i) => transport.publish('uploads', { id: `v${i}`, key: 'k', body: {} })));
    await until(() => new Set(first).size === 8, 15_000);
    expect([...new Set(first)].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `v${i}`).sort());
  });
});
