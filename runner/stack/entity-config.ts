/**
 * Entity configs generated per run from the scenario, so consumer settings that live on the
 * broker's entities take effect (Service Bus lock durations and subscriptions, Event Hubs
 * consumer groups, Event Grid's delivery time scale: each technology's profile says,
 * entityConfig in fixtures/<tech>/profile.ts). Written into the run directory and passed as
 * `--config`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario/schema.ts';
import type { EmulatorName } from '../../fixtures/emulators/registry.ts';
import { emulatorOwner } from '../../fixtures/technologies.ts';

/** The config files of an emulator of this run (written here), or none when the built-in default fits. */
export function emulatorConfigFiles(name: EmulatorName, scenario: Scenario, subscribers: string[], dir: string): string[] {
  const config = emulatorOwner(name)?.entityConfig?.(scenario, subscribers);
  if (!config) return [];
  const file = join(dir, `${name}.config.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return [file];
}
