import { describe, expect, it } from 'vitest';
import { loadScenario, validateScenario } from '../../runner/scenario/loader.ts';
import { parseDurationMs } from '../../runner/contracts/duration.ts';
import { selectTechs } from '../../runner/run/run-scenario.ts';
import { UserError } from '../../runner/contracts/errors.ts';

describe('scenario loader', () => {
  it('loads the shipped scenarios with defaults filled in', async () => {
    const { scenario } = await loadScenario('scenarios/smoke.ts');
    expect(scenario.name).toBe('smoke');
    expect(scenario.duration).toBe(20_000);
    expect(scenario.backend.consumer.batchSize).toBe(32);
    expect(scenario.backend.consumer.processing).toBe('idempotent');
    const steady = await loadScenario('scenarios/steady.ts');
    expect(steady.scenario.load.uploads?.stages?.length).toBe(2);
  });

  it('loads a JSON scenario', async () => {
    const { scenario } = await loadScenario('test/data/scenarios/tiny.json');
    expect(scenario.load.uploads).toMatchObject({ rate: 2, sizeBytes: { min: 2048, max: 2048 } });
    expect(scenario.drainLimit).toBe(30_000);
  });

  it('reports every problem of an invalid file at once, with paths', async () => {
    const error = await loadScenario('test/data/scenarios/invalid.ts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toContain('invalid scenario (5 problems)');
    expect(message).toContain('name: expected a lowercase name');
    expect(message).toContain('techs.0: expected one of storage-queue, service-bus, event-hubs, event-grid');
    expect(message).toContain('duration: expected a duration');
    expect(message).toContain('load.comments.rate: expected a positive number');
    expect(message).toContain('load.comments: unknown field "sngs"');
  });

  it('names a missing file and a missing field', async () => {
    await expect(loadScenario('scenarios/nope.ts')).rejects.toThrow('scenario file not found: scenarios/nope.ts');
    expect(() => validateScenario({ name: 'x', duration: '1s', load: { uploads: { rate: 1 } } }, 'f')).toThrow('description: missing (required)');
  });

  it('requires exactly one of rate or stages', () => {
    expect(() => validateScenario({ name: 'x', description: 'd', duration: '1s', load: { uploads: {} } }, 'f')).toThrow('give exactly one of `rate`');
    expect(() => validateScenario({ name: 'x', description: 'd', duration: '1s', load: {} }, 'f')).toThrow('at least one flow');
  });

  it('refuses a fault entry without target and fault', () => {
    expect(() => validateScenario({ name: 'x', description: 'd', duration: '1s', load: { uploads: { rate: 1 } }, faults: [{ at: '1s' }] }, 'f')).toThrow(/faults\.0\.target[\s\S]*faults\.0\.fault/);
  });

  it('parses durations', () => {
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('soon')).toBeUndefined();
  });
});

describe('technology selection', () => {
  const scenario = validateScenario({ name: 'x', description: 'd', duration: '1s', load: { uploads: { rate: 1 } } }, 'f');
  it('lists the known technologies for an unknown one', () => {
    expect(() => selectTechs('kafka', scenario)).toThrow('unknown technology "kafka"; known: storage-queue, service-bus, event-hubs, event-grid');
  });
  it('defaults to the implemented ones', () => {
    expect(selectTechs(undefined, scenario)).toContain('storage-queue');
  });
});
