/**
 * Storage entities of a target run: the claim-check container `<prefix>-songs` is created here;
 * the queues (`<prefix>-uploads`, `-comments`, `-song-added-<subscriber>`, their `-poison`
 * queues), the Event Hubs checkpoint container and the Event Grid dead-letter container are
 * created by the music backend under the same prefix. Cleanup deletes every queue and container
 * whose name starts with the prefix, whoever created it.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { StorageEndpoints } from '../../fixtures/emulators/endpoints.ts';

export const songsContainer = (prefix: string) => `${prefix}-songs`;

export async function createStorageEntities(storage: StorageEndpoints, prefix: string): Promise<string[]> {
  await BlobServiceClient.fromConnectionString(storage.connectionString).getContainerClient(songsContainer(prefix)).createIfNotExists();
  return [`blob container ${songsContainer(prefix)}`, `storage queues ${prefix}-* (created by the backend)`];
}

/** Queues and containers whose names start with the prefix. */
export async function listStorageEntities(storage: StorageEndpoints, prefix: string): Promise<{ queues: string[]; containers: string[] }> {
  const queues: string[] = [];
  const containers: string[] = [];
  for await (const q of QueueServiceClient.fromConnectionString(storage.connectionString).listQueues({ prefix })) queues.push(q.name);
  for await (const c of BlobServiceClient.fromConnectionString(storage.connectionString).listContainers({ prefix })) containers.push(c.name);
  return { queues, containers };
}

export async function deleteStorageEntities(storage: StorageEndpoints, prefix: string): Promise<string[]> {
  const problems: string[] = [];
  const { queues, containers } = await listStorageEntities(storage, prefix);
  const queueService = QueueServiceClient.fromConnectionString(storage.connectionString);
  const blobService = BlobServiceClient.fromConnectionString(storage.connectionString);
  await Promise.all([
    ...queues.map((name) => queueService.deleteQueue(name).catch((e: Error) => void problems.push(`storage: could not delete queue ${name}: ${e.message}`))),
    ...containers.map((name) => blobService.deleteContainer(name).catch((e: Error) => void problems.push(`storage: could not delete container ${name}: ${e.message}`))),
  ]);
  return problems;
}
