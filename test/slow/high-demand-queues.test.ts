/**
 * Load levelling shown (npm run test:slow, about 3 minutes): the same high demand that makes
 * `direct` fail users (test/integration/high-demand-direct.test.ts) on Storage Queues and
 * Service Bus: the api only enqueues, so no user sees a failure and nothing is lost; the workers
 * store at the database's pace, so the backlog rises above 0 during the peak and is back to 0
 * after the drain, and end-to-end p99 is higher than under a steady load below the database's
 * capacity (same backend, same database). Real emulators, real child processes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { resultsSchema, type RunResult } from '../../runner/results/schema.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-hd-queues-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const TECHS = ['storage-queue', 'service-bus'] as const;

async function runs(scenario: string, name: string): Promise<Map<string, RunResult>> {
  const outcome = await runScenario({ scenarioPath: `test/data/scenarios/${scenario}.json`, tech: TECHS.join(','), out: join(out, name), engine: 'builtin', report: false });
  const results = resultsSchema.parse(JSON.parse(readFileSync(outcome.results, 'utf8')));
  return new Map(results.runs.map((run) => [run.tech, run]));
}

const p99 = (run: RunResult, flow: string) => run.flows[flow]!.checks.latency!.latency!.e2e!.p99Ms;

describe('high demand on the queues: load levelling', () => {
  it('no user sees a failure, nothing is lost, the backlog rises at the peak and drains, e2e p99 grows', async () => {
    const steady = await runs('high-demand-steady-short', 'steady');
    const peak = await runs('high-demand-short', 'peak');
    const figures: string[] = [];
    for (const tech of TECHS) {
      const run = peak.get(tech)!;
      const calm = steady.get(tech)!;
      expect(run.status, run.error).toBe('completed');
      expect(run.drain.drained).toBe(true);
      for (const flow of ['uploads', 'comments'] as const) {
        expect(run.flows[flow]!.checks['total-queue']!.counts.lost).toBe(0);
        expect(run.flows[flow]!.checks['client-visible']!.counts, `${tech} ${flow}`).toMatchObject({ failed: 0 });
        expect(p99(run, flow), `${tech} ${flow} e2e p99: peak vs steady`).toBeGreaterThan(p99(calm, flow));
        figures.push(`${tech} ${flow}: e2e p99 ${p99(calm, flow).toFixed(0)} ms steady, ${p99(run, flow).toFixed(0)} ms at high demand`);
      }
      const window = run.peaks![0]!;
      const during = run.timeline.filter((p) => p.t * 1000 >= window.startMs && p.t * 1000 <= window.endMs + 3000);
      const maxBacklog = Math.max(...during.map((p) => p.backlog ?? 0));
      expect(maxBacklog, `${tech} backlog during the peak`).toBeGreaterThan(0);
      expect(run.timeline.at(-1)!.backlog, `${tech} backlog after the drain`).toBe(0);
      expect(Math.max(...calm.timeline.map((p) => p.backlog ?? 0))).toBeLessThan(maxBacklog);
      figures.push(`${tech}: backlog up to ${maxBacklog} at the peak, ${run.timeline.at(-1)!.backlog} after the drain (${(run.drain.durationMs / 1000).toFixed(1)} s)`);
    }
    console.log(figures.join('\n'));
  });
});
