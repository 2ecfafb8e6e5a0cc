/**
 * run --target end to end (npm run test:slow; about a minute and a half, too long for npm test):
 * moshpit's emulators started separately as a child (`moshpit emulators start --json`), the
 * line it prints saved as the target file, then `run scenarios/smoke.ts --target FILE` (shortened
 * to 3 s of load) on all four technologies. Everything valid, results say target external, the
 * run's entities exist under its prefix while it runs and are gone afterwards, and no secret of
 * the target file is anywhere in the output directory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useExternalEmulators } from '../helpers/external-emulators.ts';
import { runScenario } from '../../runner/run/run-scenario.ts';
import type { Stack } from '../../runner/stack/stack.ts';
import { listStorageEntities } from '../../runner/target/storage.ts';
import { listServiceBusEntities } from '../../fixtures/service-bus/target.ts';
import { listEventGridSubscriptions } from '../../fixtures/event-grid/target-checks.ts';
import { connectionSecrets } from '../../runner/target/connection.ts';

const { dir, targetFile, endpoints: external } = useExternalEmulators('target');

/** Entities whose names carry the prefix, on every service of the target. */
async function entitiesOf(prefix: string): Promise<string[]> {
  const storage = await listStorageEntities(external().storage!, prefix);
  const sb = await listServiceBusEntities(external().serviceBus!, prefix);
  const eg = await listEventGridSubscriptions(external().eventGrid!, external().controlKey, prefix);
  return [...storage.queues, ...storage.containers, ...sb, ...eg];
}

function filesContaining(root: string, text: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => readFileSync(f).includes(text));
}

describe('run scenarios/smoke.ts --target (moshpit emulators started separately)', () => {
  it('is valid on all four technologies, external, entities under the run prefix and deleted after', async () => {
    const out = join(dir, 'run');
    const during = new Map<string, Promise<string[]>>();
    const prefixes = new Map<string, string>();
    const outcome = await runScenario({
      scenarioPath: 'scenarios/smoke.ts', out, engine: 'builtin', report: false, target: targetFile,
      tech: 'storage-queue,service-bus,event-hubs,event-grid',
      scenarioOverrides: { duration: 3000, drainLimit: 30_000 },
      onStackReady: (stack: Stack, tech) => {
        prefixes.set(tech, stack.entityPrefix!);
        during.set(tech, entitiesOf(stack.entityPrefix!));
      },
    });
    expect(outcome.runs.map((r) => r.tech)).toEqual(['storage-queue', 'service-bus', 'event-hubs', 'event-grid']);
    const results = JSON.parse(readFileSync(outcome.results, 'utf8')) as { runs: Array<{ tech: string; target: string }> };
    for (const run of outcome.runs) {
      expect(run.status, `${run.tech}: ${run.error}`).toBe('completed');
      // on failure, say which check of which flow was not valid, with its counts
      const failing = Object.entries(run.flows).flatMap(([flow, r]) => Object.values(r.checks).filter((c) => c.valid !== true).map((c) => `${flow}/${c.checker} ${JSON.stringify(c.counts)}`));
      expect(run.valid, `${run.tech}: ${failing.join('; ')}`).toBe(true);
      expect(run.drain.drained, run.tech).toBe(true);
      expect(run.flows.uploads!.checks['total-queue']!.counts.acknowledged).toBeGreaterThan(5);
    }
    expect(results.runs.map((r) => r.target)).toEqual(['external', 'external', 'external', 'external']);
    const expected: Record<string, RegExp> = { 'storage-queue': /-sq-uploads$/, 'service-bus': /-sb-song-added$/, 'event-hubs': /-eh-eventhubs-checkpoints$/, 'event-grid': /song-added\/mp-[0-9a-f]{6}-eg-song-added-subscriber-1$/ };
    for (const [tech, prefix] of prefixes) {
      expect(prefix).toMatch(/^mp-[0-9a-f]{6}-(sq|sb|eh|eg)$/);
      const seen = await during.get(tech)!;
      expect(seen.some((name) => expected[tech]!.test(name)), `${tech} had ${seen.join(', ')}`).toBe(true);
      expect(await entitiesOf(prefix), `${tech} left entities behind`).toEqual([]);
    }
    const secrets = [external().controlKey!, ...Object.values(external().eventGrid!.topics).map((t) => t.key)];
    for (const cs of [external().storage!.connectionString, external().serviceBus!.connectionString, external().eventHubs!.connectionString]) secrets.push(...connectionSecrets(cs));
    for (const secret of secrets) expect(filesContaining(out, secret), secret.slice(0, 6)).toEqual([]);
  }, 300_000);
});
