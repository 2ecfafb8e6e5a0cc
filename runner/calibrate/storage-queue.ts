/**
 * Storage calibration (Queues and Blobs): a queue and a container `<prefix>-calibrate`, then
 * per iteration one put (send), one get of the visible message (receive), one delete
 * (complete), one block-blob upload (blobPut) and one download read to the end (blobGet).
 * Every figure is a round trip as the music backend's calls see it.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { body, recorder, type MeasureContext, type Samples } from './samples.ts';

export const STORAGE_OPERATIONS = ['send', 'receive', 'complete', 'blobPut', 'blobGet'] as const;

const names = (prefix: string) => ({ queue: `${prefix}-calibrate`, container: `${prefix}-calibrate` });

export async function measureStorage(ctx: MeasureContext, created: (what: string) => void): Promise<Samples> {
  const storage = ctx.target.endpoints.storage!;
  const { queue: queueName, container: containerName } = names(ctx.prefix);
  const queue = QueueServiceClient.fromConnectionString(storage.connectionString).getQueueClient(queueName);
  const container = BlobServiceClient.fromConnectionString(storage.connectionString).getContainerClient(containerName);
  await queue.create();
  created(`storage queue ${queueName}`);
  await container.create();
  created(`blob container ${containerName}`);
  const rec = recorder(ctx, STORAGE_OPERATIONS);
  const payload = body(ctx.bodyBytes);
  for (let i = 0; i < ctx.warmup + ctx.ops; i++) {
    await rec.time('send', i, () => queue.sendMessage(payload));
    let got: { messageId: string; popReceipt: string } | undefined;
    for (let attempt = 0; !got; attempt++) {
      if (attempt === 20) throw new Error(`storage queue ${queueName}: the message put was not visible after 20 gets`);
      const response = await rec.time(attempt === 0 ? 'receive' : 'receive-retry', i, () => queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 30 }));
      got = response.receivedMessageItems[0];
    }
    await rec.time('complete', i, () => queue.deleteMessage(got.messageId, got.popReceipt));
    const blob = container.getBlockBlobClient(`blob-${i}`);
    await rec.time('blobPut', i, () => blob.upload(payload, payload.length));
    await rec.time('blobGet', i, async () => {
      const stream = (await blob.download()).readableStreamBody;
      if (stream) for await (const _chunk of stream) void _chunk;
    });
    ctx.tick();
  }
  delete rec.samples['receive-retry'];
  return rec.samples;
}

export async function cleanStorage(ctx: Pick<MeasureContext, 'target' | 'prefix'>): Promise<void> {
  const storage = ctx.target.endpoints.storage!;
  const { queue, container } = names(ctx.prefix);
  await QueueServiceClient.fromConnectionString(storage.connectionString).getQueueClient(queue).deleteIfExists();
  await BlobServiceClient.fromConnectionString(storage.connectionString).getContainerClient(container).deleteIfExists();
}
