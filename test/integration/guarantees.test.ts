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
  const scenario = JSON.parse(readFileSync('test/data/scenarios/sb-worker-kill.json', 'utf8'));
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
    expect(c.lost, `uploads counts ${JSON.stringify(c)}, drain ${JSON.stringify(run.drain)}`).toBeGreaterThan(0);
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
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/sq-comment-worker-kill.json', out: runOut, engine: 'builtin', report: false });
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
