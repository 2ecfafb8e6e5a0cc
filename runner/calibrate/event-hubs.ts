/**
 * Event Hubs calibration on the target's existing uploads hub (event hubs cannot be created
 * through the data plane), partition 0: one event at a time, send (until acknowledged) and
 * receive (arrival at a consumer already reading, counted from the acknowledgement, as for
 * Service Bus), then checkpoint: what a checkpoint is, a small block-blob write with metadata
 * in the storage account (container `<prefix>-calibrate`). The events carry the property
 * moshpitCalibrate = <prefix>; the hub's other consumers see them.
 */
import { performance } from 'node:perf_hooks';
import { EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { Arrivals, body, recorder, type MeasureContext, type Samples } from './samples.ts';

export const EVENT_HUBS_OPERATIONS = ['send', 'receive', 'checkpoint'] as const;

const containerOf = (prefix: string) => `${prefix}-calibrate`;

export async function measureEventHubs(ctx: MeasureContext, created: (what: string) => void): Promise<Samples> {
  const { connectionString } = ctx.target.endpoints.eventHubs!;
  const hub = ctx.target.eventHubs.uploads;
  const container = BlobServiceClient.fromConnectionString(ctx.target.endpoints.storage!.connectionString).getContainerClient(containerOf(ctx.prefix));
  await container.create();
  created(`blob container ${containerOf(ctx.prefix)} (checkpoints)`);
  const producer = new EventHubProducerClient(connectionString, hub);
  const consumer = new EventHubConsumerClient('$Default', connectionString, hub);
  const rec = recorder(ctx, EVENT_HUBS_OPERATIONS);
  const arrivals = new Arrivals<true>();
  let receiveError: Error | undefined;
  let ready!: () => void;
  const opened = new Promise<void>((resolve) => (ready = resolve));
  // from a little before now: nothing sent after the subscription opens can be missed
  const subscription = consumer.subscribe(
    '0',
    {
      processInitialize: async () => ready(),
      processEvents: async (events) => {
        for (const e of events) if (e.properties?.moshpitCalibrate === ctx.prefix) arrivals.put(String(e.properties.id), true);
      },
      processError: async (error) => void (receiveError = error),
    },
    { startPosition: { enqueuedOn: new Date(Date.now() - 1000) }, maxBatchSize: 1, maxWaitTimeInSeconds: 1 },
  );
  try {
    await opened;
    for (let i = 0; i < ctx.warmup + ctx.ops; i++) {
      const id = `${ctx.prefix}-${i}`;
      await rec.time('send', i, () => producer.sendBatch([{ body: body(ctx.bodyBytes), properties: { moshpitCalibrate: ctx.prefix, id } }], { partitionId: '0' }));
      const acked = performance.now();
      const arrival = await arrivals.take(id, 30_000, `event ${id} on ${hub} partition 0${receiveError ? ` (consumer: ${receiveError.message})` : ''}`);
      rec.record('receive', i, arrival.atMs - acked);
      await rec.time('checkpoint', i, () => container.getBlockBlobClient(`checkpoint-${i % 4}`).upload('', 0, { metadata: { offset: String(i), sequencenumber: String(i) } }));
      ctx.tick();
    }
  } finally {
    await subscription.close();
    await Promise.all([consumer.close(), producer.close()]);
  }
  return rec.samples;
}

export async function cleanEventHubs(ctx: Pick<MeasureContext, 'target' | 'prefix'>): Promise<void> {
  await BlobServiceClient.fromConnectionString(ctx.target.endpoints.storage!.connectionString).getContainerClient(containerOf(ctx.prefix)).deleteIfExists();
}
