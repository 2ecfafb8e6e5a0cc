/**
 * What each consumer pattern guarantees, shown by measurement (issue 4): a worker SIGKILLed while
 * it holds messages. Service Bus receive-and-delete loses what the worker held; peek-lock
 * redelivers it after the lock expires (duplicate deliveries, no loss).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-guarantees-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function variant(mode: 'peek-lock' | 'receive-and-delete'): string {
  const scenario = JSON.parse(readFileSync('fixtures/data/scenarios/sb-worker-kill.json', 'utf8'));
  scenario.backend.consumer.mode = mode;
  const file = join(out, `${mode}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe('Service Bus: a worker killed while it holds messages', () => {
  it('receive-and-delete loses the messages it held', async () => {
    const outcome = await runScenario({ scenarioPath: variant('receive-and-delete'), out: join(out, 'rad'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    expect(run.faults[0]).toMatchObject({ target: 'worker-uploads-1', type: 'kill' });
    const c = run.flows.uploads!.checks['total-queue']!.counts;
    expect(c.lost).toBeGreaterThan(0);
    expect(run.flows.uploads!.valid).toBe(false);
  }, 180_000);

  it('peek-lock redelivers them after the lock expires: duplicates, no loss', async () => {
    const outcome = await runScenario({ scenarioPath: variant('peek-lock'), out: join(out, 'pl'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    const c = run.flows.uploads!.checks['total-queue']!.counts;
    expect(c.lost).toBe(0);
    expect(c.committed).toBe(c.acknowledged + (c.recovered ?? 0));
    expect(c.duplicatedDelivery).toBeGreaterThan(0);
  }, 180_000);
});

describe('Storage Queues: a comment worker killed while it holds a comment', () => {
  it('no loss; the comment comes back after the visibility timeout, as a duplicate delivery and an ordering inversion', async () => {
    const runOut = join(out, 'sq-comments');
    const outcome = await runScenario({ scenarioPath: 'fixtures/data/scenarios/sq-comment-worker-kill.json', out: runOut, engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    expect(run.faults[0]).toMatchObject({ target: 'worker-comments-1', type: 'kill' });
    const c = run.flows.comments!.checks['total-queue']!.counts;
    expect(c.lost).toBe(0);
    expect(c.committed).toBe(c.acknowledged + (c.recovered ?? 0));
    expect(c.duplicatedProcessing).toBe(0); // the database ignores a comment it already stored
    expect(c.duplicatedDelivery).toBeGreaterThan(0);
    // the other worker stored newer comments of the same song while this one was invisible
    const ordering = run.flows.comments!.checks.ordering!;
    expect(ordering.counts.inversions).toBeGreaterThan(0);
    expect(run.flows.comments!.valid).toBe(false);
    // each redelivery came no sooner than the 3 s visibility timeout after the first delivery
    const histories = ['worker-comments-1', 'worker-comments-2'].flatMap((p) =>
      readFileSync(join(runOut, 'storage-queue', 'history', `${p}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
    );
    const firstMs = new Map<string, number>();
    const gapsMs: number[] = [];
    for (const r of histories.filter((r) => r.h === 'received').sort((a, b) => a.t - b.t)) {
      if (firstMs.has(r.op)) gapsMs.push(r.t - firstMs.get(r.op)!);
      else firstMs.set(r.op, r.t);
    }
    expect(gapsMs).toHaveLength(c.duplicatedDelivery);
    for (const gapMs of gapsMs) expect(gapMs).toBeGreaterThanOrEqual(2900);
  }, 180_000);
});

describe('process faults: stop/cont and a graceful restart', () => {
  it('a SIGSTOPped comment worker delays its comments by the pause; a restarted upload worker loses nothing', async () => {
    const outcome = await runScenario({ scenarioPath: 'fixtures/data/scenarios/process-faults.json', out: join(out, 'process'), engine: 'builtin', report: false });
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
    const outcome = await runScenario({ scenarioPath: 'fixtures/data/scenarios/subscriber-outage.json', tech: 'storage-queue', out: join(out, 'sub'), engine: 'builtin', report: false });
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
    const outcome = await runScenario({ scenarioPath: 'fixtures/data/scenarios/subscriber-outage.json', tech: 'event-grid', out: join(out, 'eg-sub'), engine: 'builtin', report: false });
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
    const outcome = await runScenario({ scenarioPath: 'fixtures/data/scenarios/poison.json', tech: 'storage-queue', out: join(out, 'poison'), engine: 'builtin', report: false });
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
