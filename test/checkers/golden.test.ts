/** Golden histories: exact counts and example ids for every checker. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory, createChecker, type HistoryCheck } from '../../runner/checkers/compose.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';
import { readHistoryFile } from '../../runner/history/reader.ts';
import { flowResult } from '../../runner/results/schema.ts';

const GOLDEN = join(import.meta.dirname, '../../test/data/histories');
const META = { subscribers: ['sub-1', 'sub-2'], startedAtMs: 1_700_000_000_000 };

async function golden(name: string): Promise<{ records: HopRecord[]; check: HistoryCheck }> {
  const records: HopRecord[] = [];
  await readHistoryFile(join(GOLDEN, name), (r) => records.push(r));
  return { records, check: checkHistory(records, META) };
}

function expectSchemaValid(check: HistoryCheck) {
  for (const flow of Object.values(check.flows)) expect(() => flowResult.parse(flow)).not.toThrow();
}

describe('golden history: empty', () => {
  it('judges nothing: every check unknown, zero counts, empty timeline', async () => {
    const { check } = await golden('empty.jsonl');
    expectSchemaValid(check);
    for (const flow of Object.values(check.flows)) {
      expect(flow.valid).toBe('unknown');
      for (const c of Object.values(flow.checks)) expect(c.valid).toBe('unknown');
    }
    expect(check.flows.uploads.checks['total-queue'].counts).toMatchObject({ attempted: 0, lost: 0, committed: 0 });
    expect(check.flows.uploads.checks.latency.latency).toEqual({});
    expect(check.timeline).toEqual([]);
    expect(check.load).toEqual({ attempted: 0, sent: 0, acknowledged: 0, failed: 0, dropped: 0 });
    expect(check.faults).toEqual([]);
  });
});

describe('golden history: sane', () => {
  it('everything delivered once, in order, fan-out complete: all valid', async () => {
    const { check } = await golden('sane.jsonl');
    expectSchemaValid(check);
    const uploads = check.flows.uploads.checks;
    expect(uploads['total-queue'].counts).toEqual({
      attempted: 3, sent: 3, acknowledged: 3, failed: 0, dropped: 0, committed: 3, lost: 0, deadLettered: 0,
      unexpected: 0, recovered: 0, indeterminate: 0, pending: 0, duplicatedDelivery: 0, duplicatedProcessing: 0,
    });
    expect(uploads.integrity.counts).toEqual({ checked: 3, mismatched: 0, unknown: 0 });
    const comments = check.flows.comments.checks;
    expect(comments['total-queue'].counts).toMatchObject({ attempted: 4, acknowledged: 4, committed: 4, lost: 0 });
    expect(comments.ordering.counts).toEqual({ keys: 2, ordered: 4, inversions: 0, gaps: 0, keysOutOfOrder: 0, keysWithGaps: 0 });
    expect(check.flows['song-added'].checks['fan-out'].counts).toEqual({
      events: 3, subscribers: 2, expected: 6, delivered: 6, missing: 0, deadLettered: 0, duplicated: 0, published: 3, unexpected: 0, pending: 0,
    });
    expect(check.flows.uploads.valid).toBe(true);
    expect(check.flows.comments.valid).toBe(true);
    expect(check.flows['song-added'].valid).toBe(true);
    for (const flow of Object.values(check.flows)) expect(flow.checks.latency.valid).toBe('unknown');
    expect(check.load).toEqual({ attempted: 7, sent: 7, acknowledged: 7, failed: 0, dropped: 0 });
  });

  it('computes per-hop latency from the intended start', async () => {
    const { check } = await golden('sane.jsonl');
    const latency = check.flows.uploads.checks.latency.latency!;
    expect(Object.keys(latency).sort()).toEqual(['broker', 'e2e', 'process', 'publishDelay', 'request']);
    // sane uploads: sent +0.4, brokerAck +3, acked +4, received +10, committed +15 ms after intended
    expect(latency.publishDelay).toMatchObject({ count: 3, minMs: 0.4, maxMs: 0.4 });
    expect(latency.request).toMatchObject({ count: 3, minMs: 3.6, maxMs: 3.6 });
    expect(latency.broker).toMatchObject({ count: 3, minMs: 7, maxMs: 7 });
    expect(latency.process).toMatchObject({ count: 3, minMs: 5, maxMs: 5 });
    expect(latency.e2e.count).toBe(3);
    expect(latency.e2e.p50Ms).toBeCloseTo(15, 1);
    expect(latency.e2e.curve.map((p) => p.percentile)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 100]);
    const events = check.flows['song-added'].checks.latency.latency!;
    // events received +20 and +21 ms after intended, 5 and 6 ms after the commit
    expect(events.event).toMatchObject({ count: 6, minMs: 5, maxMs: 6 });
    expect(events.e2e).toMatchObject({ count: 6, minMs: 20, maxMs: 21 });
  });

  it('the incremental checker gives the same result as the batch one', async () => {
    const { records, check } = await golden('sane.jsonl');
    const checker = createChecker(META);
    for (const r of records) checker.add(r);
    expect(checker.finish()).toEqual(check);
  });
});

describe('golden history: pathological', () => {
  it('total-queue on uploads: lost, unexpected, duplicates, recovered, indeterminate, dead-lettered', async () => {
    const { check } = await golden('pathological.jsonl');
    expectSchemaValid(check);
    const tq = check.flows.uploads.checks['total-queue'];
    expect(tq.valid).toBe(false);
    expect(tq.counts).toEqual({
      attempted: 13, sent: 12, acknowledged: 7, failed: 2, dropped: 1, committed: 8, lost: 1, deadLettered: 1,
      unexpected: 2, recovered: 1, indeterminate: 2, pending: 0, duplicatedDelivery: 2, duplicatedProcessing: 1,
    });
    expect(tq.examples).toEqual({
      lost: ['up-lost'],
      deadLettered: ['up-dead'],
      unexpected: ['up-unexpected', 'up-refused-committed'],
      recovered: ['up-recovered'],
      indeterminate: ['up-indeterminate', 'up-inflight'],
      pending: [],
      duplicatedDelivery: ['up-dup-delivery', 'up-dup-processing'],
      duplicatedProcessing: ['up-dup-processing'],
    });
  });

  it('integrity: one mismatch, two uploads not checkable', async () => {
    const { check } = await golden('pathological.jsonl');
    const integrity = check.flows.uploads.checks.integrity;
    expect(integrity.valid).toBe(false);
    expect(integrity.counts).toEqual({ checked: 6, mismatched: 1, unknown: 2 });
    expect(integrity.examples).toEqual({ mismatched: ['up-corrupt'], unknown: ['up-unexpected', 'up-nosum'] });
  });

  it('fan-out: one missing, one duplicated, one event for an upload never stored, an unknown subscriber', async () => {
    const { check } = await golden('pathological.jsonl');
    const fanOut = check.flows['song-added'].checks['fan-out'];
    expect(fanOut.valid).toBe(false);
    expect(fanOut.counts).toEqual({
      events: 8, subscribers: 2, expected: 16, delivered: 16, missing: 1, deadLettered: 0, duplicated: 1, published: 8, unexpected: 1, pending: 0,
    });
    expect(fanOut.examples).toEqual({ missing: ['up-dup-delivery'], deadLettered: [], duplicated: ['up-ok'], unexpected: ['up-lost'], pending: [] });
    expect(fanOut.notes.join('\n')).toContain('1 event(s) received by "sub-9"');
    expect(check.flows['song-added'].valid).toBe(false);
  });

  it('comments: one lost; ordering: one inversion on song-a, one gap on song-b', async () => {
    const { check } = await golden('pathological.jsonl');
    const tq = check.flows.comments.checks['total-queue'];
    expect(tq.counts).toMatchObject({ attempted: 7, sent: 7, acknowledged: 7, committed: 6, lost: 1, duplicatedDelivery: 0 });
    expect(tq.examples.lost).toEqual(['c-b2']);
    // the torn last line (a second delivery of c-c1) was skipped, so c-c1 is not a duplicate
    expect(tq.examples.duplicatedDelivery).toEqual([]);
    const ordering = check.flows.comments.checks.ordering;
    expect(ordering.valid).toBe(false);
    expect(ordering.counts).toEqual({ keys: 3, ordered: 6, inversions: 1, gaps: 1, keysOutOfOrder: 1, keysWithGaps: 1 });
    expect(ordering.examples).toEqual({ keysOutOfOrder: ['song-a'], keysWithGaps: ['song-b'] });
    expect(check.flows.comments.valid).toBe(false);
  });

  it('latency: clock skew clamped to 0 and noted; ops without both ends are not sampled', async () => {
    const { check } = await golden('pathological.jsonl');
    const comments = check.flows.comments.checks.latency;
    expect(comments.notes).toEqual(['broker: 1 negative difference(s) clamped to 0 (the later hop was recorded first: push delivery before the publisher saw the acknowledgement, or clock skew)']);
    expect(comments.latency!.broker).toMatchObject({ count: 7, minMs: 0 });
    expect(comments.counts).toMatchObject({ e2e: 6, process: 6, broker: 7 });
    // uploads: e2e needs intended and committed (up-unexpected has no intended)
    expect(check.flows.uploads.checks.latency.counts.e2e).toBe(7);
  });

  it('timeline, load counts and fault windows', async () => {
    const { check } = await golden('pathological.jsonl');
    const sum = (key: 'offered' | 'acknowledged' | 'committed' | 'errors') => check.timeline.reduce((n, p) => n + p[key], 0);
    expect(check.timeline.map((p) => p.t)).toEqual([0, 1, 2]);
    expect([sum('offered'), sum('acknowledged'), sum('committed'), sum('errors')]).toEqual([20, 14, 14, 4]);
    // by hand: second 0 holds the uploads intended at +0..+900 ms except up-unexpected (no intended)
    expect(check.timeline[0]).toEqual({ t: 0, offered: 9, acknowledged: 5, committed: 6, errors: 3 });
    expect(check.load).toEqual({ attempted: 20, sent: 19, acknowledged: 14, failed: 4, dropped: 1 });
    expect(check.faults).toEqual([{ id: 'fault-1', target: 'worker-uploads-1', type: 'kill', startMs: 1000, endMs: 1500 }]);
  });

  it('does not depend on the order of the records (examples aside, which follow first-seen order)', async () => {
    const { records, check } = await golden('pathological.jsonl');
    const reversed = checkHistory([...records].reverse(), META);
    expect(withSortedExamples(reversed)).toEqual(withSortedExamples(check));
  });
});

function withSortedExamples(check: HistoryCheck): HistoryCheck {
  const copy = structuredClone(check);
  for (const flow of Object.values(copy.flows)) {
    for (const c of Object.values(flow.checks)) for (const list of Object.values(c.examples)) list.sort();
  }
  return copy;
}
