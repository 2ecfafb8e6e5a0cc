/**
 * Storage queue backlog: every run queue's messages (visible, invisible = dequeued and not yet
 * deleted, or delayed) from GET /entities. Poison queues are where dead-lettered messages rest,
 * not a backlog.
 */
import { controlJson } from '../../stack/control-client.ts';
import { detailOf, flowOfEntity, requireUrl, type Backlog, type BacklogProbe } from './types.ts';

interface QueueStats { name: string; depth: number; visible: number; invisible: number; inFlight: number; delayed: number }

export const storageQueueBacklog: BacklogProbe = {
  emulator: 'emulator-storage',
  async read({ endpoints }) {
    const url = requireUrl(endpoints.storage?.controlUrl, this.emulator);
    const { queues } = await controlJson<{ queues: QueueStats[] }>(`${url}/entities`, { key: endpoints.controlKey, timeoutMs: 3000 });
    const out: Backlog[] = [];
    for (const q of queues) {
      const flow = flowOfEntity(q.name);
      if (!flow || q.name.endsWith('-poison') || q.depth === 0) continue;
      out.push({ entity: q.name, flow, count: q.depth, detail: detailOf({ visible: q.visible, invisible: q.inFlight, delayed: q.delayed }) });
    }
    return out;
  },
};
