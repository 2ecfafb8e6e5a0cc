/**
 * Broker faults reach a real emulator's control API with the stack's control key, and a wrong
 * key is refused (401) with a message that names the header, never the key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQueueService, type RunningQueueService } from '../../fixtures/storage-queue/emulator/server.ts';
import { controlKey } from '../../fixtures/emulators/common/control-key.ts';
import { startBrokerFault } from '../../runner/faults/broker.ts';
import { controlFetch } from '../../runner/stack/control-client.ts';
import type { Stack } from '../../runner/stack/stack.ts';

let service: RunningQueueService;
beforeAll(async () => {
  service = await startQueueService({ inMemory: true });
});
afterAll(() => service?.close());

/** The parts of a running stack that broker faults read: its emulators' endpoints and members. */
function stackWith(key: string | undefined): Stack {
  const storage = { connectionString: '', queueEndpoint: service.queueEndpoint, blobEndpoint: '', controlUrl: service.controlUrl };
  return { tech: 'storage-queue', endpoints: { storage, controlKey: key }, members: new Map([['emulator-storage', {}]]) } as unknown as Stack;
}

const activeFaults = async () => ((await (await controlFetch(`${service.controlUrl}/faults`, { key: controlKey() })).json()) as { faults: unknown[] }).faults;

describe('broker faults and the control key', () => {
  it('injects and heals a throttle with the stack key', async () => {
    const fault = await startBrokerFault({ type: 'throttle', ratio: 1 }, 'broker', stackWith(controlKey()));
    expect(await activeFaults()).toHaveLength(1);
    await fault.heal();
    expect(await activeFaults()).toHaveLength(0);
  });

  it('is refused with a wrong or missing key, naming the header and not echoing the key', async () => {
    for (const key of ['not-the-key', undefined]) {
      const error = await startBrokerFault({ type: 'throttle', ratio: 1 }, 'broker', stackWith(key)).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/answered 401: .*x-moshpit-control-key/);
      expect((error as Error).message).not.toContain(controlKey());
    }
    expect(await activeFaults()).toHaveLength(0);
  });
});
