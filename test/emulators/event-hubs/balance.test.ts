/**
 * Owner level (epoch) rules with the SDK's load balancer: three EventHubConsumerClients sharing a
 * BlobCheckpointStore on Azurite split the partitions, hand over when one stops mid-stream, and
 * resume from checkpoints: no gaps, duplicates only from the stopped consumer's last batches.
 */
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, type Subscription } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../fixtures/emulators/azurite/server.ts';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../../../fixtures/emulators/endpoints.ts';
import { startEventHubs, type RunningEventHubs } from '../../../fixtures/event-hubs/emulator/server.ts';
import { config, FAST_RETRY } from './helpers.ts';

let eh: RunningEventHubs;
let azurite: RunningAzurite;
const clients: EventHubConsumerClient[] = [];

beforeAll(async () => {
  eh = await startEventHubs({ inMemory: true, config: config([{ Name: 'balanced', PartitionCount: '4' }]) });
  azurite = await startAzurite({ inMemory: true, services: ['blob'] });
}, 20_000);
afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await eh?.close();
  await azurite?.close();
}, 20_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('load balancing with a blob checkpoint store', () => {
  it('splits partitions, hands over when one consumer stops, resumes from checkpoints', { timeout: 60_000 }, async () => {
    const storage = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${azurite.blobEndpoint};`;
    const container = new ContainerClient(storage, 'checkpoints');
    await container.createIfNotExists();
    const seen = new Map<string, number>(); // partition/seq -> deliveries
    const owners: Array<Set<string>> = [];
    const subscriptions: Subscription[] = [];
    const errors: string[] = [];
    for (let i = 0; i < 3; i++) {
      const client = new EventHubConsumerClient('$Default', eh.connectionString, 'balanced', new BlobCheckpointStore(container), {
        retryOptions: FAST_RETRY, loadBalancingOptions: { strategy: 'greedy', updateIntervalInMs: 300, partitionOwnershipExpirationIntervalInMs: 3000 },
      });
      clients.push(client);
      const owned = new Set<string>();
      owners.push(owned);
      subscriptions.push(client.subscribe({
        processInitialize: async (context) => void owned.add(context.partitionId),
        processClose: async (_reason, context) => void owned.delete(context.partitionId),
        processEvents: async (events, context) => {
          for (const event of events) {
            const key = `${context.partitionId}/${event.sequenceNumber}`;
            seen.set(key, (seen.get(key) ?? 0) + 1);
          }
          if (events.length) await context.updateCheckpoint(events[events.length - 1]);
        },
        processError: async (error) => {
          const code = (error as { code?: string }).code ?? error.name;
          if (code !== 'ReceiverDisconnectedError' && !/stolen|epoch/i.test(error.message)) errors.push(`${code}: ${error.message}`);
        },
      }, { startPosition: earliestEventPosition, maxBatchSize: 20, maxWaitTimeInSeconds: 0.5 }));
    }
    const producer = new EventHubProducerClient(eh.connectionString, 'balanced', { retryOptions: FAST_RETRY });
    let sent = 0;
    const send = async (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        for (let p = 0; p < 4; p++) await producer.sendBatch([{ body: sent++ }, { body: sent++ }], { partitionId: String(p) });
        await sleep(20);
      }
    };
    await send(40);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && owners.filter((o) => o.size > 0).length < 3) await sleep(200);
    expect(owners.filter((o) => o.size > 0).length).toBe(3);

    const firstOwned = [...owners[0]];
    const sending = send(60);
    while (seen.size < sent - 40) await sleep(20);
    await subscriptions[0].close(); // one consumer stops mid-stream
    await sending;
    const drainBy = Date.now() + 20_000;
    while (Date.now() < drainBy && (seen.size < sent || !firstOwned.every((id) => owners[1].has(id) || owners[2].has(id)))) await sleep(200);
    await producer.close();

    const gaps = sent - seen.size;
    const duplicates = [...seen.values()].reduce((n, c) => n + c - 1, 0);
    expect(gaps).toBe(0);
    expect(duplicates).toBeLessThanOrEqual(4 * 20 * 2); // at most the uncheckpointed batches per partition
    expect(errors).toEqual([]);
    const takenOver = firstOwned.filter((id) => owners[1].has(id) || owners[2].has(id));
    expect(firstOwned.length).toBeGreaterThan(0);
    expect(takenOver).toEqual(firstOwned);
    console.log(`balance: sent ${sent}, gaps ${gaps}, duplicates ${duplicates}, handed over ${takenOver.join(',')}`);
    const checkpoints = await container.listBlobsFlat({ prefix: '' }).byPage().next();
    expect(JSON.stringify(checkpoints.value)).toContain('checkpoint');
    for (const s of subscriptions.slice(1)) await s.close();
  });
});
