/**
 * The founding problem reproduced: high demand on `direct` (no broker; the api writes the
 * database inside the request). At the peak the database is over capacity, so users see uploads
 * and comments fail (503), and every one of them is in the history as failed at the client:
 * counted by client-visible, not stored, none lost. Real child processes, no emulator needed
 * (direct has none), a small database and a 9 s load (test/data/scenarios/high-demand-short.json).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { resultsSchema } from '../../runner/results/schema.ts';
import { summaryLines } from '../../runner/commands/run.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-hd-direct-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function loadgenRecords(dir: string): Array<Record<string, any>> {
  return readFileSync(join(dir, 'direct', 'history', 'loadgen.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('high demand on direct', () => {
  it('users see uploads and comments fail at the peak; each is failed at the client, none lost', async () => {
    const dir = join(out, 'run');
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/high-demand-short.json', tech: 'direct', out: dir, engine: 'builtin', report: false });
    const run = resultsSchema.parse(JSON.parse(readFileSync(outcome.results, 'utf8'))).runs[0]!;
    expect(run.status).toBe('completed');
    expect(run.drain.drained).toBe(true);
    const records = loadgenRecords(dir);
    const acked = new Set(records.filter((r) => r.h === 'acked').map((r) => r.op));
    const loadStartMs = Math.min(...records.filter((r) => r.h === 'intended' && !String(r.op).startsWith('b0-s')).map((r) => r.t));
    const peak = run.peaks![0]!;
    for (const flow of ['uploads', 'comments'] as const) {
      const visible = run.flows[flow]!.checks['client-visible']!.counts;
      const queue = run.flows[flow]!.checks['total-queue']!.counts;
      const failedAtClient = records.filter((r) => r.h === 'failed' && r.f === flow && !acked.has(r.op));
      expect(visible.failed, `${flow}: ${JSON.stringify(visible)}`).toBeGreaterThan(0);
      expect(visible.failed).toBe(new Set(failedAtClient.map((r) => r.op)).size);
      expect(visible.serverError).toBe(visible.failed); // the database's (or the api's) 503
      expect(visible.stored).toBe(0); // what the client saw fail was not stored
      expect(queue.lost).toBe(0);
      expect(queue.recovered).toBe(0);
      expect(queue.committed).toBe(queue.acknowledged);
      // the failures come with the peak: after it began, and (a queue's worth of wait) not long after it ended
      // (the setup's seed uploads, b0-s…, come before the load: they may fail too and are retried under new ids)
      const firstFailS = (Math.min(...failedAtClient.filter((r) => !String(r.op).startsWith('b0-s')).map((r) => r.t)) - loadStartMs) / 1000;
      expect(firstFailS).toBeGreaterThan(peak.startMs / 1000 - 3);
      expect(failedAtClient.every((r) => /database: over capacity|api: busy/.test(r.err))).toBe(true);
    }
    // no broker: the backlog is sampled and always empty
    expect(run.timeline.length).toBeGreaterThan(5);
    expect(run.timeline.every((p) => p.backlog === 0)).toBe(true);
    expect(run.flows['song-added']!.checks['fan-out']!.counts.missing).toBe(0);
    expect(summaryLines(run)[1]).toMatch(/^ {2}a user would have seen [1-9]\d* upload\(s\) and [1-9]\d* comment\(s\) fail$/);
  }, 120_000);
});
