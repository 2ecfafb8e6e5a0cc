/**
 * The latency model as the AMQP emulators apply it, over 1,000 real SDK operations each: the
 * delays the control API reports (GET /latency) have the profile's p50 and p99 within 15%, per
 * operation (Service Bus send, delivery, complete; Event Hubs send, receive). Standard's
 * figures, quotas off so nothing is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceBusClient } from '@azure/service-bus';
import { EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { resolveProfile } from '../../profiles/resolve.ts';
import type { TechProfile } from '../../profiles/model.ts';
import { startServiceBus } from '../../fixtures/service-bus/emulator/server.ts';
import { startEventHubs } from '../../fixtures/event-hubs/emulator/server.ts';
import { controlFetch, controlJson } from '../../runner/stack/control-client.ts';
import { controlKey } from '../../fixtures/emulators/common/control-key.ts';
import { TEST_CONFIG } from './service-bus/helpers.ts';
import { collect, config } from './event-hubs/helpers.ts';

const N = 1000;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const latencyOnly = (tech: 'service-bus' | 'event-hubs'): TechProfile => ({ ...resolveProfile('standard').techs[tech], enforceQuotas: false });

async function parallel(total: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await work(next++);
  }));
}

function expectModel(stats: Record<string, { count: number; p50Ms: number; p99Ms: number }>, profile: TechProfile, ops: string[]): void {
  for (const op of ops) {
    const want = profile.latency[op]!;
    const got = stats[op]!;
    console.log(`${profile.tech} ${op}: n=${got.count} p50 ${got.p50Ms} ms (profile ${want.p50Ms}), p99 ${got.p99Ms} ms (profile ${want.p99Ms})`);
    expect(got.count, `${op} count`).toBeGreaterThanOrEqual(N);
    expect(Math.abs(got.p50Ms / want.p50Ms - 1), `${op} p50`).toBeLessThan(0.15);
    expect(Math.abs(got.p99Ms / want.p99Ms - 1), `${op} p99`).toBeLessThan(0.15);
  }
}

describe('latency model over real SDK operations', () => {
  it('Service Bus: send, delivery and complete', async () => {
    const profile = latencyOnly('service-bus');
    const emu = await startServiceBus({ config: TEST_CONFIG, inMemory: true, profile, seed: 11 });
    const client = new ServiceBusClient(emu.connectionString);
    closers.push(() => emu.close(), () => client.close());
    const sender = client.createSender('q');
    await parallel(N, 50, (i) => sender.sendMessages({ body: i }));
    const receiver = client.createReceiver('q');
    let done = 0;
    while (done < N) {
      const batch = await receiver.receiveMessages(100, { maxWaitTimeInMs: 2000 });
      await Promise.all(batch.map((m) => receiver.completeMessage(m)));
      done += batch.length;
    }
    expectModel(await controlJson(`${emu.controlUrl}/latency`, { key: controlKey() }), profile, ['send', 'receive', 'complete']);
  });

  it('Event Hubs: send and receive', async () => {
    const profile = latencyOnly('event-hubs');
    const emu = await startEventHubs({ config: config([{ Name: 'lat', PartitionCount: '2' }]), inMemory: true, profile, seed: 11 });
    const producer = new EventHubProducerClient(emu.connectionString, 'lat');
    closers.push(() => emu.close(), () => producer.close());
    await producer.getEventHubProperties();
    await controlFetch(`${emu.controlUrl}/latency`, { method: 'DELETE', key: controlKey() });
    await parallel(N, 50, (i) => producer.sendBatch([{ body: i }], { partitionId: String(i % 2) }));
    const got = await collect(emu.connectionString, 'lat', { count: N, timeoutMs: 15_000, startPosition: earliestEventPosition });
    expect(got.length).toBeGreaterThanOrEqual(N);
    expectModel(await controlJson(`${emu.controlUrl}/latency`, { key: controlKey() }), profile, ['send', 'receive']);
  });
});
