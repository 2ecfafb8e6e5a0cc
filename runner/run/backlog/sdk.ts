/**
 * Backlogs read through the official SDKs, for targets without moshpit's control APIs (Azure,
 * Microsoft's emulators): Storage queue message counts (approximate, as Azure gives them) and
 * Service Bus runtime properties (active + scheduled; locked messages are not counted there),
 * for the run's own entities only; Event Hubs partition properties (each partition's first and
 * last sequence numbers, against where each consumer got to, as with the emulator's control
 * API). Event Grid has no such data-plane API (Azure Monitor metrics only): its probe stays
 * unreadable, and the drain runs to its limit. Each technology's profile names its probe
 * (sdkBacklog); registry.ts answers it.
 */
import { readFileSync } from 'node:fs';
import { QueueServiceClient } from '@azure/storage-queue';
import { ServiceBusAdministrationClient } from '@azure/service-bus';
import { EventHubProducerClient } from '@azure/event-hubs';
import { unreceived } from './event-hubs.ts';
import { flowOfEntity, type Backlog, type BacklogProbe } from './types.ts';

export const storageQueueSdk: BacklogProbe = {
  emulator: 'storage (SDK)',
  async read({ endpoints }) {
    const service = QueueServiceClient.fromConnectionString(endpoints.storage!.connectionString);
    const prefix = endpoints.storage!.songsContainer?.replace(/-songs$/, '') ?? '';
    const out: Backlog[] = [];
    for await (const q of service.listQueues({ prefix })) {
      const flow = flowOfEntity(q.name);
      if (!flow || q.name.endsWith('-poison')) continue;
      const count = (await service.getQueueClient(q.name).getProperties()).approximateMessagesCount ?? 0;
      if (count > 0) out.push({ entity: q.name, flow, count, detail: `approximately ${count}` });
    }
    return out;
  },
};

export const serviceBusSdk: BacklogProbe = {
  emulator: 'service-bus (SDK)',
  async read({ endpoints }) {
    const sb = endpoints.serviceBus!;
    const names = sb.entities!;
    const tls = sb.caPath ? { tlsOptions: { ca: readFileSync(sb.caPath, 'utf8') } } : {};
    const admin = new ServiceBusAdministrationClient(sb.connectionString, tls as never);
    const out: Backlog[] = [];
    const add = (entity: string, active: number, scheduled: number) => {
      const flow = flowOfEntity(entity);
      if (flow && active + scheduled > 0) out.push({ entity, flow, count: active + scheduled, detail: `active ${active}, scheduled ${scheduled}` });
    };
    for (const queue of [names.uploads, names.comments]) {
      const p = await admin.getQueueRuntimeProperties(queue);
      add(queue, p.activeMessageCount, p.scheduledMessageCount);
    }
    for await (const s of admin.listSubscriptionsRuntimeProperties(names.songAdded)) add(`${names.songAdded}/${s.subscriptionName}`, s.activeMessageCount, 0);
    return out;
  },
};

const DEFAULT_HUBS = { uploads: 'uploads', comments: 'comments', songAdded: 'song-added' };

export const eventHubsSdk: BacklogProbe = {
  emulator: 'event-hubs (SDK)',
  async read({ endpoints, received, subscribers }) {
    const eh = endpoints.eventHubs!;
    const names = eh.entities ?? DEFAULT_HUBS;
    const out: Backlog[] = [];
    for (const name of [names.uploads, names.comments, names.songAdded]) {
      const flow = flowOfEntity(name === names.songAdded ? 'song-added' : name === names.comments ? 'comments' : 'uploads')!;
      const client = new EventHubProducerClient(eh.connectionString, name, { retryOptions: { maxRetries: 1, timeoutInMs: 3000 } });
      try {
        const ids = await client.getPartitionIds();
        const partitions = await Promise.all(ids.map(async (id) => {
          const p = await client.getPartitionProperties(id);
          return { id, beginSequenceNumber: p.beginningSequenceNumber, lastSequenceNumber: p.lastEnqueuedSequenceNumber, events: p.isEmpty ? 0 : p.lastEnqueuedSequenceNumber - p.beginningSequenceNumber + 1 };
        }));
        for (const consumer of flow === 'song-added' ? subscribers : [flow]) {
          const { count, detail } = unreceived({ name, partitions }, consumer, received);
          if (count > 0) out.push({ entity: `${name}/${consumer}`, flow, count, detail: `not yet received: ${detail}` });
        }
      } finally {
        await client.close();
      }
    }
    return out;
  },
};

