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
import { createStorageEntities, deleteStorageEntities, songsContainer } from './storage.ts';
import { profileOf } from '../../fixtures/technologies.ts';

/** Each technology of a run gets its own prefix (its profile's tag): a storage container deleted by one cannot be re-created at once by the next (Azure keeps the name ~30 s). */
export const techPrefix = (runPrefix: string, tech: Tech) => `${runPrefix}-${profileOf(tech).target.tag}`;

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
  return { ...out, ...profileOf(tech).target.endpoints(all, target, prefix) };
}

/** What the run will create or check for this technology, without connecting. */
export function plannedEntities(options: Pick<ProvisionOptions, 'tech' | 'target' | 'prefix' | 'subscribers'>): string[] {
  const { tech, target, prefix, subscribers } = options;
  return [`blob container ${songsContainer(prefix)} (claim-check)`, ...profileOf(tech).target.planned(target, prefix, subscribers)];
}

export async function provisionTarget(options: ProvisionOptions): Promise<ProvisionedTarget> {
  const { tech, target, prefix, subscribers, scenario } = options;
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
    const provision = profileOf(tech).target.provision;
    if (provision) created.push(...(await provision({ endpoints, target, prefix, subscribers, scenario, addCleanup: (step) => cleanups.push(step) })));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { endpoints, created, cleanup };
}
