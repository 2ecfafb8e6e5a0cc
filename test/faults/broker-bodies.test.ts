/**
 * Every broker fault a scenario can give reaches each emulator's real control API as the
 * runner posts it (the fault spec itself, no renaming) and is accepted, then healed: the
 * runner and the emulators validate with the same schemas (runner/contracts/control-api.ts).
 * One in-memory emulator of each kind, with its default entities (uploads, comments, song-added).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlKey } from '../../fixtures/emulators/common/control-key.ts';
import { startEventGrid } from '../../fixtures/event-grid/emulator/server.ts';
import { startEventHubs } from '../../fixtures/event-hubs/emulator/server.ts';
import { startServiceBus } from '../../fixtures/service-bus/emulator/server.ts';
import { startQueueService } from '../../fixtures/storage-queue/emulator/server.ts';
import { startBrokerFault } from '../../runner/faults/broker.ts';
import { faultEntrySchema } from '../../runner/faults/spec.ts';
import type { Stack } from '../../runner/stack/stack.ts';

const closers: Array<() => Promise<void>> = [];
const stack = { tech: 'storage-queue', endpoints: { controlKey: controlKey() }, members: new Map() } as unknown as Stack & { endpoints: Record<string, unknown> };

beforeAll(async () => {
  const [queues, serviceBus, eventHubs, eventGrid] = await Promise.all([
    startQueueService({ inMemory: true }),
    startServiceBus({ inMemory: true }),
    startEventHubs({ inMemory: true }),
    startEventGrid({ inMemory: true }),
  ]);
  closers.push(() => queues.close(), () => serviceBus.close(), () => eventHubs.close(), () => eventGrid.close());
  Object.assign(stack.endpoints, {
    storage: { connectionString: '', queueEndpoint: queues.queueEndpoint, blobEndpoint: '', controlUrl: queues.controlUrl },
    serviceBus: { controlUrl: serviceBus.controlUrl },
    eventHubs: { controlUrl: eventHubs.controlUrl },
    eventGrid: { controlUrl: eventGrid.controlUrl },
  });
  for (const member of ['emulator-storage', 'emulator-service-bus', 'emulator-event-hubs', 'emulator-event-grid']) stack.members.set(member, {} as never);
}, 20_000);
afterAll(async () => {
  for (const close of closers) await close();
});

const fault = (spec: Record<string, unknown>) => faultEntrySchema.parse({ at: '1s', target: 'broker', fault: spec }).fault;

const CASES: Array<[string, Record<string, unknown>]> = [
  ['storage', { type: 'throttle', ratio: 0.5 }],
  ['storage', { type: 'throttle', entity: 'uploads', ratio: 1 }],
  ['service-bus', { type: 'throttle', ratio: 0.5 }],
  ['service-bus', { type: 'disable', entity: 'comments', state: 'SendDisabled' }],
  ['service-bus', { type: 'drop-connections' }],
  ['event-hubs', { type: 'throttle', ratio: 0.5 }],
  ['event-hubs', { type: 'disable', entity: 'uploads' }],
  ['event-hubs', { type: 'partition-offline', entity: 'comments', partition: '0' }],
  ['event-hubs', { type: 'drop-connections' }],
  ['event-grid', { type: 'throttle', ratio: 0.5 }],
  ['event-grid', { type: 'disable', entity: 'song-added' }],
  ['event-grid', { type: 'pause-delivery', subscription: 'subscriber-1' }],
];

describe('broker faults reach every emulator as the runner posts them', () => {
  it('each is accepted (2xx) and healed', async () => {
    for (const [emulator, spec] of CASES) {
      const active = await startBrokerFault(fault(spec), emulator, stack).catch((error: Error) => error);
      expect(active instanceof Error ? `${emulator} ${JSON.stringify(spec)}: ${active.message}` : 'accepted').toBe('accepted');
      if (!(active instanceof Error)) await active.heal();
    }
  });

  it('a fault an emulator does not have is refused with a message naming the known types', async () => {
    const error = await startBrokerFault(fault({ type: 'pause-delivery', subscription: 's' }), 'service-bus', stack).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/answered 400: .*unknown fault type \\"pause-delivery\\"; known types: throttle, disable, drop-connections/);
  });
});
