/**
 * What the system guarantees under process faults, subscriber outages and poison messages,
 * shown by measurement (the worker-kill half is guarantees.test.ts; two files so they run in
 * parallel).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-guarantees-faults-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('process faults: stop/cont and a graceful restart', () => {
  it('a SIGSTOPped comment worker delays its comments by the pause; a restarted upload worker loses nothing', async () => {
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/process-faults.json', out: join(out, 'process'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    expect(run.errors.filter((e) => e.includes('fault'))).toEqual([]);
    expect(run.faults.map((f) => [f.target, f.type])).toEqual([['worker-comments-1', 'stop'], ['worker-uploads-1', 'restart']]);
    for (const flow of ['uploads', 'comments']) {
      const c = run.flows[flow]!.checks['total-queue']!.counts;
      expect(c.lost, `${flow} lost`).toBe(0);
      expect(c.committed, `${flow} committed`).toBe(c.acknowledged + (c.recovered ?? 0));
    }
    // comments sent while the only comment worker was stopped waited for the SIGCONT
    expect(run.flows.comments!.checks.latency!.latency!.e2e!.maxMs).toBeGreaterThanOrEqual(1500);
  }, 180_000);
});

describe('a subscriber that fails its deliveries for a while', () => {
  it('storage-queue: the events come back after the visibility timeout; none is missing', async () => {
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/subscriber-outage.json', tech: 'storage-queue', out: join(out, 'sub'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    expect(run.errors.filter((e) => e.includes('fault'))).toEqual([]);
    expect(run.flows['song-added']!.checks['fan-out']!.counts.missing).toBe(0);
    // subscriber-1 got events it had failed before: they arrived again with a higher delivery count
    const received = readFileSync(join(out, 'sub', 'storage-queue', 'history', 'subscriber-1.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(received.some((r) => r.h === 'eventReceived' && r.dc >= 2)).toBe(true);
  }, 180_000);
});

describe('Event Grid: a webhook subscriber that answers 500 for a while', () => {
  it('the events are retried on the schedule (first retry after 10 s) and none is missing', async () => {
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/subscriber-outage.json', tech: 'event-grid', out: join(out, 'eg-sub'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    const fanOut = run.flows['song-added']!.checks['fan-out']!;
    expect(fanOut.counts.missing).toBe(0);
    // events that failed were delivered again on Azure's schedule: the first retry waits 10 s
    expect(run.flows['song-added']!.checks.latency!.latency!.event!.maxMs).toBeGreaterThanOrEqual(9000);
  }, 180_000);
});

describe('poison messages', () => {
  it('storage-queue: every 5th upload is dead-lettered after 3 deliveries, reported as dead-lettered and not as lost', async () => {
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/poison.json', tech: 'storage-queue', out: join(out, 'poison'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    const c = run.flows.uploads!.checks['total-queue']!.counts;
    const poison = Math.floor(c.acknowledged / 5);
    expect(c.deadLettered).toBe(poison);
    expect(c.lost).toBe(0);
    expect(c.committed).toBe(c.acknowledged - poison);
    expect(run.flows.uploads!.valid).toBe(true);
  }, 180_000);
});
