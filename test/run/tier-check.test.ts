/**
 * An Azure tier that lacks what a transport needs is refused before the run: one message naming
 * the tier, the feature and the profiles that have it, exit 2, no stack trace, nothing started.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../runner/run/run-scenario.ts';

describe('tier needs before a run', () => {
  it('basic with service-bus: refuses the comments flow\'s sessions and the song-added topic, naming both, exit 2, nothing started', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'moshpit-tier-')), 'out');
    const run = spawnSync(process.execPath, ['bin/moshpit.mjs', 'run', 'scenarios/smoke.ts', '--tech', 'service-bus', '--profile', 'basic', '--out', out], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('service-bus: comments need Service Bus sessions (ordered per song), which the basic tier does not have; use --profile standard or premium');
    expect(run.stderr).toContain('service-bus: song-added needs a Service Bus topic (one subscription per subscriber), which the basic tier does not have');
    expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(run.stderr).not.toContain('starting');
    expect(existsSync(out)).toBe(false);
  });

  it('basic with event-hubs: one consumer group is not one per subscriber; standard passes', async () => {
    const options = { scenarioPath: 'scenarios/smoke.ts', tech: 'event-hubs', engine: 'builtin', report: false, out: join(tmpdir(), 'moshpit-tier-unused') };
    await expect(prepareRun({ ...options, profile: 'basic' })).rejects.toThrow('event-hubs: song-added needs one consumer group per subscriber beside $Default, 3 consumer groups per event hub, and the basic tier has 1; use --profile standard or premium');
    await expect(prepareRun({ ...options, profile: 'standard' })).resolves.toMatchObject({ techs: ['event-hubs'] });
    await expect(prepareRun({ ...options, tech: 'service-bus', profile: 'premium' })).resolves.toMatchObject({ techs: ['service-bus'] });
  });
});
