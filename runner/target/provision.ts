/**
 * One technology's share of a target run: the endpoints the music backend gets (the target's,
 * with this run's entity names), the entities created for it under the run prefix, the checks
 * of what cannot be created, and the cleanup that deletes what was created (skipped with
 * --keep). `plannedEntities` says the same without connecting, for the --allow-remote plan.
 */
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { Target } from './resolve.ts';
import { createServiceBusEntities, deleteServiceBusEntities, serviceBusNames } from './service-bus.ts';
import { createStorageEntities, deleteStorageEntities, songsContainer } from './storage.ts';
import { checkEventGridTopics, checkEventHubs, deleteEventGridSubscriptions } from './checks.ts';

/** Each technology of a run gets its own prefix: a storage container deleted by one cannot be re-created at once by the next (Azure keeps the name ~30 s). */
const TECH_TAG: Record<Tech, string> = { 'storage-queue': 'sq', 'service-bus': 'sb', 'event-hubs': 'eh', 'event-grid': 'eg', direct: 'dr' };
export const techPrefix = (runPrefix: string, tech: Tech) => `${runPrefix}-${TECH_TAG[tech]}`;

export interface ProvisionOptions {
  tech: Tech;
  target: Target;
  /** per-run prefix of every entity name, e.g. mp-3f9a1c */
  prefix: string;
  subscribers: string[];
  scenario: Scenario;
}

export interface ProvisionedTarget {
  endpoints: EmulatorEndpoints;
  /** what was created or checked, for the log */
  created: string[];
  /** deletes what the run created; resolves with the problems (never throws) */
  cleanup(): Promise<string[]>;
}

/** The endpoints of this technology's run: only the sections it uses, with the run's names. */
export function runEndpoints(options: Pick<ProvisionOptions, 'tech' | 'target' | 'prefix'>): EmulatorEndpoints {
  const { tech, target, prefix } = options;
  const all = structuredClone(target.endpoints);
  const out: EmulatorEndpoints = { controlKey: all.controlKey };
  if (all.storage) out.storage = { ...all.storage, songsContainer: songsContainer(prefix) };
  if (tech === 'service-bus' && all.serviceBus) out.serviceBus = { ...all.serviceBus, entities: serviceBusNames(prefix, target.serviceBusEntities) };
  if (tech === 'event-hubs' && all.eventHubs) out.eventHubs = { ...all.eventHubs, entities: target.eventHubs };
  if (tech === 'event-grid' && all.eventGrid) out.eventGrid = all.eventGrid;
  return out;
}

/** What the run will create or check for this technology, without connecting. */
export function plannedEntities(options: Pick<ProvisionOptions, 'tech' | 'target' | 'prefix' | 'subscribers'>): string[] {
  const { tech, target, prefix, subscribers } = options;
  const lines = [`blob container ${songsContainer(prefix)} (claim-check)`];
  if (tech === 'storage-queue') lines.push(`storage queues ${prefix}-uploads, ${prefix}-comments, ${subscribers.map((s) => `${prefix}-song-added-${s}`).join(', ')} and their -poison queues`);
  if (tech === 'service-bus') {
    const n = serviceBusNames(prefix, target.serviceBusEntities);
    lines.push(`service-bus queues ${n.uploads}, ${n.comments} (sessions); topic ${n.songAdded} with subscriptions ${subscribers.join(', ')}`);
  }
  if (tech === 'event-hubs') lines.push(`blob container ${prefix}-eventhubs-checkpoints; nothing else (event hubs ${Object.values(target.eventHubs).join(', ')} and consumer groups ${subscribers.join(', ')} must exist)`);
  if (tech === 'event-grid') lines.push(`event-grid subscriptions ${prefix}-uploads, ${prefix}-comments, ${subscribers.map((s) => `${prefix}-song-added-${s}`).join(', ')}; blob container ${prefix}-deadletters`);
  return lines;
}

export async function provisionTarget(options: ProvisionOptions): Promise<ProvisionedTarget> {
  const { tech, prefix, subscribers, scenario } = options;
  const endpoints = runEndpoints(options);
  const created: string[] = [];
  const cleanups: Array<() => Promise<string[]>> = [];
  const cleanup = async () => {
    const problems: string[] = [];
    for (const step of [...cleanups].reverse()) problems.push(...(await step().catch((e: Error) => [`cleanup: ${e.message}`])));
    return problems;
  };
  try {
    const storage = endpoints.storage!;
    cleanups.push(() => deleteStorageEntities(storage, `${prefix}-`));
    created.push(...(await createStorageEntities(storage, prefix)));
    if (tech === 'service-bus') {
      const sb = endpoints.serviceBus!;
      cleanups.push(() => deleteServiceBusEntities(sb, sb.entities!));
      created.push(...(await createServiceBusEntities(sb, sb.entities!, subscribers, scenario)));
    }
    if (tech === 'event-hubs') created.push(...(await checkEventHubs(endpoints.eventHubs!, options.target.eventHubs, subscribers)));
    if (tech === 'event-grid') {
      const eg = endpoints.eventGrid!;
      cleanups.push(() => deleteEventGridSubscriptions(eg, endpoints.controlKey, `${prefix}-`));
      created.push(...(await checkEventGridTopics(eg, endpoints.controlKey)));
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { endpoints, created, cleanup };
}
