/**
 * Service Bus entities of a target run, created through the management API
 * (ServiceBusAdministrationClient: ATOM over https, served by Azure, by moshpit's emulator and
 * by Microsoft's): `<prefix>-uploads` (queue), `<prefix>-comments` (session queue),
 * `<prefix>-song-added` (topic) with one subscription per subscriber, every lock duration the
 * scenario's visibility timeout (capped at 5 min as Azure does). Deleted afterwards (deleting
 * the topic deletes its subscriptions).
 */
import { readFileSync } from 'node:fs';
import { ServiceBusAdministrationClient } from '@azure/service-bus';
import type { Scenario } from '../scenario/schema.ts';
import { isoDuration } from '../../fixtures/profile-helpers.ts';
import type { FlowEntityNames, ServiceBusEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { FlowNames } from './resolve.ts';

export function serviceBusNames(prefix: string, base: FlowNames): FlowEntityNames {
  return { uploads: `${prefix}-${base.uploads}`, comments: `${prefix}-${base.comments}`, songAdded: `${prefix}-${base.songAdded}` };
}

export function adminClient(endpoint: ServiceBusEndpoints): ServiceBusAdministrationClient {
  // moshpit's emulator serves the management API with a self-signed certificate: trust it for this client only
  const tls = endpoint.caPath ? { tlsOptions: { ca: readFileSync(endpoint.caPath, 'utf8') } } : {};
  return new ServiceBusAdministrationClient(endpoint.connectionString, { ...tls, retryOptions: { maxRetries: 2 } } as never);
}

/** Creates the run's entities; returns their names (for the plan and the cleanup). */
export async function createServiceBusEntities(endpoint: ServiceBusEndpoints, names: FlowEntityNames, subscribers: string[], scenario: Scenario): Promise<string[]> {
  const admin = adminClient(endpoint);
  const lockDuration = isoDuration(Math.min(Math.max(scenario.backend.consumer.visibilityTimeout, 1000), 5 * 60_000));
  const common = { lockDuration, maxDeliveryCount: 10, defaultMessageTimeToLive: 'PT1H' };
  const created: string[] = [];
  await admin.createQueue(names.uploads, common);
  created.push(`queue ${names.uploads}`);
  await admin.createQueue(names.comments, { ...common, requiresSession: true });
  created.push(`queue ${names.comments} (sessions)`);
  await admin.createTopic(names.songAdded, { defaultMessageTimeToLive: 'PT1H' });
  created.push(`topic ${names.songAdded}`);
  for (const subscriber of subscribers) {
    await admin.createSubscription(names.songAdded, subscriber, common);
    created.push(`subscription ${names.songAdded}/${subscriber}`);
  }
  return created;
}

/** Deletes what createServiceBusEntities made (those that exist); returns the problems, if any. */
export async function deleteServiceBusEntities(endpoint: ServiceBusEndpoints, names: FlowEntityNames): Promise<string[]> {
  const admin = adminClient(endpoint);
  const problems: string[] = [];
  const remove = async (what: string, exists: () => Promise<boolean>, drop: () => Promise<unknown>) => {
    try {
      if (await exists()) await drop();
    } catch (error) {
      problems.push(`service-bus: could not delete ${what}: ${(error as Error).message}`);
    }
  };
  await remove(`queue ${names.uploads}`, () => admin.queueExists(names.uploads), () => admin.deleteQueue(names.uploads));
  await remove(`queue ${names.comments}`, () => admin.queueExists(names.comments), () => admin.deleteQueue(names.comments));
  await remove(`topic ${names.songAdded}`, () => admin.topicExists(names.songAdded), () => admin.deleteTopic(names.songAdded));
  return problems;
}

/** Names of the entities starting with the prefix that still exist (tests, and the --keep message). */
export async function listServiceBusEntities(endpoint: ServiceBusEndpoints, prefix: string): Promise<string[]> {
  const admin = adminClient(endpoint);
  const found: string[] = [];
  for await (const q of admin.listQueues()) if (q.name.startsWith(prefix)) found.push(q.name);
  for await (const t of admin.listTopics()) if (t.name.startsWith(prefix)) found.push(t.name);
  return found;
}
