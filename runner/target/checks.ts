/**
 * What a target run cannot create through the data plane, checked before the backend starts:
 * event hubs and consumer groups (ARM only), Event Grid topics (ARM only). A missing one is one
 * UserError naming each and the `az` command that creates it. Event Grid subscriptions on
 * moshpit's emulator are made by the backend under the run prefix (its control API plays ARM)
 * and deleted here afterwards.
 */
import { EventHubProducerClient } from '@azure/event-hubs';
import { UserError } from '../errors.ts';
import { controlFetch, controlJson } from '../stack/control-client.ts';
import { probeGroup } from '../../fixtures/music-backend/transports/event-hubs.ts';
import type { BrokerEndpoints, EventGridEndpoints, FlowEntityNames } from '../../fixtures/emulators/endpoints.ts';
import { parseConnectionString } from './connection.ts';

const namespaceOf = (cs: string) => /^sb:\/\/([^./:]+)/.exec(parseConnectionString(cs).get('endpoint') ?? '')?.[1] ?? '<namespace>';

async function hubMissing(cs: string, hub: string): Promise<string | undefined> {
  const client = new EventHubProducerClient(cs, hub, { retryOptions: { maxRetries: 1, timeoutInMs: 10_000 } });
  try {
    await client.getEventHubProperties();
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'MessagingEntityNotFoundError') return 'missing';
    throw new UserError(`event-hubs: cannot read event hub "${hub}" (${(error as Error).message}); check eventHubs.connectionString in the target file`);
  } finally {
    await client.close();
  }
}

/** Every hub of the run and every subscriber's consumer group on the song-added hub. */
export async function checkEventHubs(endpoint: BrokerEndpoints, hubs: FlowEntityNames, subscribers: string[]): Promise<string[]> {
  const cs = endpoint.connectionString;
  const ns = namespaceOf(cs);
  const problems: string[] = [];
  for (const hub of [hubs.uploads, hubs.comments, hubs.songAdded]) {
    if (await hubMissing(cs, hub)) problems.push(`event hub "${hub}" does not exist; create it: az eventhubs eventhub create --resource-group <group> --namespace-name ${ns} --name ${hub} --partition-count 4`);
  }
  if (!problems.length) {
    const errors = await Promise.all(subscribers.map((group) => probeGroup(cs, hubs.songAdded, group)));
    subscribers.forEach((group, i) => {
      if ((errors[i] as { code?: string } | undefined)?.code === 'MessagingEntityNotFoundError') {
        problems.push(`consumer group "${group}" of event hub "${hubs.songAdded}" does not exist; create it: az eventhubs eventhub consumer-group create --resource-group <group> --namespace-name ${ns} --eventhub-name ${hubs.songAdded} --name ${group}`);
      }
    });
  }
  if (problems.length) throw new UserError(`target: event hubs cannot be created by moshpit (only through ARM); ${problems.length} missing:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return [`checked event hubs ${hubs.uploads}, ${hubs.comments}, ${hubs.songAdded} (consumer groups ${subscribers.join(', ')})`];
}

/** moshpit's emulator: its topics must include the three flows'. */
export async function checkEventGridTopics(eg: EventGridEndpoints, controlKey: string | undefined): Promise<string[]> {
  const health = await controlJson<{ topics?: string[] }>(`${eg.controlUrl}/health`, { key: controlKey, timeoutMs: 5000 });
  const missing = Object.keys(eg.topics).filter((t) => !(health.topics ?? []).includes(t));
  if (missing.length) {
    throw new UserError(`target: event-grid topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing on ${eg.controlUrl}; start the emulator with fixtures/config/event-grid.json (or create them: ${missing.map((t) => `az eventgrid topic create --name ${t} --resource-group <group> --location <region>`).join('; ')})`);
  }
  return [`checked event-grid topics ${Object.keys(eg.topics).join(', ')}`, 'event-grid subscriptions <prefix>-* (created by the backend)'];
}

/** Deletes the run's event subscriptions (names start with the prefix) through the emulator's control API. */
export async function deleteEventGridSubscriptions(eg: EventGridEndpoints, controlKey: string | undefined, prefix: string): Promise<string[]> {
  const problems: string[] = [];
  const all = await controlJson<Array<{ topic: string; name: string }>>(`${eg.controlUrl}/subscriptions`, { key: controlKey, timeoutMs: 5000 });
  for (const s of all.filter((sub) => sub.name.startsWith(prefix))) {
    const res = await controlFetch(`${eg.controlUrl}/topics/${encodeURIComponent(s.topic)}/subscriptions/${encodeURIComponent(s.name)}`, { method: 'DELETE', key: controlKey, signal: AbortSignal.timeout(5000) });
    if (!res.ok && res.status !== 404) problems.push(`event-grid: could not delete subscription ${s.topic}/${s.name}: HTTP ${res.status}`);
    await res.text().catch(() => undefined);
  }
  return problems;
}

/** The run's event subscriptions still present (tests). */
export async function listEventGridSubscriptions(eg: EventGridEndpoints, controlKey: string | undefined, prefix: string): Promise<string[]> {
  const all = await controlJson<Array<{ topic: string; name: string }>>(`${eg.controlUrl}/subscriptions`, { key: controlKey, timeoutMs: 5000 });
  return all.filter((s) => s.name.startsWith(prefix)).map((s) => `${s.topic}/${s.name}`);
}
