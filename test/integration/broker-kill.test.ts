/**
 * A broker kill -9 with durable emulators (issue 4): for every technology, nothing the broker
 * acknowledged is lost. The emulator is SIGKILLed 3 s into the load and started again 3 s later on
 * the same ports and data directory; requests during the outage fail or stay unanswered
 * (`indeterminate`), which is honest, but every acknowledged upload and comment is committed and
 * every stored song's event reaches its subscriber. Real emulators, real SDK clients, one run each.
 *
 * Beside a busy process (issue 19): a CPU hog spins one core for the whole file, as another
 * job on a CI machine would. A drain that hits its limit must say so (drained: no, with what was
 * pending) and never turn what it did not wait for into a loss: lost and missing stay 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { TECHS } from '../../runner/techs.ts';
import { profileOf } from '../../fixtures/technologies.ts';
import { startCpuHog, type CpuHog } from '../helpers/cpu-hog.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-broker-kill-'));
let hog: CpuHog | undefined;
beforeAll(() => {
  hog = startCpuHog();
});
afterAll(async () => {
  await hog?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('broker kill -9 on a schedule, durable emulators', () => {
  it.each(TECHS.filter((t) => profileOf(t).hasBroker))('%s: nothing acknowledged is lost; the fault window and the recovery are in the results', async (tech) => {
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/broker-kill.json', tech, out: join(out, tech), engine: 'builtin', report: false,
      // requests sent during the outage give up after 4 s (not 10): the load phase ends sooner, and
      // more operations are in doubt while the api's retries still publish them (issue 19's b0-u14)
      engineOptions: { builtin: { requestTimeoutMs: 4000 } },
    });
    const run = outcome.runs[0]!;
    expect(run.tech).toBe(tech);
    expect(run.status, run.error).toBe('completed');
    expect(run.errors.filter((e) => e.includes('fault'))).toEqual([]);
    expect(run.faults).toHaveLength(1);
    expect(run.faults[0]).toMatchObject({ id: 'fault-1', target: 'broker', type: 'kill' });
    expect(run.faults[0]!.endMs! - run.faults[0]!.startMs).toBeGreaterThanOrEqual(2500);
    // the recovery checker judged the fault (beside the CPU hog a restart can outlast the load's
    // timeline, which is then recovered: false, not a loss); when recovered, it says how fast
    const { recovered, recoveryMs } = run.faults[0]!;
    expect(typeof recovered).toBe('boolean');
    if (recovered === true) expect(recoveryMs).toBeGreaterThanOrEqual(0);
    else expect(recoveryMs).toBeNull();
    const figures: string[] = [];
    for (const flow of ['uploads', 'comments']) {
      const c = run.flows[flow]!.checks['total-queue']!.counts;
      figures.push(`${flow} acknowledged ${c.acknowledged} lost ${c.lost} recovered ${c.recovered} indeterminate ${c.indeterminate} pending ${c.pending}`);
      expect(c.acknowledged, `${flow} acknowledged`).toBeGreaterThan(5);
      expect(c.lost, `${flow} lost`).toBe(0);
      if (c.pending === 0) expect(c.committed, `${flow} committed`).toBe(c.acknowledged + (c.recovered ?? 0));
    }
    const fanOut = run.flows['song-added']!.checks['fan-out']!.counts;
    figures.push(`fan-out missing ${fanOut.missing} pending ${fanOut.pending}`);
    console.log(`broker-kill ${tech} beside a CPU hog: drained ${run.drain.drained ? 'yes' : 'no'} in ${run.drain.durationMs} ms; ${figures.join('; ')}`);
    expect(fanOut.missing).toBe(0);
    // a drain that hit its limit names what was pending
    if (!run.drain.drained) expect(run.drain.pending, 'drained: no names what was pending').toBeDefined();
  }, 240_000);
});
