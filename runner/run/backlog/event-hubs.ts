/**
 * Event Hubs backlog: events stay in the log after delivery, so the backlog is, per consumer and
 * partition, the events after the highest sequence number that consumer received or
 * checkpointed (from its history). Consumers: the upload / comment workers of a hub (one
 * consumer group), each subscriber of song-added (its own consumer group). The log's bounds
 * come from GET /entities.
 */
import { controlJson } from '../../stack/control-client.ts';
import { flowOfEntity, requireUrl, type Backlog, type BacklogProbe, type ReceivedPositions } from './types.ts';

interface Partition { id: string; beginSequenceNumber: number; lastSequenceNumber: number; events: number }
interface Hub { name: string; partitions: Partition[] }

/** Events of `hub` that `consumer` has not received yet, with the partitions they wait in. */
export function unreceived(hub: Hub, consumer: string, received: ReceivedPositions): { count: number; detail: string } {
  const positions = received.get(consumer);
  let count = 0;
  const parts: string[] = [];
  for (const p of hub.partitions) {
    if (p.events === 0) continue;
    const reached = Math.max(positions?.get(p.id) ?? -1, p.beginSequenceNumber - 1);
    const waiting = Math.max(0, p.lastSequenceNumber - reached);
    if (waiting > 0) count += waiting, parts.push(`partition ${p.id}: ${waiting}`);
  }
  return { count, detail: parts.join(', ') };
}

export const eventHubsBacklog: BacklogProbe = {
  emulator: 'emulator-event-hubs',
  async read({ endpoints, received, subscribers }) {
    const url = requireUrl(endpoints.eventHubs?.controlUrl, this.emulator);
    const { hubs } = await controlJson<{ hubs: Hub[] }>(`${url}/entities`, { key: endpoints.controlKey, timeoutMs: 3000 });
    const out: Backlog[] = [];
    for (const hub of hubs) {
      const flow = flowOfEntity(hub.name);
      if (!flow) continue;
      const consumers = flow === 'song-added' ? subscribers : [flow];
      for (const consumer of consumers) {
        const { count, detail } = unreceived(hub, consumer, received);
        if (count > 0) out.push({ entity: `${hub.name}/${consumer}`, flow, count, detail: `not yet received: ${detail}` });
      }
    }
    return out;
  },
};
