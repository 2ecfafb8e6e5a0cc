/** Shared test helpers: SDK clients for a running queue service, child-process control. */
import type { ChildProcess } from 'node:child_process';
import { QueueServiceClient, StorageSharedKeyCredential, type QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll } from 'vitest';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../../../fixtures/emulators/endpoints.ts';
import { startQueueService, type RunningQueueService } from '../../../fixtures/storage-queue/emulator/server.ts';
import { startEmulatorChild, type ChildOptionsInput } from '../../../fixtures/emulators/child-process.ts';

export function connectionString(queueEndpoint: string, key = DEV_ACCOUNT_KEY): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${key};QueueEndpoint=${queueEndpoint};`;
}

/** A client that does not retry, so errors surface at once. */
export function serviceClient(queueEndpoint: string, key = DEV_ACCOUNT_KEY): QueueServiceClient {
  return QueueServiceClient.fromConnectionString(connectionString(queueEndpoint, key), { retryOptions: { maxTries: 1 } });
}

export function sharedKey(): StorageSharedKeyCredential {
  return new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY);
}

/**
 * One in-memory queue service for the test file: started before its tests (then `ready` gets it
 * and a non-retrying client), closed after them.
 */
export function withInMemoryService(ready: (service: RunningQueueService, client: QueueServiceClient) => void | Promise<void>): void {
  let service: RunningQueueService | undefined;
  beforeAll(async () => {
    service = await startQueueService({ inMemory: true });
    await ready(service, serviceClient(service.queueEndpoint));
  }, 10_000);
  afterAll(async () => {
    await service?.close();
  });
}

let counter = 0;
export function uniqueName(prefix = 'q'): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function newQueue(service: QueueServiceClient, prefix = 'q'): Promise<QueueClient> {
  const queue = service.getQueueClient(uniqueName(prefix));
  await queue.create();
  return queue;
}

/** The Azure error code of a rejected SDK call (fails the test if it did not reject). */
export async function errorOf(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    return { status: e.statusCode ?? -1, code: e.details?.errorCode ?? e.code ?? '' };
  }
  throw new Error('expected the call to fail, it succeeded');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChildService {
  child: ChildProcess;
  queueEndpoint: string;
  controlUrl: string;
}

/** Starts the queue service (the storage slot without Azurite's blob) through the one child entry (child.ts) and waits for its ready line. */
export async function startChild(options: Omit<ChildOptionsInput, 'name'>, timeoutMs = 20_000): Promise<ChildService> {
  const started = await startEmulatorChild({ name: 'storage', blob: false, ...options }, { readyTimeoutMs: timeoutMs });
  const storage = started.ready.storage!;
  return { child: started.process, queueEndpoint: storage.queueEndpoint, controlUrl: storage.controlUrl! };
}

export function killChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
