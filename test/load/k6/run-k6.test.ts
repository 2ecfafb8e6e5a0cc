/**
 * End to end through runScenario with k6 on Storage Queues and on Service Bus: k6 loses
 * nothing, acknowledges the whole planned load within a few percent (the plan is what the
 * builtin engine offers; the builtin engine's own runs are in test/integration/), and
 * results `load.k6` keeps k6's own HTTP figures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsSchema, type RunResult } from '../../../runner/results/schema.ts';
import { runScenario } from '../../../runner/run/run-scenario.ts';
import { SKIP_K6 } from './k6-available.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-k6-run-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function counts(run: RunResult, flow: string): Record<string, number> {
  const check = run.flows[flow]?.checks['total-queue'];
  if (!check) throw new Error(`no total-queue result for ${flow}`);
  return check.counts;
}

async function runWith(engine: string, tech = 'storage-queue'): Promise<RunResult> {
  const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/short.json', tech, out: join(out, `${tech}-${engine}`), engine, report: false });
  // what results.json holds (validated by its schema), not only what the runner returned
  return resultsSchema.parse(JSON.parse(readFileSync(outcome.results, 'utf8'))).runs[0]!;
}

describe.skipIf(SKIP_K6)('k6 engine end to end', () => {
  // short.json: 4/s uploads and 6/s comments for 5 s, plus the 3 songs seeded for the
  // comments: the builtin engine's plan for the same scenario
  const planned: Record<string, number> = { uploads: 20 + 3, comments: 30 };

  it('storage-queue: loses nothing, acknowledges the planned load and keeps k6\'s figures', async () => {
    const k6 = await runWith('k6');
    expect(k6.status).toBe('completed');
    expect(k6.drain.drained).toBe(true);
    for (const flow of ['uploads', 'comments']) {
      const ours = counts(k6, flow);
      expect(ours.lost).toBe(0);
      expect(ours.unexpected).toBe(0);
      expect(Math.abs(ours.acknowledged! - planned[flow]!)).toBeLessThanOrEqual(Math.ceil(planned[flow]! * 0.05));
    }
    expect(k6.flows.uploads!.checks.integrity!.counts.mismatched).toBe(0);
    expect(k6.flows['song-added']!.checks['fan-out']!.counts.missing).toBe(0);
    // k6's own end-of-test figures are stored (not only printed)
    const figures = k6.load.k6;
    expect(figures, 'results.load.k6').toBeDefined();
    expect(figures!.segments).toBe(1);
    expect(figures!.httpRequests).toBeGreaterThan(0);
    const { p95, p99, max } = figures!.httpReqDurationMs;
    expect(p95).not.toBeNull();
    expect(p95!).toBeLessThanOrEqual(p99!);
    expect(p99!).toBeLessThanOrEqual(max!);
    expect(typeof figures!.droppedCrossCheck).toBe('boolean');
  }, 180_000);

  it('service-bus: loses nothing; acknowledges the whole planned load (what the builtin engine offers)', async () => {
    const k6 = await runWith('k6', 'service-bus');
    expect(k6.status, k6.error).toBe('completed');
    expect(k6.drain.drained).toBe(true);
    for (const flow of ['uploads', 'comments']) {
      const ours = counts(k6, flow);
      expect(ours.lost).toBe(0);
      expect(ours.unexpected).toBe(0);
      expect(Math.abs(ours.acknowledged! - planned[flow]!)).toBeLessThanOrEqual(Math.ceil(planned[flow]! * 0.05));
    }
    expect(k6.flows.uploads!.checks.integrity!.counts.mismatched).toBe(0);
  }, 180_000);
});
