/**
 * The short scenario through the whole stack on every implemented technology other than
 * storage-queue (which has its own file with a kill test): real emulators, real child processes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { TECHS } from '../../runner/techs.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-techs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// direct (no broker) runs end to end in high-demand-direct.test.ts (17 s more here; npm test's budget)
const techs = TECHS.filter((t) => t !== 'storage-queue' && t !== 'direct');

/** Every file under dir (results, histories, logs, the SQLite database) that contains the text. */
function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file).includes(text));
}

describe.each(techs)('%s end to end', (tech) => {
  it('loses nothing, stores every acknowledged operation and fans every event out', async () => {
    let controlKey = '';
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/short.json', tech, out: join(out, tech), engine: 'builtin', report: false, onStackReady: (stack) => (controlKey = stack.endpoints.controlKey ?? '') });
    const run = outcome.runs[0]!;
    // the control key (event-grid's backend used it to register its subscriptions) is a secret
    expect(controlKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(filesContaining(join(out, tech), controlKey)).toEqual([]);
    expect(run.status, run.error).toBe('completed');
    expect(run.drain.drained).toBe(true);
    for (const flow of ['uploads', 'comments']) {
      const c = run.flows[flow]!.checks['total-queue']!.counts;
      expect(c.acknowledged).toBeGreaterThan(10);
      expect(c.lost).toBe(0);
      expect(c.unexpected).toBe(0);
      expect(c.committed).toBe(c.acknowledged + (c.recovered ?? 0));
    }
    expect(run.flows['song-added']!.checks['fan-out']!.counts.missing).toBe(0);
    expect(run.flows.uploads!.checks.integrity!.counts.mismatched).toBe(0);
  }, 180_000);
});
