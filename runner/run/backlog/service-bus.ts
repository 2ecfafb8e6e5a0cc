/** Service Bus backlog: active, locked and scheduled messages of every queue and subscription (GET /entities; dead-letter queues excluded). */
import { controlJson } from '../../stack/control-client.ts';
import { detailOf, flowOfEntity, requireUrl, type Backlog, type BacklogProbe } from './types.ts';

interface EntityCounts { name: string; active: number; scheduled: number; deferred: number; locked: number }

export const serviceBusBacklog: BacklogProbe = {
  emulator: 'emulator-service-bus',
  async read({ endpoints }) {
    const url = requireUrl(endpoints.serviceBus?.controlUrl, this.emulator);
    const { entities } = await controlJson<{ entities: EntityCounts[] }>(`${url}/entities`, { key: endpoints.controlKey, timeoutMs: 3000 });
    const out: Backlog[] = [];
    for (const e of entities) {
      const flow = flowOfEntity(e.name);
      const count = e.active + e.locked + e.scheduled;
      if (!flow || count === 0) continue;
      out.push({ entity: e.name, flow, count, detail: detailOf({ active: e.active, locked: e.locked, scheduled: e.scheduled }) });
    }
    return out;
  },
};
