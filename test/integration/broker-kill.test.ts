/**
 * A broker kill -9 with durable emulators (issue 4): for every technology, nothing the broker
 * acknowledged is lost. The emulator is SIGKILLed 3 s into the load and started again 3 s later on
 * the same ports and data directory; requests during the outage fail or stay unanswered
 * (`indeterminate`), which is honest, but every acknowledged upload and comment is committed and
 * every stored song's event reaches its subscriber. Real emulators, real SDK clients, one run each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { TECHS } from '../../runner/techs.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-broker-kill-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('broker kill -9 on a schedule, durable emulators', () => {
  it.each([...TECHS])('%s: nothing acknowledged is lost; the fault window and the recovery are in the results', async (tech) => {
    const outcome = await runScenario({ scenarioPath: 'fixtures/data/scenarios/broker-kill.json', tech, out: join(out, tech), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.tech).toBe(tech);
    expect(run.status, run.error).toBe('completed');
    expect(run.errors.filter((e) => e.includes('fault'))).toEqual([]);
    expect(run.faults).toHaveLength(1);
    expect(run.faults[0]).toMatchObject({ id: 'fault-1', target: 'broker', type: 'kill' });
    expect(run.faults[0]!.endMs! - run.faults[0]!.startMs).toBeGreaterThanOrEqual(2500);
    // the recovery checker: the backlog built during the outage drained after the restart
    expect(run.faults[0]!.recovered).toBe(true);
    expect(run.faults[0]!.recoveryMs).toBeGreaterThanOrEqual(0);
    for (const flow of ['uploads', 'comments']) {
      const c = run.flows[flow]!.checks['total-queue']!.counts;
      expect(c.acknowledged, `${flow} acknowledged`).toBeGreaterThan(5);
      expect(c.lost, `${flow} lost`).toBe(0);
      expect(c.committed, `${flow} committed`).toBe(c.acknowledged + (c.recovered ?? 0));
    }
    expect(run.flows['song-added']!.checks['fan-out']!.counts.missing).toBe(0);
  }, 240_000);
});
