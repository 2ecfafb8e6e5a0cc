/**
 * Entity configs generated per run from the scenario, so consumer settings that live on the
 * broker's entities take effect: Service Bus lock duration (= the scenario's visibility timeout,
 * capped at 5 min as Azure does) and one subscription per subscriber; Event Hubs one consumer
 * group per subscriber; Event Grid the scenario's `emulators.eventGrid.deliveryTimeScale` (the
 * transport registers the event subscriptions itself). Written into the run directory and
 * passed as `--config`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../scenario/schema.ts';
import type { EmulatorName } from '../../fixtures/emulators/registry.ts';

const CONFIG_DIR = resolve(fileURLToPath(new URL('../../fixtures/config', import.meta.url)));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** ISO 8601 duration of whole milliseconds, e.g. PT2.5S */
export function isoDuration(ms: number): string {
  return `PT${Number((ms / 1000).toFixed(3))}S`;
}

export function serviceBusConfig(scenario: Scenario, subscribers: string[]): Json {
  const config = JSON.parse(readFileSync(join(CONFIG_DIR, 'service-bus.json'), 'utf8')) as Json;
  const lock = isoDuration(Math.min(Math.max(scenario.backend.consumer.visibilityTimeout, 1000), 5 * 60_000));
  const namespace = config.UserConfig.Namespaces[0];
  for (const queue of namespace.Queues) queue.Properties.LockDuration = lock;
  const topic = namespace.Topics.find((t: Json) => t.Name === 'song-added');
  const template = topic.Subscriptions[0].Properties;
  topic.Subscriptions = subscribers.map((name) => ({ Name: name, Properties: { ...template, LockDuration: lock } }));
  return config;
}

export function eventHubsConfig(subscribers: string[]): Json {
  const config = JSON.parse(readFileSync(join(CONFIG_DIR, 'event-hubs.json'), 'utf8')) as Json;
  for (const namespace of config.UserConfig.NamespaceConfig) {
    for (const hub of namespace.Entities) if (hub.Name === 'song-added') hub.ConsumerGroups = subscribers.map((name) => ({ Name: name }));
  }
  return config;
}

export function eventGridConfig(scenario: Scenario): Json {
  const config = JSON.parse(readFileSync(join(CONFIG_DIR, 'event-grid.json'), 'utf8')) as Json;
  config.deliveryTimeScale = scenario.emulators?.eventGrid?.deliveryTimeScale ?? 1; // scenarios built in code may omit it
  return config;
}

function configFor(name: EmulatorName, scenario: Scenario, subscribers: string[]): Json | undefined {
  if (name === 'service-bus') return serviceBusConfig(scenario, subscribers);
  if (name === 'event-hubs') return eventHubsConfig(subscribers);
  if (name === 'event-grid') return eventGridConfig(scenario);
  return undefined;
}

/** The config files of an emulator of this run (written here), or none when the built-in default fits. */
export function emulatorConfigFiles(name: EmulatorName, scenario: Scenario, subscribers: string[], dir: string): string[] {
  const config = configFor(name, scenario, subscribers);
  if (!config) return [];
  const file = join(dir, `${name}.config.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return [file];
}
