/** Event Grid backlog: per event subscription, events ready, being delivered and waiting for a retry (GET /subscriptions). */
import { controlJson } from '../../stack/control-client.ts';
import { detailOf, flowOfEntity, requireUrl, type Backlog, type BacklogProbe } from './types.ts';

interface SubscriptionStats { topic: string; name: string; pending: number; inRetry: number; inFlight: number }

export const eventGridBacklog: BacklogProbe = {
  emulator: 'emulator-event-grid',
  async read({ endpoints }) {
    const url = requireUrl(endpoints.eventGrid?.controlUrl, this.emulator);
    const subscriptions = await controlJson<SubscriptionStats[]>(`${url}/subscriptions`, { key: endpoints.controlKey, timeoutMs: 3000 });
    const out: Backlog[] = [];
    for (const s of subscriptions) {
      const flow = flowOfEntity(s.topic);
      const count = s.pending + s.inRetry + s.inFlight;
      if (!flow || count === 0) continue;
      out.push({ entity: `${s.topic}/${s.name}`, flow, count, detail: detailOf({ ready: s.pending, inFlight: s.inFlight, inRetry: s.inRetry }) });
    }
    return out;
  },
};
